"""Submitting a progress report upward, approving or returning it; an approved report is locked and a
correction is a new version with a reason."""

import pytest

from giamngheo.errors import InputError
from giamngheo.support import services
from giamngheo.support.models import ProgressReport, ReportState


def test_submit_then_approve_locks_the_figures(support_register, officer, system_admin):
    report = services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-Q2")
    assert (report.version, report.state, report.data["total"]["households"]) == (1, ReportState.SUBMITTED, 6)
    approved = services.progress_report_decide(actor=system_admin, report=report, approve=True)
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
        services.progress_report_decide(actor=system_admin, report=report, approve=False, comment="Sai")


def test_a_correction_of_an_approved_report_is_a_new_version_with_a_reason(
    support_register, officer, system_admin
):
    report = services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023")
    services.progress_report_decide(actor=system_admin, report=report, approve=True)
    with pytest.raises(InputError) as error:
        services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023")
    assert error.value.problems[0].column == "reason"
    second = services.progress_report_submit(
        actor=officer, unit=support_register.commune, period="2023", reason="Bổ sung hỗ trợ tháng 12"
    )
    assert (second.version, second.reason) == (2, "Bổ sung hỗ trợ tháng 12")
    assert ProgressReport.objects.get(version=1).state == ReportState.APPROVED


def test_a_version_awaiting_a_decision_blocks_another(support_register, officer):
    services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-05")
    with pytest.raises(InputError):
        services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-05")


def test_returning_needs_a_comment_and_the_unit_resubmits(support_register, officer, system_admin):
    report = services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-05")
    with pytest.raises(InputError) as error:
        services.progress_report_decide(actor=system_admin, report=report, approve=False)
    assert error.value.problems[0].column == "comment"
    services.progress_report_decide(
        actor=system_admin, report=report, approve=False, comment="Thiếu số liệu thôn Hồ Sơn"
    )
    assert (
        services.progress_report_submit(
            actor=officer, unit=support_register.commune, period="2023-05"
        ).version
        == 2
    )


def test_who_may_submit_and_decide(
    support_register, officer, village_head, province_viewer, other_officer, system_admin
):
    for actor in (village_head, province_viewer, other_officer):
        with pytest.raises(InputError):
            services.progress_report_submit(actor=actor, unit=support_register.commune, period="2023-05")
    report = services.progress_report_submit(actor=officer, unit=support_register.commune, period="2023-05")
    for actor in (
        officer,
        village_head,
        province_viewer,
        other_officer,
    ):  # not the unit itself; viewers read only
        with pytest.raises(InputError):
            services.progress_report_decide(actor=actor, report=report, approve=True)
    services.progress_report_decide(actor=system_admin, report=report, approve=True)
