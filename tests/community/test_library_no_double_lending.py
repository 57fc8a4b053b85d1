"""A copy is never lent twice at once: the database refuses a second open loan, and two desks lending the
same copy at the same moment end with one loan and one clear refusal (threads on PostgreSQL)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from community import services_library as services
from community.models import LibraryLoan
from schools.models import school_today
from tests.community.factories_library import LibraryCopyFactory, LibraryLoanFactory
from tests.conftest import requires_postgres


@pytest.mark.django_db
def test_the_database_holds_one_open_loan_per_copy(world):
    copy = LibraryCopyFactory(item__school=world.school)
    LibraryLoanFactory(copy=copy, child=world.child)
    with pytest.raises(IntegrityError), transaction.atomic():
        LibraryLoanFactory(copy=copy, child=world.other_class_child)
    # A returned loan does not count: the copy can go out again.
    LibraryLoan.objects.update(returned_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    LibraryLoanFactory(copy=copy, child=world.other_class_child)
    assert LibraryLoan.objects.filter(returned_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_desks_lending_one_copy_at_once(world):
    requires_postgres()
    copy = LibraryCopyFactory(item__school=world.school, code="ĐUA-1")
    children = [world.child, world.other_class_child, world.sibling, world.child, world.other_class_child]
    due = school_today() + datetime.timedelta(days=7)
    barrier = threading.Barrier(len(children))
    outcomes: list[str] = [""] * len(children)

    def lend(i: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                services.loan_check_out(copy=copy, child=children[i], due_on=due, by=world.teacher)
                outcomes[i] = "lent"
        except ValidationError as exc:
            outcomes[i] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=lend, args=(i,)) for i in range(len(children))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("lent") == 1
    refused = [o for o in outcomes if o != "lent"]
    assert all(o.startswith("Copy ĐUA-1 is already out") for o in refused), refused
    assert LibraryLoan.objects.filter(copy=copy, returned_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_families_reserving_the_last_copy_at_once(world):
    """One family gets the copy set aside, the others join the waiting list in order; no copy is held twice."""
    requires_postgres()
    from community.models import LibraryReservation
    from tests import factories as f

    copy = LibraryCopyFactory(item__school=world.school, code="ĐUA-2")
    families = []
    for i in range(5):
        child = f.ChildFactory(classroom=world.classroom, full_name=f"Bé Đua {i}")
        guardian = f.UserFactory()
        f.GuardianshipFactory(child=child, guardian=guardian)
        families.append((child, guardian))
    barrier = threading.Barrier(len(families))
    errors: list[Exception] = []

    def reserve(i: int) -> None:
        try:
            barrier.wait()
            child, guardian = families[i]
            services.reservation_create(item=copy.item, child=child, guardian=guardian)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(i,)) for i in range(len(families))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(LibraryReservation.objects.values_list("status", flat=True))
    assert statuses == ["ready", "waiting", "waiting", "waiting", "waiting"]
    assert LibraryReservation.objects.get(status="ready").held_copy_id == copy.pk
