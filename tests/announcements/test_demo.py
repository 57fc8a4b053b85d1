"""The demo has a pick-up time announcement to acknowledge and two pick-up notices for today in Lá 1."""

import pytest

from announcements.models import Announcement, AnnouncementReceipt, PickupNotice
from notifications.models import Notice
from schools.models import school_today

pytestmark = pytest.mark.django_db


def counts():
    return (
        Announcement.objects.count(),
        AnnouncementReceipt.objects.count(),
        PickupNotice.objects.count(),
        Notice.objects.count(),
    )


def check_demo_announcement_and_pickup_notices():
    """Called by tests/test_demo.py on the demo seeded once for every app's checks."""
    assert all(counts())

    announcement = Announcement.objects.get(school__slug="sao-mai")
    assert announcement.kind == "pickup_time" and announcement.requires_acknowledgement
    assert announcement.is_published and announcement.is_school_wide
    receipts = AnnouncementReceipt.objects.filter(announcement=announcement)
    assert receipts.filter(acknowledged_at__isnull=False).exists()
    assert receipts.filter(acknowledged_at__isnull=True).exists()  # read, not yet confirmed
    assert not receipts.filter(guardian__email="parent@saomai.test").exists()
    # The demo parent finds it in the bell.
    assert Notice.objects.filter(
        recipient__email="parent@saomai.test", dedupe_key=f"announcement:{announcement.pk}", read_at__isnull=True
    ).exists()

    notices = PickupNotice.objects.filter(date=school_today(), classroom__name="Lá 1", school__slug="sao-mai")
    assert notices.count() == 2 and notices.values("sent_by").distinct().count() == 2
    other_person = notices.get(kind="other_person")
    assert other_person.sent_by.email == "parent@saomai.test"
    assert other_person.pickup_person.relationship == "Ông ngoại" and other_person.pickup_person.can_pick_up
    # The class teacher was told of both.
    assert Notice.objects.filter(recipient__email="teacher@saomai.test", category="pickup").count() == 2
