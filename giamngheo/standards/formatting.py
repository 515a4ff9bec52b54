"""Numbers as the project writes them, in one place: Vietnamese 1.200.000 and 4,08%, English 1,200,000,
machine "3.30"; percentages with Decimal rounded half-up (the sentences of the engine, the reports, the pages,
the API all use these)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal:
    """part/whole × 100, two decimals, half-up (4/128 → 3.13). A zero whole gives 0.00, never an error."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def number_vi(value: int | Decimal, places: int = 0) -> str:
    """1545 → "1.545"; Decimal("4.08") with places=2 → "4,08" (Vietnamese: dot thousands, comma decimals)."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def number_en(value: int) -> str:
    return f"{value:,}"


def percent_vi(value: Decimal) -> str:
    return f"{number_vi(value, 2)}%"


def percent_machine(value: Decimal) -> str:
    """For CSV and the API: dot decimals, always two places ("3.30")."""
    return f"{value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)}"


def join_vi(items: list[str]) -> str:
    return ", ".join(items)


def join_en(items: list[str]) -> str:
    return ", ".join(items)


def count_en(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"
