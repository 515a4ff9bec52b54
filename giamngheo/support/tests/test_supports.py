"""Recording supports: every kind, needs not yet met, and bad input that writes nothing."""

import datetime

import pytest

from giamngheo.errors import InputError
from giamngheo.support import services
from giamngheo.support.kinds import SupportForm, SupportKind, SupportStatus
from giamngheo.support.models import LedgerEntry, Support


@pytest.fixture
def fund_of_5m(support_register, officer):
    source = services.source_create(
        actor=officer, unit=support_register.commune, kind="for_the_poor_fund", name="Quỹ VNN"
    )
    services.ledger_allocate(
        actor=officer, source=source, amount=5_000_000, date="2023-01-05", description="Số dư"
    )
    return source


def test_an_officer_records_each_kind_of_support(support_register, officer):
    t01, members = support_register["T01"], support_register.members
    cases = [
        dict(
            kind="loan",
            form="loan_poor",
            amount="50.000.000",
            details={"term_months": "60", "outstanding": "50.000.000"},
        ),
        dict(
            kind="health_insurance",
            form="hi_state_full",
            member=members["elder"],
            valid_from=datetime.date(2023, 1, 1),
            valid_to=datetime.date(2023, 12, 31),
            details={"card_number": "HN4421234567890"},
        ),
        dict(
            kind="schooling",
            form="school_fees",
            member=members["child"],
            details={"school": "TH Sơn Trung", "level": "primary"},
        ),
        dict(
            kind="housing", form="housing_repair", amount="20.000.000", details={"completed_on": "2023-09-01"}
        ),
        dict(kind="job", form="job_counselling", member=members["adult"]),
        dict(
            kind="production",
            form="production_livestock",
            amount="12.000.000",
            details={"description": "01 bò"},
        ),
        dict(
            kind="income_support",
            form="income_provincial",
            amount="6.000.000",
            details={"dossier_status": "approved", "monthly_amount": "500.000"},
        ),
        dict(kind="donation", form="donation_in_kind", details={"donor": "Công ty A", "items": "20 kg gạo"}),
    ]
    for case in cases:
        services.support_record(actor=officer, household=t01, date=datetime.date(2023, 3, 1), **case)
    assert sorted(Support.objects.filter(household=t01).values_list("kind", flat=True)) == sorted(
        SupportKind.values
    )
    loan = Support.objects.get(household=t01, kind="loan")
    assert loan.amount == 50_000_000 and loan.details == {"term_months": 60, "outstanding": 50_000_000}
    assert loan.unit_path == t01.unit_path and loan.created_by == officer
    assert loan.history.first().history_user == officer
    assert not LedgerEntry.objects.exists()  # no source named: nothing is spent from the ledger


def test_a_loan_need_is_recorded_even_when_not_yet_met(support_register, officer):
    need = services.support_record(
        actor=officer,
        household=support_register["T02"],
        kind="loan",
        form="loan_poor",
        status="needed",
        date="2023-02-01",
    )
    assert need.status == SupportStatus.NEEDED and need.amount == 0


def test_a_person_level_support_needs_a_member_of_the_household(support_register, officer):
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer,
            household=support_register["T01"],
            kind="health_insurance",
            form="hi_state_full",
            date="2023-02-01",
        )
    assert error.value.problems[0].column == "member"
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer,
            household=support_register["T01"],
            kind="job",
            form="job_referral",
            member=support_register.members["t06_child"],
            date="2023-02-01",
        )
    assert error.value.problems[0].column == "member"
    assert not Support.objects.exists()


@pytest.mark.parametrize("amount", ["-1.000.000", "mười triệu", "1.500,50"])
def test_a_negative_or_non_numeric_amount_writes_nothing(support_register, officer, amount):
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer,
            household=support_register["T01"],
            kind="donation",
            form="donation_cash",
            date="2023-02-01",
            amount=amount,
        )
    assert error.value.problems[0].column == "amount"
    assert not Support.objects.exists()


@pytest.mark.parametrize("day", ["2021-06-01", "2099-01-01", "31/02/2023"])
def test_a_date_outside_the_period_writes_nothing(support_register, officer, day):
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer, household=support_register["T01"], kind="donation", form="donation_cash", date=day
        )
    assert error.value.problems[0].column == "date"
    assert not Support.objects.exists()


def test_a_form_of_another_kind_is_refused(support_register, officer):
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer,
            household=support_register["T01"],
            kind="loan",
            form=SupportForm.HI_STATE_FULL,
            date="2023-02-01",
        )
    assert error.value.problems[0].column == "form"


def test_a_support_for_a_household_outside_the_users_unit_is_refused(
    support_register, officer, other_officer, village_head
):
    for actor, household in [
        (officer, support_register["H01"]),
        (other_officer, support_register["T01"]),
        (village_head, support_register["T03"]),
    ]:
        with pytest.raises(InputError):
            services.support_record(
                actor=actor, household=household, kind="donation", form="donation_cash", date="2023-02-01"
            )
    assert not Support.objects.exists()


def test_read_only_roles_cannot_record(support_register, province_viewer, steering_user):
    for actor in (province_viewer, steering_user):
        with pytest.raises(InputError):
            services.support_record(
                actor=actor,
                household=support_register["T01"],
                kind="donation",
                form="donation_cash",
                date="2023-02-01",
            )


def test_a_paid_support_writes_its_spending_and_the_household_in_the_ledger(
    support_register, officer, fund_of_5m
):
    support = services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="donation",
        form="donation_cash",
        date="2023-02-01",
        amount="1.200.000",
        source=fund_of_5m,
    )
    entry = LedgerEntry.objects.get(support=support)
    assert (entry.signed_amount, entry.household_id, entry.target_path) == (
        -1_200_000,
        support_register["T01"].pk,
        support_register["T01"].unit_path,
    )
    assert services.source_balance(fund_of_5m) == 3_800_000


def test_spending_above_the_balance_is_refused_and_writes_nothing(support_register, officer, fund_of_5m):
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer,
            household=support_register["T01"],
            kind="housing",
            form="housing_repair",
            date="2023-02-01",
            amount="20.000.000",
            source=fund_of_5m,
        )
    assert "5.000.000" in str(error.value) and error.value.problems[0].column == "amount"
    assert not Support.objects.exists() and LedgerEntry.objects.count() == 1


def test_a_need_paid_later_spends_then_and_a_cancellation_reverses(support_register, officer, fund_of_5m):
    support = services.support_record(
        actor=officer,
        household=support_register["T02"],
        kind="housing",
        form="housing_repair",
        status="needed",
        date="2023-02-01",
        amount="2.000.000",
        source=fund_of_5m,
    )
    assert services.source_balance(fund_of_5m) == 5_000_000  # a need spends nothing
    support = services.support_update(
        actor=officer, support=support, expected_version=support.version, status="delivered"
    )
    assert services.source_balance(fund_of_5m) == 3_000_000
    support = services.support_update(
        actor=officer, support=support, expected_version=support.version, amount="2.500.000"
    )
    assert services.source_balance(fund_of_5m) == 2_500_000
    support = services.support_update(
        actor=officer, support=support, expected_version=support.version, status="cancelled"
    )
    assert services.source_balance(fund_of_5m) == 5_000_000
    assert (
        LedgerEntry.objects.filter(support=support).count() == 4
    )  # two spendings, two reversals: nothing deleted


def test_a_stale_update_is_a_conflict(support_register, officer):
    support = services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="loan",
        form="loan_poor",
        status="needed",
        date="2023-02-01",
    )
    services.support_update(actor=officer, support=support, expected_version=1, status="in_progress")
    with pytest.raises(InputError):
        services.support_update(actor=officer, support=support, expected_version=1, status="delivered")
    assert Support.objects.get().status == "in_progress"


def test_a_source_of_another_commune_cannot_pay(support_register, officer, other_officer):
    other = services.source_create(
        actor=other_officer, unit=support_register["H01"].commune, kind="local_budget", name="NS Sơn Hồng"
    )
    services.ledger_allocate(
        actor=other_officer, source=other, amount=1_000_000, date="2023-01-02", description="x"
    )
    with pytest.raises(InputError) as error:
        services.support_record(
            actor=officer,
            household=support_register["T01"],
            kind="donation",
            form="donation_cash",
            date="2023-02-01",
            amount=100_000,
            source=other,
        )
    assert error.value.problems[0].column == "source"
