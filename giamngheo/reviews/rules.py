"""Who may do what in a review round (django-rules; objects are a ReviewRound or a village Unit).

- ``reviews.view_round``: the round's commune is in the user's scope, or the user works in one of its villages
  (a village head sees the round, and through the selectors only the households of their village);
- ``reviews.run_round``: the commune officer (or an administrator) of that commune, while they may edit:
  opening the round, the list, posting, complaints, the decision;
- ``reviews.prepare_decision``: the round's runner, or the commune's chairman: the draft decision (number,
  date) that the chairman then issues;
- ``reviews.issue_decision``: only the chairman of the People's Committee of that commune (Chủ tịch UBND xã)
  issues the decision — not the officer who prepared it, not an administrator (separation of duties);
- ``reviews.record_village``: surveys (Phiếu A/B) and the village meeting of a village — the village head of
  that village or the commune officer.
"""

from __future__ import annotations

import rules

from giamngheo.accounts.models import Role
from giamngheo.accounts.rules import may_edit, unit_in_scope


def _commune_path(review_round) -> str:  # type: ignore[no-untyped-def]
    return review_round.commune.path


@rules.predicate
def round_in_reach(user, review_round) -> bool:  # type: ignore[no-untyped-def]
    if review_round is None or not user.is_authenticated:
        return False
    if user.is_system_admin:
        return True
    if user.unit_id is None:
        return False
    path, mine = _commune_path(review_round), user.unit.path
    return path.startswith(mine) or mine.startswith(path)


@rules.predicate
def is_round_runner(user, review_round) -> bool:  # type: ignore[no-untyped-def]
    if review_round is None or not user.is_authenticated:
        return False
    if user.is_system_admin:
        return True
    return (
        user.role == Role.COMMUNE_OFFICER
        and user.unit_id is not None
        and _commune_path(review_round).startswith(user.unit.path)
    )


@rules.predicate
def is_commune_chairman(user, review_round) -> bool:  # type: ignore[no-untyped-def]
    """The chairman of the round's commune (an administrator is not: the rule binds everyone)."""
    if review_round is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        user.role == Role.COMMUNE_CHAIRMAN
        and user.unit_id is not None
        and _commune_path(review_round).startswith(user.unit.path)
    )


@rules.predicate
def is_village(user, unit) -> bool:  # type: ignore[no-untyped-def]
    return unit is not None and unit.level.code == "village"


rules.add_perm("reviews.view_round", round_in_reach)
rules.add_perm("reviews.run_round", is_round_runner & may_edit)
rules.add_perm("reviews.prepare_decision", (is_round_runner & may_edit) | is_commune_chairman)
# Call ``is_commune_chairman`` itself where it matters: ``has_perm`` answers True for any superuser.
rules.add_perm("reviews.issue_decision", is_commune_chairman)
rules.add_perm("reviews.record_village", is_village & unit_in_scope & may_edit)
