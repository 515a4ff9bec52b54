"""Number formats for the sentences the engine writes: Vietnamese 1.200.000, English 1,200,000."""

from __future__ import annotations


def number_vi(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def number_en(value: int) -> str:
    return f"{value:,}"


def join_vi(items: list[str]) -> str:
    return ", ".join(items)


def join_en(items: list[str]) -> str:
    return ", ".join(items)


def count_en(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"
