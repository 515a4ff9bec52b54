"""Vietnamese text helpers shared by search, header matching and unit look-up (pure, no Django)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics, map đ→d and squeeze spaces: "Nguyễn Văn Đức" → "nguyen van duc".

    Used for accent-insensitive search (stored as ``search_text``) and for matching headers and names typed
    by hand, where "Sơn Trung", "son trung" and "SON TRUNG" must be the same thing.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_key(text: str) -> str:
    """``fold`` without spaces, underscores, dots or dashes: the key used to match column headers."""
    return re.sub(r"[\s_.\-/()]+", "", fold(text))
