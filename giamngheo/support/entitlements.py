"""What a household's status entitles it to (spec §7), and which support would lift it out.

The status is the household's latest decided review result; "newly escaped" (3 years of loan eligibility
after leaving the lists) and the distance to exit come from the standards engine — no threshold is known
here. The percentages quoted in the texts are the policy's wording (spec §7), shown to the officer, never
used in a computation.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.support.kinds import SupportKind, SupportStatus

# The support that resolves each deprivation of the standard (its indicator codes).
SUPPORT_FOR_INDICATOR = {
    "employment": SupportKind.JOB,
    "adult_education": SupportKind.JOB,
    "dependants": SupportKind.INCOME_SUPPORT,
    "nutrition": SupportKind.DONATION,
    "health_insurance": SupportKind.HEALTH_INSURANCE,
    "child_schooling": SupportKind.SCHOOLING,
    "housing_quality": SupportKind.HOUSING,
    "housing_area": SupportKind.HOUSING,
    "drinking_water": SupportKind.LOAN,
    "sanitation": SupportKind.LOAN,
    "telecom": SupportKind.DONATION,
    "information_devices": SupportKind.DONATION,
    "waste": SupportKind.PRODUCTION,
}


@dataclass
class Suggestion:
    kind: str
    label: str
    reason: str
    received: bool = False  # a support of this kind is recorded and not cancelled
    lifts_out: bool = False  # resolving what it addresses counts towards leaving the list


@dataclass
class Entitlements:
    status: str | None
    status_date: datetime.date | None
    newly_escaped: bool
    eligible_until: datetime.date | None
    suggestions: list[Suggestion] = field(default_factory=list)
    distance_text: str = ""
    deprived: tuple[str, ...] = ()


def _age(member: Member, on: datetime.date) -> int | None:
    if member.birth_date is None:
        return None
    born = member.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def entitlements_for(
    *,
    household: Household,
    members: Sequence[Member],
    history: Sequence[tuple[datetime.date, str, str, int]],
    supports: Sequence,
    on: datetime.date,
    language: str = "vi",
) -> Entitlements:
    from giamngheo.households.facts import household_facts
    from giamngheo.standards.ages import add_months
    from giamngheo.standards.classify import classify
    from giamngheo.standards.distance import distance_to_exit
    from giamngheo.standards.loader import standard_for_year
    from giamngheo.standards.transitions import escaped_on, is_newly_escaped

    decided = [(day, status) for day, status, _kind, _year in history if day <= on]
    status, status_date = (decided[-1][1], decided[-1][0]) if decided else (None, None)
    standard = standard_for_year(on.year)
    newly = bool(decided) and is_newly_escaped(decided, on, standard.transitions)
    until = None
    if newly:
        left = escaped_on(decided, on, standard.transitions)
        until = add_months(left, 12 * standard.transitions.newly_escaped_years) if left else None

    distance_text, lifting = "", set()
    deprived: tuple[str, ...] = ()
    try:
        result = classify(household_facts(household, members), standard, on)
    except InputError:
        result = None  # facts incomplete (no income nor B1 score): no distance to show
    if result is not None:
        distance = distance_to_exit(result, standard, listed=status)
        if distance is not None:
            distance_text = distance.text_en if language.startswith("en") else distance.text_vi
            deprived = result.deprived
            lifting = {SUPPORT_FOR_INDICATOR[c] for c in result.deprived if c in SUPPORT_FOR_INDICATOR}
            # Income is the other way out: production, jobs and loans raise it.
            lifting |= {SupportKind.PRODUCTION, SupportKind.JOB, SupportKind.LOAN}

    received = {s.kind for s in supports if s.status != SupportStatus.CANCELLED}
    on_list = status in ("poor", "near_poor")
    suggestions: list[Suggestion] = []

    def add(kind: str, reason: str) -> None:
        suggestions.append(
            Suggestion(
                kind=kind,
                label=str(SupportKind(kind).label),
                reason=reason,
                received=kind in received,
                lifts_out=kind in lifting,
            )
        )

    if status == "poor":
        add(SupportKind.LOAN, _("Poor households may borrow from the Bank for Social Policies."))
    elif status == "near_poor":
        add(SupportKind.LOAN, _("Near-poor households may borrow from the Bank for Social Policies."))
    elif newly and until is not None:
        add(
            SupportKind.LOAN,
            _("Newly escaped from poverty: keeps its loan eligibility until %(date)s.")
            % {"date": until.strftime("%d/%m/%Y")},
        )

    uninsured = [m for m in members if m.has_health_insurance is not True]
    if status == "poor":
        add(
            SupportKind.HEALTH_INSURANCE,
            _("The state pays the whole health-insurance premium of every member (%(n)s without a card).")
            % {"n": len(uninsured)},
        )
    elif status == "near_poor":
        add(
            SupportKind.HEALTH_INSURANCE,
            _(
                "The state pays at least %(share)s of the premium for members of near-poor households "
                "(%(n)s without a card)."
            )
            % {"share": "70%", "n": len(uninsured)},
        )
    elif status == "average":
        add(
            SupportKind.HEALTH_INSURANCE,
            _(
                "Farming, forestry and fishing households of average living standard get at least "
                "%(share)s of the premium."
            )
            % {"share": "30%"},
        )

    if on_list:
        schooling = standard.indicator("child_schooling").params
        children = [
            m
            for m in members
            if (age := _age(m, on)) is not None and schooling["min_age"] <= age < schooling["under_age"]
        ]
        if children:
            out = sum(1 for m in children if m.attending_school is False)
            add(
                SupportKind.SCHOOLING,
                _("%(n)s children of school age; %(out)s not attending school.")
                % {"n": len(children), "out": out},
            )
        damaged = standard.indicator("housing_quality").params["deprived_dwellings"]
        if household.dwelling in damaged or "housing_area" in deprived:
            add(
                SupportKind.HOUSING,
                _("The house is damaged or too small: survey it for repair or a new build."),
            )
        workers = [
            m
            for m in members
            if m.able_to_work and m.employment in ("unemployed", "employed_without_contract")
        ]
        if workers:
            add(
                SupportKind.JOB,
                _(
                    "%(n)s members able to work need a job or a labour contract: "
                    "counselling, training, referral."
                )
                % {"n": len(workers)},
            )
        if status == "poor":
            unable = [m for m in members if m.able_to_work is False or m.severe_disability]
            if unable or household.labour_capacity is False:
                add(
                    SupportKind.INCOME_SUPPORT,
                    _(
                        "Members who cannot work may receive the province's monthly income support "
                        "(prepare the dossier)."
                    ),
                )
            add(
                SupportKind.PRODUCTION,
                _("Production support: livestock, seedlings, tools or extension training."),
            )
        add(SupportKind.DONATION, _("May receive gifts from the “For the Poor” fund and donors."))

    order = {kind: index for index, kind in enumerate(SupportKind.values)}
    suggestions.sort(key=lambda s: (not s.lifts_out, s.received, order[s.kind]))
    return Entitlements(
        status=status,
        status_date=status_date,
        newly_escaped=newly,
        eligible_until=until,
        suggestions=suggestions,
        distance_text=distance_text,
        deprived=tuple(deprived),
    )
