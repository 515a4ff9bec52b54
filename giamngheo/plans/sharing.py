"""Sharing a commune's reduction among its villages, and the reduction an assigned rate asks for. Pure.

The level above assigns a rate (poor households ≤ 3.30% at the end of the year); the commune must turn it
into a number of households per village. ``reduction_needed`` gives the commune total; ``share`` proposes
the per-village split, in proportion to weights (by default the village's poor households *with labour
capacity*: those a plan can lift by work), never above what a village has, with the largest-remainder
method so the parts add up exactly to the whole. It is a proposal: the officer adjusts it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from giamngheo.standards.formatting import percent

K = TypeVar("K", bound=Hashable)


def reduction_needed(*, start: int, households: int, assigned_rate: Decimal) -> int:
    """The smallest reduction r with percent(start − r, households) ≤ assigned_rate (as the table rounds it).

    63 poor of 1,545 households, 3.30% assigned → 12 (51 → 3.30%; 52 would be 3.37%).
    """
    for reduction in range(start + 1):
        if percent(start - reduction, households) <= assigned_rate:
            return reduction
    return start


class ShareError(ValueError):
    """The total cannot be shared within the caps."""


def share(total: int, weights: Mapping[K, int], caps: Mapping[K, int]) -> dict[K, int]:
    """Split ``total`` among the keys of ``weights`` in proportion to the weights, each part ≤ its cap.

    Largest remainder (Hamilton): each key gets the whole part of its quota, the remaining units go to the
    largest fractional parts (ties: larger weight, then the keys' order). A key whose quota reaches its cap
    gets the cap and the rest is shared again among the others. When every weight still open is zero, the
    rest is shared in proportion to the caps (what the villages have). Raises ``ShareError`` when the total
    exceeds the sum of the caps or is negative.
    """
    keys = list(weights)
    if total < 0:
        raise ShareError("negative total")
    if total > sum(max(caps.get(k, 0), 0) for k in keys):
        raise ShareError("total above the sum of the caps")
    result = dict.fromkeys(keys, 0)
    remaining = total
    open_keys = [k for k in keys if caps.get(k, 0) > 0]
    while remaining > 0:
        basis = {k: max(weights[k], 0) for k in open_keys}
        if sum(basis.values()) == 0:
            basis = {k: caps[k] for k in open_keys}
        whole = sum(basis.values())
        quotas = {k: Fraction(remaining * basis[k], whole) for k in open_keys}
        capped = [k for k in open_keys if quotas[k] >= caps[k]]
        if capped:  # these get everything they have; share the rest among the others
            for k in capped:
                result[k] = caps[k]
                remaining -= caps[k]
            open_keys = [k for k in open_keys if k not in capped]
            continue
        floors = {k: int(quotas[k]) for k in open_keys}
        for k in open_keys:
            result[k] = floors[k]
        left = remaining - sum(floors.values())
        order = sorted(open_keys, key=lambda k: (-(quotas[k] - floors[k]), -basis[k], keys.index(k)))
        for k in order[:left]:
            result[k] += 1
        remaining = 0
    return result
