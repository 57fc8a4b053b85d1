"""The demo's announcement to acknowledge, and today's pick-up notices in Lá 1."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from announcements import services
from announcements.models import Announcement, PickupNotice
from parents.models import Guardianship
from schools.models import Child, PickupPerson, School, StaffMembership, StaffRole, school_today

# The pick-up time changes next week and the school wants every family to confirm it.
PICKUP_ANNOUNCEMENT_TITLE = "Giờ đón trẻ mới từ thứ Hai tuần sau"
PICKUP_ANNOUNCEMENT_BODY = (
    "Kính gửi quý phụ huynh,\n\n"
    "Từ thứ Hai tuần sau, nhà trường trả trẻ từ 16 giờ 15 đến 17 giờ 15 (sớm hơn 15 phút so với hiện nay) "
    "để các cô có thời gian vệ sinh lớp học. Phụ huynh cần đón muộn xin báo trước cho giáo viên chủ nhiệm "
    "qua mục “Báo đón trẻ” trên cổng thông tin.\n\n"
    "Trân trọng cảm ơn quý phụ huynh."
)


def _announcement(ctx, school: School) -> None:
    if Announcement.objects.filter(school=school, title=PICKUP_ANNOUNCEMENT_TITLE).exists():
        return
    principal = StaffMembership.objects.get(school=school, role=StaffRole.PRINCIPAL).user
    announcement = services.announcement_post(
        school=school,
        by=principal,
        title=PICKUP_ANNOUNCEMENT_TITLE,
        body=PICKUP_ANNOUNCEMENT_BODY,
        kind=Announcement.Kind.PICKUP_TIME,
        requires_acknowledgement=True,
    )
    # Some families have already opened it, most of those confirmed; the demo parent has not yet.
    guardians = (
        get_user_model()
        .objects.filter(
            guardianships__school=school,
            guardianships__child__left_on__isnull=True,
            guardianships__status=Guardianship.Status.ACTIVE,
        )
        .exclude(email="parent@saomai.test")
        .distinct()
        .order_by("pk")
    )
    for guardian in guardians:
        if ctx.rng.random() < 0.55:
            services.announcement_mark_read(announcement=announcement, guardian=guardian)
            if ctx.rng.random() < 0.8:
                services.announcement_acknowledge(announcement=announcement, guardian=guardian)


def _pickup_notices_la1(school: School) -> None:
    """Two families of Lá 1 have told the teacher about today's pick-up (once per day, however often run)."""
    today = school_today()
    parent = get_user_model().objects.get(email="parent@saomai.test")
    khoi = Child.objects.get(school=school, full_name="Nguyễn Minh Khôi")
    la1 = khoi.classroom
    grandfather = PickupPerson.objects.filter(child=khoi, can_pick_up=True, relationship="Ông ngoại").first()
    if grandfather and not PickupNotice.objects.filter(child=khoi, date=today, sent_by=parent).exists():
        services.pickup_notice_send(
            child=khoi,
            by=parent,
            kind=PickupNotice.Kind.OTHER_PERSON,
            date=today,
            time=datetime.time(16, 45),
            reason="Mẹ đi công tác, ông ngoại đón cháu giúp.",
            pickup_person=grandfather,
        )
    other = (
        Guardianship.objects.active()
        .filter(child__classroom=la1)
        .exclude(guardian=parent)
        .exclude(child=khoi)
        .select_related("guardian", "child")
        .order_by("pk")
        .first()
    )
    if other and not PickupNotice.objects.filter(child=other.child, date=today, sent_by=other.guardian).exists():
        services.pickup_notice_send(
            child=other.child,
            by=other.guardian,
            kind=PickupNotice.Kind.LATE,
            date=today,
            time=datetime.time(17, 30),
            reason="Bố mẹ tan ca muộn, xin cô trông cháu thêm một lúc.",
        )


def seed_announcements(ctx) -> None:
    school = School.objects.get(slug="sao-mai")
    _announcement(ctx, school)
    _pickup_notices_la1(school)
