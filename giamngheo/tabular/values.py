"""Parse one cell as communes write it: yes/no, whole numbers, decimals, dates, area words.

Every parser returns None for an empty cell and raises ``CellError`` (Vietnamese + English, with the fix)
for a value it cannot read. Cells may also arrive typed from a spreadsheet (int, float, bool, date).
Number formats are accepted only where unambiguous: ``1.500.000``, ``1,500,000`` and ``1 500 000`` are
whole numbers; ``7,99`` and ``7.99`` are decimals; ``1.500`` as a decimal could mean 1.5 or 1500 and is
refused with a fix.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from giamngheo.text import fold, fold_key


class CellError(ValueError):
    def __init__(self, message_vi: str, message_en: str, fix_vi: str, fix_en: str) -> None:
        super().__init__(message_en)
        self.message_vi, self.message_en, self.fix_vi, self.fix_en = message_vi, message_en, fix_vi, fix_en


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def cell_text(value: Any) -> str:
    """A typed spreadsheet cell as the text a user would read (1500000.0 → "1500000", a date → ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- yes / no ----------------------------------------------------------------------------------------------

YES = frozenset({"1", "x", "yes", "y", "co", "true", "t", "dung", "v", "✓", "✔", "☑", "1.0"})
NO = frozenset({"0", "no", "n", "khong", "false", "f", "sai", "0.0"})


def parse_yes_no(value: Any) -> bool | None:
    """``1/0``, ``x``/empty, ``yes/no``, ``có/không``, ``true/false``; empty → None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if is_blank(value):
        return None
    key = fold(str(value)).strip()
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(
        f"không hiểu giá trị có/không {value!r}",
        f"not a yes/no value: {value!r}",
        "ghi 1 hoặc 0, x hoặc để trống, có hoặc không",
        "write 1 or 0, x or leave empty, yes or no",
    )


# --- numbers -----------------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"\s*(đồng|dong|vnđ|vnd|đ|d)\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"^-?\d+$")
_GROUPED = {
    ".": re.compile(r"^-?\d{1,3}(\.\d{3})+$"),
    ",": re.compile(r"^-?\d{1,3}(,\d{3})+$"),
    " ": re.compile(r"^-?\d{1,3}([ \u00a0\u202f]\d{3})+$"),
}
_ZERO_FRACTION = re.compile(r"^(-?\d+)[.,]0+$")
_SCIENTIFIC = re.compile(r"^-?\d+([.,]\d+)?[eE][+-]?\d+$")
_NUMBER_FIX = (
    "ghi số nguyên, ví dụ 1500000 hoặc 1.500.000",
    "write a whole number, e.g. 1500000 or 1.500.000",
)


def _strip_number(text: str) -> str:
    return _CURRENCY.sub("", text.strip()).strip()


def parse_int(value: Any, *, minimum: int | None = None) -> int | None:
    """A whole number; thousands separators ``.`` ``,`` or space; ``1500000.0`` and ``1,5E+06`` accepted."""
    if isinstance(value, bool):
        raise CellError(f"không phải số: {value!r}", f"not a number: {value!r}", *_NUMBER_FIX)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(
                f"không phải số nguyên: {value!r}", f"not a whole number: {value!r}", *_NUMBER_FIX
            )
        number = int(value)
    elif is_blank(value):
        return None
    else:
        number = _int_from_text(str(value))
    if minimum is not None and number < minimum:
        raise CellError(
            f"số phải từ {minimum} trở lên (đang là {number})",
            f"must be {minimum} or more (got {number})",
            f"ghi một số ≥ {minimum}",
            f"write a number ≥ {minimum}",
        )
    return number


def _int_from_text(raw: str) -> int:
    text = _strip_number(raw)
    if _PLAIN.match(text):
        return int(text)
    if any(pattern.match(text) for pattern in _GROUPED.values()):
        return int(re.sub(r"[.,\s\u00a0\u202f]", "", text))
    zero = _ZERO_FRACTION.match(text)
    if zero:
        return int(zero.group(1))
    if _SCIENTIFIC.match(text):
        number = float(text.replace(",", "."))
        if math.isfinite(number) and number.is_integer():
            return int(number)
    raise CellError(f"không phải số nguyên: {raw!r}", f"not a whole number: {raw!r}", *_NUMBER_FIX)


def parse_decimal(value: Any, *, minimum: Decimal | int | None = None) -> Decimal | None:
    """A decimal: ``7,99`` (Vietnamese) or ``7.99``; ``1.234,5`` and ``1,234.5`` with thousands; refuses a
    lone separator followed by exactly three digits (``1.500``: 1.5 or 1500?)."""
    if isinstance(value, bool):
        raise CellError(
            f"không phải số: {value!r}", f"not a number: {value!r}", "ghi một số", "write a number"
        )
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif is_blank(value):
        return None
    else:
        number = _decimal_from_text(str(value))
    if minimum is not None and number < minimum:
        raise CellError(
            f"số phải từ {minimum} trở lên (đang là {number})",
            f"must be {minimum} or more (got {number})",
            f"ghi một số ≥ {minimum}",
            f"write a number ≥ {minimum}",
        )
    return number


def _decimal_from_text(raw: str) -> Decimal:
    text = _strip_number(raw).replace("\u00a0", " ").replace("\u202f", " ")
    fail = CellError(
        f"không phải số: {raw!r}",
        f"not a number: {raw!r}",
        "ghi số thập phân với dấu phẩy hoặc dấu chấm, ví dụ 7,5",
        "write a decimal with a comma or a dot, e.g. 7.5",
    )
    if not re.match(r"^-?[\d., ]+$", text) or not re.search(r"\d", text):
        raise fail
    if " " in text:
        text = text.replace(" ", "") if re.match(r"^-?\d{1,3}( \d{3})+([.,]\d+)?$", text) else "!"
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if not _GROUPED[thousands].match(whole) or not fraction.isdigit():
            raise fail
        text = whole.replace(thousands, "") + "." + fraction
    elif dots > 1 or commas > 1:
        sep = "." if dots else ","
        if not _GROUPED[sep].match(text):
            raise fail
        text = text.replace(sep, "")
    elif dots or commas:
        whole, _, fraction = text.partition("." if dots else ",")
        if len(fraction) == 3 and whole.lstrip("-") not in ("", "0"):
            raise CellError(
                f"số {raw!r} không rõ nghĩa (dấu phân cách hàng nghìn hay thập phân?)",
                f"the number {raw!r} is ambiguous (thousands or decimal separator?)",
                "ghi không dùng dấu phân cách hàng nghìn, ví dụ 1500 hoặc 1,5",
                "write it without a thousands separator, e.g. 1500 or 1.5",
            )
        text = f"{whole}.{fraction}"
    try:
        return Decimal(text)
    except InvalidOperation:
        raise fail from None


# --- dates -------------------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def parse_date(value: Any) -> date | None:
    """dd/mm/yyyy (also with ``-`` or ``.``) or ISO yyyy-mm-dd; a spreadsheet date cell as it is."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_blank(value):
        return None
    text = str(value).strip()
    match = _DMY.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO.match(text)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is not None:
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise CellError(
        f"không phải ngày hợp lệ: {value!r}",
        f"not a valid date: {value!r}",
        "ghi ngày dạng dd/mm/yyyy, ví dụ 05/09/2024",
        "write the date as dd/mm/yyyy or yyyy-mm-dd, e.g. 05/09/2024",
    )


# --- area --------------------------------------------------------------------------------------------------

AREA_WORDS = {
    "rural": "rural",
    "nongthon": "rural",
    "urban": "urban",
    "thanhthi": "urban",
    "dothi": "urban",
}


def parse_area(value: Any) -> str | None:
    """``rural``/``urban``, also ``nông thôn``, ``thành thị``, ``đô thị`` (any case, with or without
    accents)."""
    if is_blank(value):
        return None
    area = AREA_WORDS.get(fold_key(str(value)))
    if area is None:
        raise CellError(
            f"khu vực không hợp lệ: {value!r}",
            f"unknown area: {value!r}",
            "ghi nông thôn hoặc thành thị (rural / urban)",
            "write rural or urban (nông thôn / thành thị)",
        )
    return area
