"""Submitting a progress report upward, approving or returning it; an approved report is locked and a
correction is a new version with a reason."""

import pytest

from giamngheo.errors import InputError
from giamngheo.reports import services as report_services
from giamngheo.reports.models import ProgressReport, ReportState
from giamngheo.support import services


def test_submit_then_approve_locks_the_figures(support_register, officer, system_admin):
    report = report_services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023-Q2"
    )
    assert (report.version, report.state, report.data["total"]["households"]) == (1, ReportState.SUBMITTED, 6)
    approved = report_services.progress_report_decide(actor=system_admin, report=report, approve=True)
    assert approved.is_locked and approved.decided_by == system_admin
    services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="loan",
        form="loan_poor",
        date="2023-05-01",
        amount=10_000_000,
    )
    assert ProgressReport.objects.get().data == report.data  # later records never change a submitted version
    with pytest.raises(InputError):
        report_services.progress_report_decide(
            actor=system_admin, report=report, approve=False, comment="Sai"
        )


def test_a_correction_of_an_approved_report_is_a_new_version_with_a_reason(
    support_register, officer, system_admin
):
    report = report_services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023"
    )
    report_services.progress_report_decide(actor=system_admin, report=report, approve=True)
    with pytest.raises(InputError) as error:
        report_services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023")
    assert error.value.problems[0].column == "reason"
    second = report_services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023", reason="Bổ sung hỗ trợ tháng 12"
    )
    assert (second.version, second.reason) == (2, "Bổ sung hỗ trợ tháng 12")
    assert ProgressReport.objects.get(version=1).state == ReportState.APPROVED


def test_a_version_awaiting_a_decision_blocks_another(support_register, officer):
    report_services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-05")
    with pytest.raises(InputError):
        report_services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-05")


def test_returning_needs_a_comment_and_the_unit_resubmits(support_register, officer, system_admin):
    report = report_services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023-05"
    )
    with pytest.raises(InputError) as error:
        report_services.progress_report_decide(actor=system_admin, report=report, approve=False)
    assert error.value.problems[0].column == "comment"
    report_services.progress_report_decide(
        actor=system_admin, report=report, approve=False, comment="Thiếu số liệu thôn Hồ Sơn"
    )
    again = report_services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023-05"
    )
    assert again.version == 2


def test_who_may_submit_and_decide(
    support_register, officer, village_head, province_viewer, other_officer, system_admin
):
    for actor in (village_head, province_viewer, other_officer):
        with pytest.raises(InputError):
            report_services.progress_report_submit(
                actor=actor, unit=support_register.commune, period="2023-05"
            )
    report = report_services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023-05"
    )
    for actor in (
        officer,
        village_head,
        province_viewer,
        other_officer,
    ):  # not the unit itself; viewers read only
        with pytest.raises(InputError):
            report_services.progress_report_decide(actor=actor, report=report, approve=True)
    report_services.progress_report_decide(actor=system_admin, report=report, approve=True)


def test_the_moved_models_keep_their_tables_so_no_data_moves():
    from giamngheo.documents.models import DocumentJob

    assert ProgressReport._meta.db_table == "support_progressreport"
    assert ProgressReport.history.model._meta.db_table == "support_historicalprogressreport"
    assert DocumentJob._meta.db_table == "reports_documentjob"


def test_nobody_decides_a_report_they_submitted_not_even_an_administrator(
    support_register, system_admin, client
):
    from giamngheo.accounts.models import User

    report = report_services.progress_report_submit(
        actor=system_admin, unit=support_register.commune, period="2023-05"
    )
    with pytest.raises(InputError, match="submitted"):
        report_services.progress_report_decide(actor=system_admin, report=report, approve=True)
    client.force_login(system_admin)
    page = client.get(f"/ho-tro/bao-cao/{report.pk}/")
    assert page.status_code == 200 and not page.context["can_decide"]
    assert client.post(f"/ho-tro/bao-cao/{report.pk}/quyet-dinh/", {"decision": "approve"}).status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED
    second = User.objects.create_user(
        username="quantri2", password="x", role=system_admin.role, unit=system_admin.unit
    )
    approved = report_services.progress_report_decide(actor=second, report=report, approve=True)
    assert approved.state == ReportState.APPROVED and approved.decided_by == second
