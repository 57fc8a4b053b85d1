import datetime

from django.utils import timezone

from announcements.models import Announcement, AnnouncementReceipt
from announcements.services import announcement_publish
from tests import factories as f
from tests.announcements.makers import announcement_make
from tests.reports.conftest import assert_same_queries, figures_of


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def published(on: datetime.date, *, school, by, capture, **fields) -> Announcement:
    """Published through the service, so that the families are told as they are at the school."""
    announcement = announcement_make(school=school, by=by, published=False, **fields)
    with capture(execute=True):
        announcement_publish(announcement=announcement, by=by)
    Announcement.objects.filter(pk=announcement.pk).update(published_at=_at(on))
    return announcement


def read(announcement, guardian, *, acknowledged=False) -> None:
    AnnouncementReceipt.objects.create(
        school=announcement.school,
        announcement=announcement,
        guardian=guardian,
        acknowledged_at=timezone.now() if acknowledged else None,
    )


def test_families_told_read_and_confirmed(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    # To the whole school, asking for confirmation: the parent (two children) and the other parent are told.
    everyone = published(
        datetime.date(2026, 10, 2),
        school=world.school,
        by=world.principal,
        capture=capture,
        requires_acknowledgement=True,
    )
    # To Lá 1 only, not asking for confirmation.
    la = published(
        datetime.date(2026, 10, 20),
        school=world.school,
        by=world.principal,
        capture=capture,
        classrooms=[world.classroom],
        requires_acknowledgement=False,
    )
    september = published(datetime.date(2026, 9, 28), school=world.school, by=world.principal, capture=capture)
    foreign = published(
        datetime.date(2026, 10, 3), school=world.other_school, by=world.other_principal, capture=capture
    )
    read(everyone, world.parent, acknowledged=True)
    read(everyone, world.other_parent)
    read(la, world.parent)
    read(september, world.parent, acknowledged=True)
    read(foreign, world.foreign_parent, acknowledged=True)
    # A guardian who signed up after it was published reads it: not one of the families it reached.
    latecomer = f.GuardianshipFactory(child=f.ChildFactory(classroom=world.classroom)).guardian
    read(everyone, latecomer, acknowledged=True)

    found = figures_of("announcements", [world.school.pk, world.other_school.pk])

    school, other = world.school.pk, world.other_school.pk
    assert found[(school, "", "published")] == 2
    assert found[(school, "", "families_reached")] == 3
    assert found[(school, "", "read")] == 3
    assert found[(school, "", "asked_to_acknowledge")] == 2
    assert found[(school, "", "acknowledged")] == 1
    assert found[(other, "", "published")] == 1
    assert found[(other, "", "families_reached")] == 1
    assert found[(other, "", "acknowledged")] == 1
    assert {group for (_school, group, _key) in found} == {""}


def test_queries_do_not_grow_with_schools(world, third_school, django_capture_on_commit_callbacks):
    published(
        datetime.date(2026, 10, 2),
        school=world.school,
        by=world.principal,
        capture=django_capture_on_commit_callbacks,
    )
    assert assert_same_queries("announcements", world, third_school) <= 3
