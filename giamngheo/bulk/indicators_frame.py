"""The register's facts through the vectorised engine: indicators, then status, one row per household.

The rules themselves live in the pure engine (``giamngheo.standards.frame_facts``: the same semantics as
``standards.indicators``, three-valued unknowns included, and ``standards.frame.classify_frame`` for the
status); this module only joins them to what the database read brought (the household's village).
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING

from giamngheo.bulk.facts_frame import RegisterFacts
from giamngheo.standards.frame_facts import classify_facts
from giamngheo.standards.model import Standard

if TYPE_CHECKING:
    import polars as pl


def classify_register(facts: RegisterFacts, standard: Standard, on: datetime.date) -> pl.DataFrame:
    """``frame_facts.classify_facts`` of the register, with each household's ``village`` id in front.

    Adds the compute time to ``facts.timings["compute"]``.
    """
    import polars as pl

    started = time.perf_counter()
    result = classify_facts(facts.households, facts.members, standard, on)
    out = pl.concat([facts.households.select("village"), result], how="horizontal")
    facts.timings["compute"] = facts.timings.get("compute", 0.0) + time.perf_counter() - started
    return out
