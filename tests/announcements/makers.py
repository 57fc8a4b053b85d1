"""Announcements and pick-up notices made directly, for tests that are not about posting or sending them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from announcements.models import Announcement, PickupNotice
from schools.models import school_today


def announcement_make(
    *,
    school,
    by,
    classrooms=(),
    published: bool = True,
    title: str = "Thay đổi giờ đón trẻ",
    body: str = "Từ thứ Hai, trường trả trẻ lúc 16 giờ 15.",
    kind: str = Announcement.Kind.PICKUP_TIME,
    requires_acknowledgement: bool = True,
    urgent: bool = False,
) -> Announcement:
    announcement = Announcement.objects.create(
        school=school,
        title=title,
        body=body,
        kind=kind,
        audience=Announcement.Audience.CLASSES if classrooms else Announcement.Audience.SCHOOL,
        requires_acknowledgement=requires_acknowledgement,
        urgent=urgent,
        created_by=by,
        published_at=timezone.now() if published else None,
    )
    if classrooms:
        announcement.classrooms.set(classrooms, through_defaults={"school": school})
    return announcement


def pickup_notice_make(
    *,
    child,
    by,
    kind: str = PickupNotice.Kind.LATE,
    date: datetime.date | None = None,
    time: datetime.time | None = datetime.time(17, 30),
    reason: str = "",
    pickup_person=None,
) -> PickupNotice:
    return PickupNotice.objects.create(
        school=child.school,
        child=child,
        classroom=child.classroom,
        kind=kind,
        date=date or school_today(),
        time=time,
        reason=reason,
        pickup_person=pickup_person,
        sent_by=by,
    )
