"""The poverty-standards engine: rule sets as data, indicators from facts, classification with its reason,
distance to exit and status transitions. Pure Python — no Django here (a test checks it), so the web,
the imports and the command line all use the same rules.

Public API (import from the submodules, or from here):

* ``loader``: ``list_standards()``, ``get_standard(id)``, ``standard_for_year(year)``, ``load_standards(dir)``
* ``facts``: ``HouseholdFacts``, ``MemberFacts`` and their enums
* ``indicators``: ``evaluate(household, standard, on)``, ``has_no_labour_capacity(...)``
* ``classify``: ``classify(household, standard, review_date)`` → ``Result``
* ``distance``: ``distance_to_exit(result, standard)`` → ``Distance``
* ``transitions``: ``transitions(history, rules)``, ``latest_transition``, ``is_newly_escaped``
* ``frame``: ``classify_frame(df, standard)`` (polars, imported lazily)
"""

from __future__ import annotations

from giamngheo.standards.classify import AVERAGE, NEAR_POOR, NOT_POOR, POOR, Result, classify
from giamngheo.standards.distance import Distance, distance_to_exit
from giamngheo.standards.facts import (
    Area,
    Dwelling,
    EducationLevel,
    Employment,
    HouseholdFacts,
    MemberFacts,
    SchoolLevel,
    Sex,
)
from giamngheo.standards.indicators import evaluate, has_no_labour_capacity
from giamngheo.standards.loader import get_standard, list_standards, standard_for_year
from giamngheo.standards.model import Indicator, Standard
from giamngheo.standards.transitions import Transition, is_newly_escaped, latest_transition, transitions

__all__ = [
    "AVERAGE",
    "NEAR_POOR",
    "NOT_POOR",
    "POOR",
    "Area",
    "Distance",
    "Dwelling",
    "EducationLevel",
    "Employment",
    "HouseholdFacts",
    "Indicator",
    "MemberFacts",
    "Result",
    "SchoolLevel",
    "Sex",
    "Standard",
    "Transition",
    "classify",
    "distance_to_exit",
    "evaluate",
    "get_standard",
    "has_no_labour_capacity",
    "is_newly_escaped",
    "latest_transition",
    "list_standards",
    "standard_for_year",
    "transitions",
]
