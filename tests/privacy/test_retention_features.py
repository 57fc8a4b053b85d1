"""The feature apps' retention rules: what is older than the period goes, once the clock has moved on."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from privacy.declarations import retention_rules

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def purge(key: str, *, school) -> int:
    """Run one rule for one school the way the retention job does: the cutoff is the period before now."""
    rule = next(rule for rule in retention_rules() if rule["key"] == key)
    now = timezone.now()
    return rule["purge"](school=school, cutoff=now - datetime.timedelta(days=rule["days"]), now=now)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_the_rules_are_declared_with_their_default_periods():
    days = {rule["key"]: rule["days"] for rule in retention_rules()}
    assert days["health.reads"] == 730
    assert days["donations.invitations"] == 30
    assert days["community.reservations"] == 365


def test_health_reads_are_kept_two_years(world, clock):
    from health.models import HealthRead
    from tests.health.record_makers import reads_make

    reads_make(world.child, world.nurse, 2)
    reads_make(world.other_school_child, world.foreign_teacher, 1)
    clock.shift(datetime.timedelta(days=400))
    later = reads_make(world.child, world.nurse, 1)[0]

    clock.shift(datetime.timedelta(days=329))
    assert purge("health.reads", school=world.school) == 0

    clock.shift(datetime.timedelta(days=2))
    assert purge("health.reads", school=world.school) == 2
    assert list(HealthRead.objects.filter(school=world.school)) == [later]
    assert HealthRead.objects.filter(school=world.other_school).count() == 1  # another school's own rule


def test_donor_invitations_go_a_month_after_they_expire_or_are_used(world, clock):
    from donations.models import DonorInvitation
    from tests.donations.campaign_makers import donor

    giver = donor(world.school)
    week = datetime.timedelta(days=7)
    unused = DonorInvitation.objects.create(donor=giver, expires_at=timezone.now() + 2 * week)
    used = DonorInvitation.objects.create(donor=giver, expires_at=timezone.now() + week, accepted_at=timezone.now())
    clock.shift(datetime.timedelta(days=20))
    fresh = DonorInvitation.objects.create(donor=giver, expires_at=timezone.now() + week)

    clock.shift(datetime.timedelta(days=20))
    assert purge("donations.invitations", school=world.school) == 1
    assert not DonorInvitation.objects.filter(pk=used.pk).exists()

    clock.shift(datetime.timedelta(days=10))
    assert purge("donations.invitations", school=world.school) == 1
    assert not DonorInvitation.objects.filter(pk=unused.pk).exists()
    assert DonorInvitation.objects.filter(pk=fresh.pk).exists()


def test_library_reservations_go_a_year_after_they_close_open_ones_stay(world, clock):
    from community.models import LibraryReservation, ReservationStatus
    from tests.community.factories_library import LibraryReservationFactory

    def reservation(status, **fields):
        return LibraryReservationFactory(
            item__school=world.school, child=world.child, guardian=world.parent, status=status, **fields
        )

    collected = reservation(ReservationStatus.COLLECTED, closed_at=timezone.now())
    waiting = reservation(ReservationStatus.WAITING)
    clock.shift(datetime.timedelta(days=200))
    cancelled = reservation(ReservationStatus.CANCELLED, closed_at=timezone.now())

    clock.shift(datetime.timedelta(days=166))
    assert purge("community.reservations", school=world.school) == 1
    assert set(LibraryReservation.objects.all()) == {waiting, cancelled}
    assert not LibraryReservation.objects.filter(pk=collected.pk).exists()
