"""A household list is written in short transactions, so other writers take turns with it (on SQLite, one
writer at a time: a long import made web saves fail with "database is locked"), and an import that does not
finish is undone whole: nothing of it stays (issue 12, point 5)."""

from __future__ import annotations

import datetime
import os
import socket
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.utils import timezone

from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.imports import household_list
from giamngheo.imports.household_list import households_import
from giamngheo.imports.models import ImportInProgress, ImportUndoStep
from giamngheo.imports.progress import NoProgress
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.testing.files import HOUSEHOLDS, commune_workbook

pytestmark = pytest.mark.django_db

VILLAGES = ("Mai Hà", "Hà Tràng", "Hải Thượng")


def new_rows(count: int) -> list[tuple[object, ...]]:
    return [
        (
            f"TT{n:04d}",
            f"Người Thứ {n}",
            VILLAGES[n % 3],
            1 + n % 5,
            ("Nghèo", "không nghèo")[n % 2],
            "",
            "x",
            "",
            "",
            "",
        )
        for n in range(count)
    ]


def register() -> dict[str, object]:
    """Everything an import writes, with its history, and the changed household's values."""
    return {
        "households": sorted(
            Household.objects.values_list("code", "head_name", "size", "version", "unit_path")
        ),
        "heads": sorted(Member.objects.values_list("household__code", "full_name", "citizen_id", "version")),
        "results": sorted(
            ReviewResult.objects.values_list("household__code", "review_round__year", "status")
        ),
        "rounds": sorted(ReviewRound.objects.values_list("year", "state")),
        "history": (
            Household.history.count(),
            Member.history.count(),
            ReviewResult.history.count(),
            ReviewRound.history.count(),
        ),
    }


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(household_list, "BATCH", 3)
    return 3


@pytest.fixture
def imported_2023(son_trung, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    households_import(path=commune_workbook(tmp_path / "2023.xlsx"), year=2023)
    return tmp_path


def changed_and_new(tmp_path: Path, extra: list[tuple[object, ...]]) -> Path:
    """ST002 renamed and moved (an update of a household, its head and members), then new households."""
    st002 = ("ST002", "Trần Thị Bình Mới", "Hải Thượng", 3, "Nghèo", "", "", "", "", "")
    return commune_workbook(tmp_path / "2024.xlsx", [st002, *HOUSEHOLDS[2:], *extra])


def test_a_problem_found_in_a_later_batch_leaves_nothing_of_the_earlier_ones(imported_2023, small_batches):
    # The last row gives ST001's head's citizen ID to a new household: found against the register only,
    # in the fourth batch, after three batches were written.
    taken = ("TT9999", "Người Cuối", "Mai Hà", 2, "Nghèo", "042080001234", "", "", "", "")
    path = changed_and_new(imported_2023, [*new_rows(8), taken])
    before = register()
    with pytest.raises(InputError, match="042080001234"):
        households_import(path=path, year=2024)
    assert register() == before
    assert not ImportInProgress.objects.exists() and not ImportUndoStep.objects.exists()


def test_a_decision_refused_after_every_batch_was_written_undoes_them_all(imported_2023, small_batches):
    path = changed_and_new(imported_2023, new_rows(7))
    before = register()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(InputError):
        households_import(path=path, year=2024, decision_number="12/QĐ-UBND", decision_date=tomorrow)
    assert register() == before
    assert not ImportInProgress.objects.exists()
    # The same file then imports whole.
    report = households_import(path=path, year=2024, decision_number="12/QĐ-UBND")
    assert report.households.created == 7 and report.households.updated == 1
    assert Household.objects.get(code="ST002").head_name == "Trần Thị Bình Mới"
    assert not ImportInProgress.objects.exists() and not ImportUndoStep.objects.exists()


def test_an_import_left_unfinished_by_a_dead_process_is_undone_by_the_next_one(imported_2023, son_trung):
    orphan = Household.objects.get(code="ST001")
    # What a killed import leaves: its marker (the process is gone) and the undo step of a batch it wrote.
    run = ImportInProgress.objects.create(
        commune=son_trung,
        file_name="killed.xlsx",
        reason="killed",
        started_at=timezone.now(),
        worker=f"{socket.gethostname()}:999999999",
        heartbeat_at=timezone.now(),
    )
    ImportUndoStep.objects.create(
        run=run,
        created={
            "households.Household": [orphan.pk],
            "households.Member": list(orphan.members.values_list("pk", flat=True)),
        },
    )
    ReviewResult.objects.filter(household=orphan).delete()
    households_import(path=commune_workbook(imported_2023 / "again.xlsx", HOUSEHOLDS[1:]), year=2024)
    assert not Household.objects.filter(pk=orphan.pk).exists()
    assert not Household.history.filter(id=orphan.pk).exists()
    assert not ImportInProgress.objects.exists()


def test_a_second_import_of_a_commune_waits_for_the_first(imported_2023, son_trung):
    ImportInProgress.objects.create(
        commune=son_trung, file_name="dang-nhap.xlsx", reason="running", started_at=timezone.now(),
        worker=f"{socket.gethostname()}:{os.getpid()}", heartbeat_at=timezone.now(),
    )  # fmt: skip
    before = register()
    with pytest.raises(InputError, match="dang-nhap.xlsx"):
        households_import(path=commune_workbook(imported_2023 / "x.xlsx"), year=2024)
    assert register() == before


class WriterBetweenBatches(NoProgress):
    """Another connection saves a household each time the import reports a batch done, waiting at most half a
    second for the lock (the web's 20 s busy timeout, scaled down)."""

    def __init__(self, household_pk: int) -> None:
        self.pk, self.saved, self.refused = household_pk, 0, []
        self.other = connections.create_connection(DEFAULT_DB_ALIAS)
        self.other.settings_dict = {
            **self.other.settings_dict,
            "OPTIONS": {**self.other.settings_dict["OPTIONS"], "timeout": 0.5},
        }

    def advance(self, rows: int) -> None:
        try:
            with self.other.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("UPDATE households_household SET size = size + 1 WHERE id = %s", [self.pk])
                cursor.execute("COMMIT")
            self.saved += 1
        except OperationalError as error:  # "database is locked": BEGIN IMMEDIATE waited in vain
            self.refused.append(str(error))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one writer at a time")
def test_another_writer_saves_between_the_batches_of_an_import(son_trung, tmp_path, small_batches):
    households_import(path=commune_workbook(tmp_path / "2023.xlsx"), year=2023)
    someone_else = Household.objects.get(code="ST001")  # not in the list below: saved by a person meanwhile
    writer = WriterBetweenBatches(someone_else.pk)
    try:
        households_import(
            path=commune_workbook(tmp_path / "2024.xlsx", [*HOUSEHOLDS[1:], *new_rows(7)]),
            year=2024,
            progress=writer,
        )
    finally:
        writer.other.close()
    assert writer.refused == [] and writer.saved >= 5  # the validation, then each of the four batches
    assert Household.objects.get(pk=someone_else.pk).size == someone_else.size + writer.saved
    assert Household.objects.filter(code__startswith="TT").count() == 7
