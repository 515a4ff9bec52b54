"""Importing a review round's household list (format C) from files as communes keep them."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from giamngheo.households.models import Household, Member, Relation
from giamngheo.imports.household_list import households_import
from giamngheo.imports.report import DECISION_NOT_GIVEN
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound, RoundState
from giamngheo.reviews.services import review_round_open
from giamngheo.testing.files import HEADER, HOUSEHOLDS, commune_workbook, csv_file

pytestmark = pytest.mark.django_db


def history_rows() -> tuple[int, int, int, int]:
    return (
        Household.history.count(),
        Member.history.count(),
        ReviewResult.history.count(),
        ReviewRound.history.count(),
    )


def test_a_commune_workbook_with_titles_merged_cells_total_and_signature_imports_every_household(
    son_trung, commune_xlsx
):
    report = households_import(path=commune_xlsx, year=2024)
    assert report.rows == 5
    assert (report.households.created, report.heads.created, report.results.created) == (5, 5, 5)
    assert report.commune_code == son_trung.code
    households = {h.code: h for h in Household.objects.select_related("village")}
    assert sorted(households) == ["ST001", "ST002", "ST003", "ST004", "ST005"]
    an = households["ST001"]
    assert (an.village.name, an.head_name, an.size, an.commune_id) == (
        "Mai Hà",
        "Nguyễn Văn An",
        4,
        son_trung.pk,
    )
    assert an.unit_path == an.village.path and an.labour_capacity is True and an.social_protection is True
    assert households["ST002"].village.name == "Mai Hà"  # "Thôn Mai Hà": with its level word
    assert households["ST004"].village.name == "Hà Tràng"  # "ha trang": no accents, lower case
    assert households["ST002"].labour_capacity is None  # empty: derive from the members
    assert households["ST003"].meritorious is True and households["ST005"].ethnic_minority is True


def test_the_head_becomes_a_member_with_the_citizen_id_and_excel_lost_leading_zero_is_restored(
    son_trung, commune_xlsx
):
    households_import(path=commune_xlsx, year=2024)
    heads = {
        m.household.code: m for m in Member.objects.select_related("household").filter(relation=Relation.HEAD)
    }
    assert heads["ST001"].full_name == "Nguyễn Văn An" and heads["ST001"].citizen_id == "042080001234"
    assert heads["ST002"].citizen_id == "042080005678"  # a number cell: 42080005678
    assert heads["ST003"].citizen_id == ""
    assert heads["ST001"].unit_path == heads["ST001"].household.unit_path


def test_an_imported_list_is_the_official_decided_result_of_the_regular_round(son_trung, commune_xlsx):
    report = households_import(
        path=commune_xlsx, year=2024, decision_number="123/QĐ-UBND", decision_date=datetime.date(2024, 12, 20)
    )
    review_round = ReviewRound.objects.get(commune=son_trung, year=2024)
    assert review_round.state == RoundState.DECIDED and review_round.kind == "regular"
    assert (review_round.decision_number, review_round.decision_date) == (
        "123/QĐ-UBND",
        datetime.date(2024, 12, 20),
    )
    assert report.round_decided_now and report.round_created
    statuses = dict(ReviewResult.objects.values_list("household__code", "status"))
    assert statuses == {
        "ST001": "poor",
        "ST002": "near_poor",
        "ST003": "not_poor",
        "ST004": "average",
        "ST005": "poor",
    }
    result = ReviewResult.objects.get(household__code="ST001")
    assert result.source == ResultSource.IMPORTED and result.members == 4 and result.social_protection
    assert result.unit_path == result.household.unit_path


def test_without_a_decision_number_the_round_is_decided_with_a_marker_and_the_review_date(
    son_trung, commune_xlsx
):
    households_import(path=commune_xlsx, year=2024)
    review_round = ReviewRound.objects.get(commune=son_trung, year=2024)
    assert review_round.decision_number == DECISION_NOT_GIVEN
    assert review_round.decision_date == review_round.review_date == datetime.date(2024, 12, 14)


def test_a_draft_import_leaves_the_round_open(son_trung, commune_xlsx):
    report = households_import(path=commune_xlsx, year=2024, draft=True)
    assert ReviewRound.objects.get(commune=son_trung, year=2024).state == RoundState.OPEN
    assert report.round_state == RoundState.OPEN and not report.round_decided_now


def test_importing_the_same_file_twice_changes_nothing_not_even_history(son_trung, commune_xlsx):
    households_import(path=commune_xlsx, year=2024)
    before = history_rows()
    versions = dict(Household.objects.values_list("code", "version"))
    report = households_import(path=commune_xlsx, year=2024)
    assert not report.changed
    assert (report.households.unchanged, report.heads.unchanged, report.results.unchanged) == (5, 5, 5)
    assert history_rows() == before
    assert dict(Household.objects.values_list("code", "version")) == versions


def test_a_draft_imported_twice_changes_nothing_either(son_trung, commune_xlsx):
    households_import(path=commune_xlsx, year=2024, draft=True)
    before = history_rows()
    assert not households_import(path=commune_xlsx, year=2024, draft=True).changed
    assert history_rows() == before


def test_a_dry_run_reports_what_would_change_and_writes_nothing(son_trung, commune_xlsx):
    report = households_import(path=commune_xlsx, year=2024, dry_run=True)
    assert (
        report.dry_run
        and report.households.created == 5
        and report.round_created
        and report.round_decided_now
    )
    assert (
        not Household.objects.exists() and not ReviewRound.objects.exists() and history_rows() == (0, 0, 0, 0)
    )
    assert any("DRY RUN" in line for line in report.lines())


def test_a_corrected_list_updates_only_what_changed_and_keeps_the_history(son_trung, tmp_path):
    first = commune_workbook(tmp_path / "v1.xlsx")
    households_import(path=first, year=2024, draft=True)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][3] = 5  # ST001: one more member
    rows[2][2] = "Hồ Sơn"  # ST003 moved village
    rows[3][1] = "Phạm Thị Dung Mới"  # ST004: the head's name corrected
    before_household_history = Household.history.count()
    report = households_import(path=commune_workbook(tmp_path / "v2.xlsx", rows), year=2024, draft=True)
    assert (report.households.updated, report.households.unchanged) == (3, 2)
    assert (report.heads.updated, report.results.updated) == (1, 2)  # ST001 members, ST003 moved
    assert Household.history.count() == before_household_history + 3
    moved = Household.objects.select_related("village").get(code="ST003")
    assert moved.village.name == "Hồ Sơn" and moved.version == 2
    assert Member.objects.get(household=moved).unit_path == moved.village.path
    assert ReviewResult.objects.get(household=moved).unit_path == moved.village.path
    assert ReviewResult.objects.get(household__code="ST001").members == 5
    assert (
        Member.objects.get(household__code="ST004", relation=Relation.HEAD).full_name == "Phạm Thị Dung Mới"
    )
    assert Household.history.filter(code="ST001").first().history_change_reason.startswith("Nhập danh sách")


def test_a_household_not_in_the_file_keeps_its_record_and_gets_no_result(son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "2023.xlsx"), year=2023)
    households_import(path=commune_workbook(tmp_path / "2024.xlsx", HOUSEHOLDS[:3]), year=2024)
    assert Household.objects.count() == 5
    assert set(
        ReviewResult.objects.filter(review_round__year=2024).values_list("household__code", flat=True)
    ) == {
        "ST001",
        "ST002",
        "ST003",
    }


def test_a_decided_round_refuses_a_file_that_changes_its_results_and_writes_nothing(son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "v1.xlsx"), year=2024, decision_number="5/QĐ")
    rows = [list(r) for r in HOUSEHOLDS]
    rows[1][4] = "nghèo"  # ST002: near-poor → poor
    rows[0][1] = "Nguyễn Văn Ân"  # a register change too
    before = history_rows()
    with pytest.raises(Exception, match="bị khoá") as caught:
        households_import(path=commune_workbook(tmp_path / "v2.xlsx", rows), year=2024)
    assert "(dòng 10)" in str(caught.value) and "5/QĐ" in str(caught.value)
    assert history_rows() == before
    assert Household.objects.get(code="ST001").head_name == "Nguyễn Văn An"


def test_a_decided_round_still_accepts_register_corrections_that_leave_its_results_alone(son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "v1.xlsx"), year=2024)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][1] = "Nguyễn Văn Ân"
    report = households_import(path=commune_workbook(tmp_path / "v2.xlsx", rows), year=2024)
    assert report.households.updated == 1 and not report.results.changed
    assert Household.objects.get(code="ST001").head_name == "Nguyễn Văn Ân"


def test_a_survey_round_opened_before_gets_the_imported_results(son_trung, commune_xlsx):
    review_round_open(commune=son_trung, year=2024)
    households_import(path=commune_xlsx, year=2024, draft=True)
    assert ReviewRound.objects.count() == 1 and ReviewResult.objects.count() == 5


def test_a_csv_with_bom_semicolons_and_canonical_headers_imports_too(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "list.csv",
        [
            "household_id;village;head_name;members;status;social_protection",
            "C1;18133-03;Đinh Văn Giáp;3;near_poor;1",
            "C2;Hồ Sơn;Đinh Thị Hạnh;2;average;0",
        ],
        bom=True,
    )
    report = households_import(path=path, year=2024)
    assert report.households.created == 2
    assert set(Household.objects.values_list("village__name", flat=True)) == {"Hồ Sơn"}


def test_decomposed_vietnamese_is_stored_composed_so_a_re_import_matches(son_trung, tmp_path):
    import unicodedata

    name = unicodedata.normalize("NFD", "Nguyễn Thị Huệ")
    path = csv_file(
        tmp_path / "nfd.csv", ["Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Phân loại", f"N1,Mai Hà,{name},2,nghèo"]
    )
    households_import(path=path, year=2024)
    assert Household.objects.get(code="N1").head_name == "Nguyễn Thị Huệ"
    assert not households_import(path=path, year=2024).changed


def test_village_codes_in_a_village_code_column_win_and_must_agree_with_the_name(son_trung, tmp_path):
    ok = csv_file(
        tmp_path / "ok.csv",
        ["Mã hộ,Thôn,Mã thôn,Họ và tên chủ hộ,Số khẩu,Phân loại", "K1,Yên Sơn,18133-09,An,2,nghèo"],
    )
    households_import(path=ok, year=2024)
    assert Household.objects.get(code="K1").village.code == "18133-09"
    bad = csv_file(
        tmp_path / "bad.csv",
        ["Mã hộ,Thôn,Mã thôn,Họ và tên chủ hộ,Số khẩu,Phân loại", "K2,Mai Hà,18133-09,An,2,nghèo"],
    )
    with pytest.raises(Exception, match="không khớp mã thôn 18133-09"):
        households_import(path=bad, year=2024)


def test_a_status_is_computed_by_the_engine_when_the_file_has_format_a_columns_instead(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "survey.csv",
        [
            "Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Thu nhập bình quân,health_insurance,drinking_water,"
            "sanitation",
            "F1,Mai Hà,A,3,1200000,1,1,1",  # at or below the rural line, 3 deprivations → poor
            "F2,Mai Hà,B,3,1500000,0,1,0",  # at the line (inclusive), 1 deprivation → near-poor
            "F3,Mai Hà,C,3,2000000,0,0,0",  # within the average band → average
            "F4,Mai Hà,D,3,5000000,,,",
        ],
    )
    households_import(path=path, year=2024)
    results = {r.household.code: r for r in ReviewResult.objects.select_related("household")}
    assert {c: r.status for c, r in results.items()} == {
        "F1": "poor",
        "F2": "near_poor",
        "F3": "average",
        "F4": "not_poor",
    }
    assert results["F1"].deprivation_count == 3 and results["F1"].b2_score == 30
    assert results["F1"].deprived == "health_insurance;drinking_water;sanitation"
    assert results["F1"].income_per_capita == 1200000 and results["F1"].source == ResultSource.IMPORTED
    assert not households_import(path=path, year=2024).changed


def test_an_inverse_no_labour_capacity_column_is_understood(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "knld.csv",
        [
            "Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Phân loại,Không có khả năng lao động",
            "L1,Mai Hà,A,1,nghèo,x",
            "L2,Mai Hà,B,2,nghèo,",
        ],
    )
    households_import(path=path, year=2024)
    assert dict(Household.objects.values_list("code", "labour_capacity")) == {"L1": False, "L2": None}


def test_names_of_villages_in_two_communes_are_resolved_by_the_commune_all_rows_share(son_trung, tmp_path):
    from giamngheo.units.models import Unit, UnitLevel
    from giamngheo.units.services import UnitData, unit_create

    # Sơn Hồng gets a "Mai Hà" too: the file's other villages are only in Sơn Trung, which decides.
    son_hong = Unit.objects.get(code="18136")
    unit_create(
        data=UnitData(
            code="18136-09",
            name="Mai Hà",
            level=UnitLevel.objects.get(code="village"),
            parent=son_hong,
            area="rural",
        )
    )
    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024)
    assert Household.objects.filter(village__code="18136-09").count() == 0
    assert set(Household.objects.values_list("commune__code", flat=True)) == {"18133"}


def test_the_header_row_may_have_its_columns_in_any_order_and_without_numbering(son_trung, tmp_path):
    header = ["Thôn", "Số khẩu", "Mã hộ", "Phân loại", "Họ và tên chủ hộ"]
    rows = [("Mai Hà", 2, "O1", "nghèo", "An"), ("Hà Tràng", 3, "O2", "cận nghèo", "Bình")]
    path = commune_workbook(tmp_path / "o.xlsx", rows, header=header, numbered=False)
    report = households_import(path=path, year=2024)
    assert report.rows == 2 and Household.objects.get(code="O2").size == 3
    assert HEADER[0] == "STT"


def test_a_closed_household_in_the_list_is_refused(son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "a.xlsx"), year=2023)
    Household.objects.filter(code="ST002").update(dissolved_on=datetime.date(2024, 3, 1))
    with pytest.raises(Exception, match="ST002") as caught:
        households_import(path=commune_workbook(tmp_path / "b.xlsx"), year=2024)
    assert caught.value.problems[0].row == 10 and "01/03/2024" in caught.value.problems[0].message_vi
    assert not ReviewRound.objects.filter(year=2024).exists()


def test_an_official_list_sets_the_registers_latest_status(son_trung, commune_xlsx):
    households_import(path=commune_xlsx, year=2024)
    assert dict(Household.objects.values_list("code", "status"))["ST001"] == "poor"


def test_a_renamed_head_keeps_the_other_members_names_searchable(son_trung, tmp_path):
    from giamngheo.households.services import member_add

    households_import(path=commune_workbook(tmp_path / "a.xlsx"), year=2024, draft=True)
    household = Household.objects.get(code="ST001")
    member_add(actor=None, household=household, full_name="Nguyễn Thị Bé")
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][1] = "Nguyễn Văn Ân"
    households_import(path=commune_workbook(tmp_path / "b.xlsx", rows), year=2024, draft=True)
    text = Household.objects.get(code="ST001").search_text
    assert "nguyen van an" in text and "st001" in text and "nguyen thi be" in text


def test_a_household_saved_by_someone_else_during_the_import_is_a_conflict_and_nothing_is_written(
    son_trung, tmp_path, monkeypatch
):
    from giamngheo.households.services import ConflictError
    from giamngheo.imports import household_list

    households_import(path=commune_workbook(tmp_path / "a.xlsx"), year=2024, draft=True)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][3] = 7
    real_plan = household_list._plan_batch

    def plan_then_someone_saves(*args, **kwargs):  # type: ignore[no-untyped-def]
        plan = real_plan(*args, **kwargs)
        Household.objects.filter(code="ST001").update(
            version=99
        )  # another user's save, between read and write
        return plan

    monkeypatch.setattr(household_list, "_plan_batch", plan_then_someone_saves)
    before = history_rows()
    with pytest.raises(ConflictError):
        households_import(path=commune_workbook(tmp_path / "b.xlsx", rows), year=2024, draft=True)
    assert Household.objects.get(code="ST001").size == 4 and history_rows() == before


def test_an_official_list_refreshes_the_stored_status_the_register_filters_use_once(
    son_trung, officer, tmp_path, monkeypatch
):
    from giamngheo.households.selectors import RegisterQuery, register_page
    from giamngheo.imports import household_list
    from giamngheo.reviews import statuses
    from giamngheo.reviews.selectors import communes_with_stale_status
    from giamngheo.reviews.services import decision as review_decision  # looks the refresh up itself

    refreshed = []

    def counted(**kwargs):  # type: ignore[no-untyped-def]  # the real refresh, counted
        refreshed.append(kwargs["commune"].pk)
        return statuses.household_statuses_refresh(**kwargs)

    monkeypatch.setattr(household_list, "household_statuses_refresh", counted)
    monkeypatch.setattr(review_decision, "household_statuses_refresh", counted)
    households_import(path=commune_workbook(tmp_path / "2023.xlsx"), year=2023)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][4] = "không nghèo"  # ST001 leaves the poor list in 2024
    households_import(path=commune_workbook(tmp_path / "2024.xlsx", rows), year=2024, actor=officer)
    assert refreshed == [son_trung.pk, son_trung.pk]  # once per official list, by the decision

    stored = {h.code: h for h in Household.objects.all()}
    assert (stored["ST001"].status, stored["ST001"].status_date) == ("not_poor", datetime.date(2024, 12, 14))
    assert stored["ST001"].escaped_on == datetime.date(2024, 12, 14)
    assert (stored["ST005"].status, stored["ST002"].status) == ("poor", "near_poor")
    assert communes_with_stale_status(officer) == 0  # the list page has nothing left to recompute

    def codes(**query):  # type: ignore[no-untyped-def]
        return sorted(h.code for h in register_page(officer, RegisterQuery(**query), page_size=50).rows)

    assert codes(status="poor") == ["ST005"]
    assert codes(status="not_poor") == ["ST001", "ST003"]
    with time_machine.travel(datetime.datetime(2025, 1, 15, tzinfo=datetime.UTC)):
        assert codes(newly_escaped=True) == ["ST001"]


def test_a_draft_list_leaves_the_stored_status_of_the_last_decided_list(son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "2023.xlsx"), year=2023)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][4] = "không nghèo"
    households_import(path=commune_workbook(tmp_path / "2024.xlsx", rows), year=2024, draft=True)
    household = Household.objects.get(code="ST001")
    assert (household.status, household.status_date) == ("poor", datetime.date(2023, 12, 14))
