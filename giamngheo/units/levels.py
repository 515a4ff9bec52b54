"""The levels of Vietnam's administrative tree, as data (since 1 July 2025: province → commune → village).

Loaded by migration 0002 and re-ensured by the demo loader: a test that flushes the database (a
transactional test) removes rows created by data migrations, and nothing must depend on test order.
"""

from __future__ import annotations

from typing import Any

LEVELS = [
    # code, name_vi, name_en, rank, parent levels, aliases, legacy
    (
        "province",
        "tỉnh",
        "province",
        1,
        [],
        ["tỉnh", "thành phố trực thuộc trung ương", "thành phố", "tp"],
        False,
    ),
    (
        "district",
        "huyện",
        "district",
        2,
        ["province"],
        ["huyện", "quận", "thị xã", "thành phố thuộc tỉnh"],
        True,
    ),
    ("commune", "xã", "commune", 3, ["province", "district"], ["xã", "phường", "thị trấn", "đặc khu"], False),
    (
        "village",
        "thôn",
        "village",
        4,
        ["commune"],
        ["thôn", "xóm", "bản", "ấp", "tổ dân phố", "tdp", "khu phố", "làng", "buôn", "sóc", "tổ"],
        False,
    ),
]


def levels_ensure(level_model: Any) -> None:
    """Create or refresh the standard levels (``level_model`` is the model, or its historical version)."""
    for code, name_vi, name_en, rank, parents, aliases, legacy in LEVELS:
        level_model.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "rank": rank,
                "parent_levels": parents,
                "aliases": aliases,
                "is_legacy": legacy,
            },
        )
