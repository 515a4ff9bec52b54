"""The resource ledger: whole VND, balances per source, nothing deleted (reversals), no overdraft."""

import threading

import pytest
from django.db import connection, connections

from giamngheo.errors import InputError
from giamngheo.support import services
from giamngheo.support.models import EntryType, FundSource, LedgerEntry
from giamngheo.support.selectors import sources_with_balances


@pytest.fixture
def central(support_register, officer):
    return services.source_create(
        actor=officer, unit=support_register.commune, kind="central_budget", name="NSTW 2023"
    )


def test_allocations_and_spending_give_the_balance(central, officer):
    services.ledger_allocate(
        actor=officer, source=central, amount="100.000.000", date="2023-02-10", description="Phân bổ"
    )
    services.ledger_spend(
        actor=officer, source=central, amount="30.000.000", date="2023-05-01", description="Tập huấn"
    )
    assert services.source_balance(central) == 70_000_000
    row = next(s for s in sources_with_balances(user=officer, unit=central.unit) if s.pk == central.pk)
    assert (row.received, -row.spent_signed, row.balance) == (100_000_000, 30_000_000, 70_000_000)


def test_a_reversal_corrects_without_deleting_and_only_once(central, officer):
    entry = services.ledger_allocate(
        actor=officer, source=central, amount=10_000_000, date="2023-02-10", description="Nhầm"
    )
    services.ledger_reverse(actor=officer, entry=entry, reason="Ghi nhầm nguồn")
    assert services.source_balance(central) == 0
    assert LedgerEntry.objects.filter(source=central).count() == 2
    reversal = LedgerEntry.objects.get(entry_type=EntryType.REVERSAL)
    assert reversal.reverses == entry and reversal.flow == entry.flow == "in"
    with pytest.raises(InputError):
        services.ledger_reverse(actor=officer, entry=entry, reason="Lần nữa")
    with pytest.raises(InputError):
        services.ledger_reverse(actor=officer, entry=reversal, reason="Đảo của đảo")
    with pytest.raises(InputError) as error:
        services.ledger_reverse(actor=officer, entry=entry, reason="  ")
    assert error.value.problems[0].column == "reason"


def test_reversing_an_allocation_already_spent_is_refused(central, officer):
    entry = services.ledger_allocate(
        actor=officer, source=central, amount=10_000_000, date="2023-02-10", description="x"
    )
    services.ledger_spend(actor=officer, source=central, amount=8_000_000, date="2023-03-10", description="y")
    with pytest.raises(InputError):
        services.ledger_reverse(actor=officer, entry=entry, reason="z")
    assert services.source_balance(central) == 2_000_000


def test_spending_of_a_support_is_corrected_through_the_support(support_register, central, officer):
    services.ledger_allocate(
        actor=officer, source=central, amount=50_000_000, date="2023-02-10", description="x"
    )
    support = services.support_record(
        actor=officer,
        household=support_register["T02"],
        kind="housing",
        form="housing_repair",
        date="2023-06-01",
        amount=20_000_000,
        source=central,
    )
    with pytest.raises(InputError):
        services.ledger_reverse(actor=officer, entry=support.ledger_entries.get(), reason="sai")


@pytest.mark.parametrize("amount", [0, "-5", "năm triệu", "2.5"])
def test_bad_amounts_write_nothing(central, officer, amount):
    with pytest.raises(InputError):
        services.ledger_allocate(
            actor=officer, source=central, amount=amount, date="2023-02-10", description="x"
        )
    assert not LedgerEntry.objects.exists()


def test_spending_above_the_balance_is_refused(central, officer):
    services.ledger_allocate(
        actor=officer, source=central, amount=1_000_000, date="2023-02-10", description="x"
    )
    with pytest.raises(InputError) as error:
        services.ledger_spend(
            actor=officer, source=central, amount=1_000_001, date="2023-02-11", description="y"
        )
    assert "1.000.000" in str(error.value)
    assert LedgerEntry.objects.count() == 1


def test_only_an_editor_whose_unit_holds_the_source_writes_its_ledger(
    central, village_head, province_viewer, other_officer
):
    for actor in (village_head, province_viewer, other_officer):
        with pytest.raises(InputError):
            services.ledger_allocate(
                actor=actor, source=central, amount=1_000, date="2023-02-10", description="x"
            )
    with pytest.raises(InputError):
        services.source_create(actor=village_head, unit=central.unit, kind="donor", name="Nhà tài trợ")
    assert not LedgerEntry.objects.exists() and FundSource.objects.count() == 1


def test_a_source_name_is_unique_in_its_unit(central, officer):
    with pytest.raises(InputError) as error:
        services.source_create(actor=officer, unit=central.unit, kind="central_budget", name="NSTW 2023")
    assert error.value.problems[0].column == "name"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_payments_cannot_overdraw_a_source(demo, officer):
    """Both payments fit the balance alone, not together: the row lock makes the second see the first."""
    source = services.source_create(actor=officer, unit=officer.unit, kind="local_budget", name="NS xã")
    services.ledger_allocate(
        actor=officer, source=source, amount=1_000_000, date="2023-02-10", description="x"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay() -> None:
        try:
            barrier.wait()
            services.ledger_spend(
                actor=officer, source=source, amount=700_000, date="2023-02-11", description="y"
            )
            outcomes.append("paid")
        except InputError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert services.source_balance(source) == 300_000
    assert connection.vendor == "postgresql"
