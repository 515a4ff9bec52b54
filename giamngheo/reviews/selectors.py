"""Scoped reads of review rounds: rounds a user may see, progress per village, results, official lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.households.models import Household, StatusRefresh
from giamngheo.reviews.models import (
    Complaint,
    Posting,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundState,
    Status,
    Step,
    Survey,
    VillageMeeting,
    effective_date,
)
from giamngheo.reviews.statuses import decided_rounds_keys
from giamngheo.standards.transitions import Transition
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q, unit_children


def results_visible_to(user: User) -> QuerySet[ReviewResult]:
    return ReviewResult.objects.filter(scope_q(user, field="unit_path"))


def decided_regular_round(*, commune: Unit, year: int) -> ReviewRound | None:
    return ReviewRound.objects.filter(
        commune=commune, year=year, kind=RoundKind.REGULAR, state=RoundState.DECIDED
    ).first()


def counts_by_unit_path(*, user: User, review_round: ReviewRound, under: Unit) -> dict[str, dict[str, int]]:
    """Households and people by status for each village path below ``under``: one GROUP BY query."""
    rows = (
        results_visible_to(user)
        .filter(review_round=review_round, unit_path__startswith=under.path)
        .values("unit_path")
        .annotate(
            households=Count("id"),
            people=Sum("members"),
            poor=Count("id", filter=Q(status=Status.POOR)),
            poor_people=Sum("members", filter=Q(status=Status.POOR)),
            near_poor=Count("id", filter=Q(status=Status.NEAR_POOR)),
            near_poor_people=Sum("members", filter=Q(status=Status.NEAR_POOR)),
        )
    )
    return {row.pop("unit_path"): {k: v or 0 for k, v in row.items()} for row in rows}


# --- rounds ------------------------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """``/42/18133/18133-01/`` → ``["/42/", "/42/18133/", "/42/18133/18133-01/"]``."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def rounds_visible_to(user: User) -> QuerySet[ReviewRound]:
    """Rounds of communes in the user's scope, and the round of the commune a village head works in."""
    base = ReviewRound.objects.select_related("commune", "commune__level")
    if user.is_system_admin:
        return base
    if user.unit is None:
        return base.none()
    return base.filter(
        Q(commune__path__startswith=user.unit.path) | Q(commune__path__in=_ancestor_paths(user.unit.path))
    )


def round_get(*, user: User, pk: int) -> ReviewRound | None:
    return rounds_visible_to(user).filter(pk=pk).first()


def entries_visible_to(user: User, review_round: ReviewRound) -> QuerySet[RoundHousehold]:
    return RoundHousehold.objects.filter(scope_q(user, field="unit_path"), review_round=review_round)


def villages_of_round(*, user: User, review_round: ReviewRound) -> list[Unit]:
    return list(unit_children(user=user, unit=review_round.commune))


# --- progress per village ----------------------------------------------------------------------------------

STEPS = [Step.LISTED, Step.SCREENED_OUT, Step.SCREENED, Step.SURVEYED, Step.AGREED, Step.POSTED, Step.DECIDED]


@dataclass
class VillageProgress:
    village: Unit | None  # None: the commune total
    steps: dict[int, int] = field(default_factory=dict)
    back_to_survey: int = 0
    poor: int = 0
    near_poor: int = 0
    results: int = 0
    # Households with a result but not on the round's list: an imported list (decided on paper) brings
    # results only. They are listed with their result too (issue 11 B).
    imported: int = 0
    deferred: int = 0  # left for a later round: not at any step of this one

    @property
    def total(self) -> int:
        return sum(self.steps.values()) + self.imported + self.deferred

    @property
    def step_counts(self) -> list[int]:
        return [self.steps.get(step, 0) for step in STEPS]

    def add(self, other: VillageProgress) -> None:
        for step, n in other.steps.items():
            self.steps[step] = self.steps.get(step, 0) + n
        self.back_to_survey += other.back_to_survey
        self.poor += other.poor
        self.near_poor += other.near_poor
        self.results += other.results
        self.imported += other.imported
        self.deferred += other.deferred


@dataclass
class RoundOverview:
    review_round: ReviewRound
    villages: list[VillageProgress]
    total: VillageProgress
    open_complaints: int
    complaints: int


def _results_off_the_list(user: User, review_round: ReviewRound) -> QuerySet[ReviewResult]:
    """Results of households that are not on the round's list (an imported list brings results only)."""
    on_list = RoundHousehold.objects.filter(review_round=review_round, household_id=OuterRef("household_id"))
    return results_visible_to(user).filter(~Exists(on_list), review_round=review_round)


def round_overview(*, user: User, review_round: ReviewRound) -> RoundOverview:
    """Households per step and per village (one GROUP BY), results by status (one GROUP BY), complaints."""
    villages = villages_of_round(user=user, review_round=review_round)
    by_path = {v.path: VillageProgress(village=v) for v in villages}
    rows = (
        entries_visible_to(user, review_round)
        .values("unit_path", "step", "deferred")
        .annotate(n=Count("id"), back=Count("id", filter=Q(back_to_survey=True)))
    )
    for row in rows:
        progress = by_path.get(row["unit_path"])
        if progress is None:
            continue
        if row["deferred"]:
            progress.deferred += row["n"]
        else:
            progress.steps[row["step"]] = row["n"]
            progress.back_to_survey += row["back"]
    for path, counts in counts_by_unit_path(
        user=user, review_round=review_round, under=review_round.commune
    ).items():
        progress = by_path.get(path)
        if progress is not None:
            progress.poor, progress.near_poor = counts["poor"], counts["near_poor"]
            progress.results = counts["households"]
    imported = (
        _results_off_the_list(user, review_round)
        .values("unit_path")
        .annotate(n=Count("id"))
        .values_list("unit_path", "n")
    )
    for path, n in imported:
        if (progress := by_path.get(path)) is not None:
            progress.imported = n
    total = VillageProgress(village=None)
    for progress in by_path.values():
        total.add(progress)
    complaints = Complaint.objects.filter(
        scope_q(user, field="unit_path"), review_round=review_round
    ).aggregate(all=Count("id"), open=Count("id", filter=Q(outcome="")))
    return RoundOverview(
        review_round=review_round,
        villages=list(by_path.values()),
        total=total,
        open_complaints=complaints["open"],
        complaints=complaints["all"],
    )


FLOW = [Step.LISTED, Step.SCREENED, Step.SURVEYED, Step.AGREED, Step.POSTED, Step.DECIDED]


@dataclass(frozen=True)
class EntryRow:
    """A household of a village page: on the round's list (``entry``) with its result if any, or — for an
    imported list — only its result (``entry`` None)."""

    entry: RoundHousehold | None
    result: ReviewResult | None

    @property
    def household(self):  # type: ignore[no-untyped-def]
        return self.entry.household if self.entry is not None else self.result.household

    @property
    def screening(self):  # type: ignore[no-untyped-def]
        return _one(self.entry, "screening")

    def progress(self) -> list[tuple[str, str]]:
        """(label, css class) for each step of the strip: done, current, skipped (no Phiếu A for a household
        already on the lists), or empty (not reached)."""
        from giamngheo.reviews.labels import FLOW_LABELS

        if self.entry is None:
            return []
        step, screened = self.entry.step, self.screening is not None
        strip = []
        for value in FLOW:
            if step == Step.SCREENED_OUT:
                css = "done" if value == Step.LISTED else "current" if value == Step.SCREENED else "skipped"
            elif value == Step.SCREENED and not screened and (step > value or self.entry.reason == "on_list"):
                css = "skipped"
            else:
                css = "done" if step > value else "current" if step == value else ""
            strip.append((str(FLOW_LABELS[value]), css))
        return strip


def _one(obj, name: str):  # type: ignore[no-untyped-def]
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def village_entries(
    *, user: User, review_round: ReviewRound, village: Unit, step: int | None = None
) -> list[EntryRow]:
    """The households of a village on the round's list, each with its result: three queries in all."""
    entries = (
        entries_visible_to(user, review_round)
        .filter(unit_path=village.path)
        .select_related("household", "screening", "survey", "posting")
        .order_by("household__code")
    )
    if step is not None:
        entries = entries.filter(step=step, deferred=False)
    listed = list(entries)
    results = {
        r.household_id: r
        for r in results_visible_to(user).filter(review_round=review_round, unit_path=village.path)
    }
    rows = [EntryRow(entry=e, result=results.get(e.household_id)) for e in listed]
    if step is None or (step == Step.DECIDED and review_round.is_decided):
        # An imported list's households: results only, decided with the round (issue 11 B).
        off_list = (
            _results_off_the_list(user, review_round)
            .filter(unit_path=village.path)
            .select_related("household")
            .order_by("household__code")
        )
        rows.extend(EntryRow(entry=None, result=r) for r in off_list)
        rows.sort(key=lambda row: row.household.code)
    return rows


def entry_get(*, user: User, review_round: ReviewRound, pk: int) -> RoundHousehold | None:
    return (
        entries_visible_to(user, review_round)
        .select_related("household", "household__village", "review_round__commune", "screening", "survey")
        .filter(pk=pk)
        .first()
    )


def last_b1_region(*, commune: Unit, regions: Iterable[str]) -> str | None:
    """The B1 region of the commune's latest Phiếu B scored from items in one of ``regions`` (a commune lies
    in one region: the next survey starts on it)."""
    return (
        Survey.objects.filter(entry__household__commune=commune, b1_region__in=list(regions))
        .order_by("-surveyed_on", "-pk")
        .values_list("b1_region", flat=True)
        .first()
    )


def village_meetings(*, user: User, review_round: ReviewRound, village: Unit) -> list[VillageMeeting]:
    return list(
        VillageMeeting.objects.filter(
            scope_q(user, field="unit_path"), review_round=review_round, village=village
        )
        .annotate(
            n_agreed=Count("votes", filter=Q(votes__agreed=True)),
            n_back=Count("votes", filter=Q(votes__agreed=False)),
        )
        .order_by("held_on", "pk")
    )


def village_postings(*, user: User, review_round: ReviewRound, village: Unit) -> list[Posting]:
    return list(
        Posting.objects.filter(
            scope_q(user, field="unit_path"), review_round=review_round, village=village
        ).order_by("starts_on", "pk")
    )


def posting_get(*, user: User, review_round: ReviewRound, pk: int) -> Posting | None:
    return (
        Posting.objects.filter(scope_q(user, field="unit_path"), review_round=review_round, pk=pk)
        .select_related("village__level", "review_round__commune__level")
        .first()
    )


def meeting_get(*, user: User, review_round: ReviewRound, pk: int) -> VillageMeeting | None:
    return (
        VillageMeeting.objects.filter(scope_q(user, field="unit_path"), review_round=review_round, pk=pk)
        .select_related("village__level", "review_round__commune__level")
        .prefetch_related("votes__entry__household")
        .first()
    )


def round_complaints(*, user: User, review_round: ReviewRound) -> list[Complaint]:
    return list(
        Complaint.objects.filter(scope_q(user, field="unit_path"), review_round=review_round)
        .select_related("entry__household__village")
        .order_by("received_on", "pk")
    )


def complaint_get(*, user: User, review_round: ReviewRound, pk: int) -> Complaint | None:
    return (
        Complaint.objects.filter(scope_q(user, field="unit_path"), review_round=review_round, pk=pk)
        .select_related("entry__household")
        .first()
    )


# --- official lists and certificates -----------------------------------------------------------------------

LIST_KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "poor": {"status": (Status.POOR,)},
    "near_poor": {"status": (Status.NEAR_POOR,)},
    "escaped_poverty": {"transition": (Transition.ESCAPED_POVERTY, Transition.ESCAPED_TO_NEAR_POOR)},
    "escaped_near_poverty": {"transition": (Transition.ESCAPED_NEAR_POVERTY,)},
    "newly": {"transition": (Transition.NEWLY_POOR, Transition.NEWLY_NEAR_POOR)},
    "fell_back": {"transition": (Transition.FELL_BACK_POOR, Transition.FELL_BACK_NEAR_POOR)},
}


@dataclass(frozen=True)
class ListRow:
    number: int
    code: str
    head_name: str
    members: int
    village: str
    status: str
    movement: str  # a Transition value, "" when unknown


def official_list(
    *, user: User, review_round: ReviewRound, kind: str, village: Unit | None = None
) -> list[ListRow]:
    """The households of one official list, in the villages' official order, then by household code.

    A decided round uses the movements stored at the decision; an open round computes them now (a draft).
    """
    from giamngheo.reviews.services import round_transitions_compute  # a read; lives beside the decision

    if kind not in LIST_KINDS:
        raise KeyError(kind)
    results = results_visible_to(user).filter(review_round=review_round)
    if village is not None:
        results = results.filter(unit_path=village.path)
    rows = list(
        results.select_related("household", "household__village").order_by(
            "household__village__sort_order", "household__village__name", "household__code"
        )
    )
    movements: dict[int, str]
    if review_round.is_decided:
        movements = {r.household_id: r.transition for r in rows}
    else:
        movements = {hid: t.value for hid, t in round_transitions_compute(review_round=review_round).items()}
    wanted = LIST_KINDS[kind]

    def belongs(result: ReviewResult) -> bool:
        if "status" in wanted and result.status not in wanted["status"]:
            return False
        return "transition" not in wanted or movements.get(result.household_id, "") in wanted["transition"]

    selected = [r for r in rows if belongs(r)]
    return [
        ListRow(
            number=index,
            code=r.household.code,
            head_name=r.household.head_name,
            members=r.members,
            village=r.household.village.name,
            status=r.status,
            movement=movements.get(r.household_id, ""),
        )
        for index, r in enumerate(selected, start=1)
    ]


def certificate_results(
    *, user: User, review_round: ReviewRound, village: Unit | None = None, household_id: int | None = None
) -> list[ReviewResult]:
    """Poor and near-poor results with their households and members, for certificates (three queries)."""
    results = results_visible_to(user).filter(
        review_round=review_round, status__in=[Status.POOR, Status.NEAR_POOR]
    )
    if village is not None:
        results = results.filter(unit_path=village.path)
    if household_id is not None:
        results = results.filter(household_id=household_id)
    return list(
        results.select_related("household", "household__village__level")
        .prefetch_related("household__members")
        .order_by("household__village__sort_order", "household__code")
    )


# --- the summary of a round's results (tổng hợp kết quả rà soát; issue 17 D) ------------------------------


@dataclass
class SummaryRow:
    """One village (or the commune total) of the summary report upward."""

    name: str
    households: int = 0  # in the register at the review date: what the rates divide by
    poor_start: int = 0
    near_poor_start: int = 0
    escaped_poverty: int = 0  # thoát nghèo (to near-poor or off the lists)
    escaped_near_poverty: int = 0
    fell_back: int = 0  # tái nghèo, tái cận nghèo
    newly_poor: int = 0
    newly_near_poor: int = 0
    poor_end: int = 0
    near_poor_end: int = 0
    poor_end_ethnic: int = 0  # ethnic-minority households (DTTS) among them
    near_poor_end_ethnic: int = 0

    COUNTS = (
        "households",
        "poor_start",
        "near_poor_start",
        "escaped_poverty",
        "escaped_near_poverty",
        "fell_back",
        "newly_poor",
        "newly_near_poor",
        "poor_end",
        "near_poor_end",
        "poor_end_ethnic",
        "near_poor_end_ethnic",
    )

    def add(self, other: SummaryRow) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def poor_rate(self):  # type: ignore[no-untyped-def]
        from giamngheo.standards.formatting import percent

        return percent(self.poor_end, self.households)

    @property
    def near_poor_rate(self):  # type: ignore[no-untyped-def]
        from giamngheo.standards.formatting import percent

        return percent(self.near_poor_end, self.households)


def round_summary(*, user: User, review_round: ReviewRound) -> tuple[list[SummaryRow], SummaryRow]:
    """By village: the lists at the start (the latest decided review before), the movements of this round,
    and the lists and rates at the end — a household not reviewed in this round keeps its status — with
    the ethnic-minority households among the poor and near-poor. Rates divide by the register at the
    review date."""
    from giamngheo.households.models import Household
    from giamngheo.households.selectors import register_counts
    from giamngheo.reviews.services import current_list_status, round_transitions_compute

    villages = villages_of_round(user=user, review_round=review_round)
    rows = {v.path: SummaryRow(name=v.name) for v in villages}
    households = Household.objects.filter(scope_q(user, field="unit_path"))
    for path, counts in register_counts(
        households, under=review_round.commune.path, on=review_round.review_date
    ).items():
        if path in rows:
            rows[path].households = counts["households"]
    start = current_list_status(review_round=review_round)
    results = {
        r.household_id: r
        for r in results_visible_to(user)
        .filter(review_round=review_round)
        .only("household_id", "status", "transition", "unit_path", "ethnic_minority")
    }
    if review_round.is_decided:
        movements = {hid: r.transition for hid, r in results.items()}
    else:
        movements = {hid: t.value for hid, t in round_transitions_compute(review_round=review_round).items()}
    info = dict(households.filter(pk__in=set(start) | set(results)).values_list("pk", "unit_path"))
    ethnic = set(
        households.filter(pk__in=set(start) | set(results), ethnic_minority=True).values_list("pk", flat=True)
    )
    kinds = {
        Transition.ESCAPED_POVERTY.value: "escaped_poverty",
        Transition.ESCAPED_TO_NEAR_POOR.value: "escaped_poverty",
        Transition.ESCAPED_NEAR_POVERTY.value: "escaped_near_poverty",
        Transition.FELL_BACK_POOR.value: "fell_back",
        Transition.FELL_BACK_NEAR_POOR.value: "fell_back",
        Transition.NEWLY_POOR.value: "newly_poor",
        Transition.NEWLY_NEAR_POOR.value: "newly_near_poor",
    }
    for household_id in set(start) | set(results):
        result = results.get(household_id)
        row = rows.get(result.unit_path if result else info.get(household_id, ""))
        if row is None:
            continue
        before = start.get(household_id)
        row.poor_start += before == Status.POOR
        row.near_poor_start += before == Status.NEAR_POOR
        if (kind := kinds.get(movements.get(household_id, ""))) is not None:
            setattr(row, kind, getattr(row, kind) + 1)
        after = result.status if result else before
        is_ethnic = result.ethnic_minority if result else household_id in ethnic
        if after == Status.POOR:
            row.poor_end += 1
            row.poor_end_ethnic += is_ethnic
        elif after == Status.NEAR_POOR:
            row.near_poor_end += 1
            row.near_poor_end_ethnic += is_ethnic
    total = SummaryRow(name="")
    for row in rows.values():
        total.add(row)
    return list(rows.values()), total


# --- the status in force on a date (the one place that reads it from the decided results) -----------------


def household_review_history(household: Household) -> list[tuple[datetime.date, str, str, int]]:
    """(day it took effect, status, kind, year) of each decided result of the household, oldest first. A
    decided list takes effect from its decision's date (``ReviewRound.effective_date``)."""
    rows = (
        ReviewResult.objects.filter(household=household, review_round__state=RoundState.DECIDED)
        .annotate(effective=effective_date("review_round__"))
        .values_list("effective", "status", "review_round__kind", "review_round__year")
        .order_by("effective", "id")
    )
    return list(rows)


def household_status_on(household: Household, on: datetime.date) -> str | None:
    """The status of the latest decided result in effect on ``on`` (None: never reviewed)."""
    status = None
    for effective, row_status, _kind, _year in household_review_history(household):
        if effective <= on:
            status = row_status
    return status


def household_status_in_force(household: Household, year: int, on: datetime.date | None = None) -> str | None:
    """The household's status on the lists in force during ``year``: the yearly review of an earlier year
    (its lists take effect the year after) amended by ad-hoc reviews decided up to ``on``."""
    on = on or min(timezone.localdate(), datetime.date(year, 12, 31))
    status = None
    for effective, row_status, kind, round_year in household_review_history(household):
        if effective > on or (kind == "regular" and round_year >= year):
            continue
        status = row_status
    return status


def history_from_results(results: Iterable[ReviewResult]) -> list[tuple[datetime.date, str, str, int]]:
    """``household_review_history`` from results already read with their rounds (the household's page)."""
    decided = sorted(
        (r for r in results if r.review_round.state == RoundState.DECIDED),
        key=lambda r: (r.review_round.effective_date, r.pk),
    )
    return [
        (r.review_round.effective_date, r.status, r.review_round.kind, r.review_round.year) for r in decided
    ]


def communes_with_stale_status(user: User) -> int:
    """How many of the user's communes have a stored status older than their decided rounds (0 when every
    write that decides results refreshed it, as it must: ``reviews.statuses``). A read: it fixes nothing."""
    if user.is_system_admin and user.unit is None:
        path = "/"
    elif user.unit is None:
        return 0
    else:
        # A village head's commune: statuses are kept commune by commune.
        path = user.unit.path if user.unit.level.code != "village" else user.unit.path.rsplit("/", 2)[0] + "/"
    current = decided_rounds_keys(under_path=path)
    stored = dict(
        StatusRefresh.objects.filter(commune__path__startswith=path).values_list("commune_id", "rounds_key")
    )
    stale = {pk for pk, key in current.items() if stored.get(pk) != key}
    stale |= {pk for pk, key in stored.items() if pk not in current and key}
    return len(stale)
