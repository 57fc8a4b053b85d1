"""The ledger is append-only and chained: a change behind the portal's back is found and named."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from donations.ledger import GENESIS, digest, ledger_verify
from donations.models import LedgerEntry
from tests.conftest import requires_postgres
from tests.donations import makers


def _ledger(world, gifts=3):
    campaign = makers.opened(world)
    for n in range(gifts):
        makers.cash(world, campaign, 100_000 * (n + 1), who=makers.donor(world, name=f"Người tặng {n}"))
    return campaign


def test_each_entry_holds_the_previous_hash_and_names_no_person(world):
    _ledger(world)
    entries = list(LedgerEntry.objects.order_by("seq"))
    prev = GENESIS
    for entry in entries:
        content = json.loads(entry.canonical)
        assert content["prev"] == prev == entry.prev_hash
        assert digest(entry.canonical) == entry.hash
        assert "Người tặng" not in entry.canonical and entry.donor_reference not in entry.canonical
        prev = entry.hash
    assert entries[0].donor_reference.startswith("D")


def test_code_refuses_to_change_or_delete_an_entry(world):
    _ledger(world, gifts=1)
    entry = LedgerEntry.objects.get()
    entry.amount = 1
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert LedgerEntry.objects.get().amount == 100_000


def test_the_database_refuses_updates_and_deletes(world):
    requires_postgres()
    _ledger(world, gifts=1)
    for statement in ("UPDATE donations_ledgerentry SET amount = 1", "DELETE FROM donations_ledgerentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.update(amount=2)
    assert LedgerEntry.objects.get().amount == 100_000


def _behind_the_back(sql, params):
    """Change a row as an intruder with database access would, past the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off, as a superuser can
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_verify_names_the_first_entry_changed_behind_the_portals_back(world):
    _ledger(world)
    assert ledger_verify(school=world.school).ok
    _behind_the_back(
        "UPDATE donations_ledgerentry SET amount = 999 WHERE seq = 2 AND school_id = %s", [world.school.pk]
    )
    result = ledger_verify(school=world.school)
    assert not result.ok and result.problem.seq == 2
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_ledger", school="sao-mai", stdout=out)
    assert "BROKEN at entry 2" in out.getvalue()


def test_a_rewritten_entry_with_a_fresh_hash_breaks_the_next_link(world):
    _ledger(world)
    entry = LedgerEntry.objects.get(seq=2)
    forged = entry.canonical.replace('"cash":200000', '"cash":20000')
    _behind_the_back(
        "UPDATE donations_ledgerentry SET canonical = %s, hash = %s, amount = 20000 WHERE id = %s",
        [forged, digest(forged), entry.pk],
    )
    assert ledger_verify(school=world.school).problem.seq == 3


def test_an_anonymous_or_erased_donor_leaves_the_chain_valid(world):
    _ledger(world)
    for entry in LedgerEntry.objects.all():
        donor = entry.contribution.donor
        donor.name, donor.email, donor.display = "Erased", "", "anonymous"
        donor.save()
    assert ledger_verify(school=world.school).ok


def test_verify_ledger_reports_every_intact_school(world):
    _ledger(world, gifts=2)
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "sao-mai: 2 entries, chain intact" in out.getvalue()
    with pytest.raises(CommandError, match="No school"):
        call_command("verify_ledger", school="nowhere", stdout=out)
