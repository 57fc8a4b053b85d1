"""The import is all or nothing on PostgreSQL, with real commits: a bad row leaves no trace, two uploads of one
statement at once import it once."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections
from django.utils import translation

from donations.bank import StatementRejected, bank_statement_import
from donations.models import BankImport, BankLine, Contribution, ContributionState, LedgerEntry, ReceiptCounter
from tests.conftest import requires_postgres
from tests.donations import makers
from tests.donations.bank_files import csv_file

pytestmark = pytest.mark.django_db(transaction=True)


def written(days_ago: int) -> str:
    return f"{makers.today() - datetime.timedelta(days=days_ago):%d/%m/%Y}"


def test_a_bad_last_row_leaves_nothing_committed(world):
    requires_postgres()
    campaign = makers.opened(world)
    promised = makers.cash(world, campaign, 500_000, received=False)
    rows = [
        [written(1), "500.000", promised.payment_reference, "FT1"],
        [written(1), "200.000", "ung ho", "FT2"],
        [written(1), "1.000.000", "ung ho CD" + f"{campaign.pk:06d}", "FT3"],
        [written(1), "200.000,5", "le", "FT4"],
    ]
    with pytest.raises(StatementRejected):
        bank_statement_import(school=world.school, by=world.accountant, uploaded_file=csv_file(rows))
    promised.refresh_from_db()
    assert promised.state == ContributionState.PLEDGED
    assert Contribution.objects.count() == 1
    assert not BankImport.objects.exists() and not BankLine.objects.exists() and not LedgerEntry.objects.exists()
    assert not ReceiptCounter.objects.filter(last_number__gt=0).exists()

    # Corrected, the same statement imports whole, with the first receipt numbers of the year.
    rows[-1][1] = "200.000"
    done = bank_statement_import(school=world.school, by=world.accountant, uploaded_file=csv_file(rows))
    assert (done.matched, done.created, done.unmatched) == (1, 1, 2)
    numbers = sorted(Contribution.objects.values_list("receipt_number", flat=True))
    assert numbers == [1, 2]


def test_one_statement_uploaded_twice_at_once_is_imported_once(world):
    requires_postgres()
    campaign = makers.opened(world)
    pledges = [makers.cash(world, campaign, 100_000, received=False) for _ in range(5)]
    rows = [[written(2), "100.000", p.payment_reference, f"FT{n}"] for n, p in enumerate(pledges)]
    rows += [[written(2), "50.000", "khong ro", "FT99"]]
    barrier = threading.Barrier(2)
    results, failures = [], []

    def upload():
        try:
            translation.activate("en")  # each thread has its own language
            barrier.wait()
            results.append(
                bank_statement_import(school=world.school, by=world.accountant, uploaded_file=csv_file(rows))
            )
        except StatementRejected as exc:
            failures.append(exc.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1 and len(failures) == 1
    assert all("was imported before" in message for message in failures[0])
    assert len(failures[0]) == 6
    assert BankImport.objects.count() == 1 and BankLine.objects.count() == 1
    received = Contribution.objects.filter(state=ContributionState.RECEIVED)
    assert sorted(received.values_list("receipt_number", flat=True)) == [1, 2, 3, 4, 5]
