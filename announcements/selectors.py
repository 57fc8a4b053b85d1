"""Reads for announcements and pick-up notices. Every queryset that reaches a user is scoped here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from announcements import policies
from announcements.models import Announcement, AnnouncementClassroom, AnnouncementReceipt, PickupNotice
from parents.models import Guardianship
from parents.policies import guardian_child_ids
from schools import policies as school_policies
from schools.models import LEADER_ROLES, Child, Classroom, School


def _audience_children(announcement: Announcement) -> QuerySet[Child]:
    children = Child.objects.filter(school_id=announcement.school_id, left_on__isnull=True)
    if announcement.is_school_wide:
        return children
    targeted = AnnouncementClassroom.objects.filter(school_id=announcement.school_id, announcement=announcement)
    targeted = targeted.values("classroom_id")
    return children.filter(classroom_id__in=targeted)


def announcement_guardian_ids(*, announcement: Announcement) -> list[int]:
    """Every guardian of a child the announcement is for, each once (siblings in two classes too)."""
    return list(
        Guardianship.objects.active()
        .filter(child__in=_audience_children(announcement))
        .values_list("guardian_id", flat=True)
        .distinct()
        .order_by("guardian_id")
    )


def _announcements_with_classes(*, school_ids=None) -> QuerySet[Announcement]:
    """Announcements with their classes; given the schools they may be of, every read names them."""
    announcements, classrooms = Announcement.objects.all(), Classroom.objects.all()
    if school_ids is not None:
        announcements = announcements.filter(school_id__in=school_ids)
        classrooms = classrooms.filter(school_id__in=school_ids)
    return announcements.select_related("school", "created_by").prefetch_related(
        Prefetch("classrooms", queryset=classrooms.order_by("name"))
    )


def announcement_get(*, user, announcement_id: int) -> Announcement:
    """The announcement, or 404 for anyone it is not for and who does not run it."""
    school_ids = school_policies.person_school_ids(user)
    announcement = _announcements_with_classes(school_ids=school_ids).filter(pk=announcement_id).first()
    if announcement is None or not policies.can_view_announcement(user, announcement):
        raise Http404
    return announcement


def announcements_for_guardian(*, user) -> QuerySet[Announcement]:
    """The published announcements for the person's children, newest first, with their own receipt."""
    children = school_policies.guardian_children(user)
    school_ids = {c.school_id for c in children}
    classroom_ids = {c.classroom_id for c in children if c.classroom_id}
    for_my_classes = AnnouncementClassroom.objects.filter(school_id__in=school_ids, classroom_id__in=classroom_ids)
    for_my_classes = for_my_classes.values("announcement_id")
    mine = AnnouncementReceipt.objects.filter(school_id__in=school_ids, announcement=OuterRef("pk"), guardian=user)
    return (
        _announcements_with_classes(school_ids=school_ids)
        .filter(published_at__isnull=False)
        .filter(
            Q(audience=Announcement.Audience.SCHOOL, school_id__in=school_ids)
            | Q(audience=Announcement.Audience.CLASSES, pk__in=for_my_classes)
        )
        .annotate(
            my_read_at=Subquery(mine.values("read_at")[:1]),
            my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
        )
        .order_by("-published_at", "-pk")
    )


def school_get_for_announcements(*, user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not policies.can_manage_announcements(user, school):
        raise Http404
    return school


def schools_with_announcements_for_staff(*, user) -> QuerySet[School]:
    """The schools where the person posts announcements (leaders and teachers)."""
    roles = school_policies.access_for(user).roles_by_school
    ids = [school_id for school_id, role in roles.items() if policies.can_manage_announcements(user, school_id)]
    return School.objects.filter(pk__in=ids).order_by("name")


def announcements_for_staff(*, user, school: School) -> QuerySet[Announcement]:
    """The school's announcements the person may open: all for leaders; for a teacher, their classes' and their own."""
    announcements = _announcements_with_classes().filter(school=school)
    if not school_policies.is_leader_of(user, school):
        for_my_classes = AnnouncementClassroom.objects.filter(
            classroom_id__in=school_policies.access_for(user).taught_classroom_ids
        ).values("announcement_id")
        published = Q(published_at__isnull=False) & (
            Q(audience=Announcement.Audience.SCHOOL) | Q(pk__in=for_my_classes)
        )
        announcements = announcements.filter(published | Q(created_by=user))
    return announcements.order_by("-created_at", "-pk")


def classrooms_for_announcement(*, user, school: School) -> QuerySet[Classroom]:
    """The classes the person may post to: every current class for leaders, their own for a teacher."""
    classrooms = Classroom.objects.filter(school=school, school_year__is_current=True)
    if not school_policies.is_leader_of(user, school):
        classrooms = classrooms.filter(pk__in=school_policies.access_for(user).taught_classroom_ids)
    return classrooms.order_by("name")


@dataclass
class FamilyReceipt:
    guardian: object
    children: list = field(default_factory=list)
    receipt: AnnouncementReceipt | None = None

    @property
    def read_at(self):
        return self.receipt.read_at if self.receipt else None

    @property
    def acknowledged_at(self):
        return self.receipt.acknowledged_at if self.receipt else None


@dataclass
class ReceiptReport:
    families: list[FamilyReceipt]
    total: int
    read: int
    acknowledged: int
    not_acknowledged: list[FamilyReceipt]
    not_read: list[FamilyReceipt]
    limited_to_own_classes: bool


def announcement_receipts(*, user, announcement: Announcement) -> ReceiptReport:
    """Who was told, who read it and who acknowledged it, one row per guardian, in a fixed number of queries."""
    children = _audience_children(announcement)
    scope = policies.receipt_classroom_scope(user, announcement)
    if scope is not None:
        children = children.filter(classroom_id__in=scope)
    guardianships = (
        Guardianship.objects.active()
        .filter(school_id=announcement.school_id, child__in=children)
        .select_related("guardian", "child__classroom")
        .order_by("guardian__full_name", "guardian_id", "child__full_name")
    )
    receipts = AnnouncementReceipt.objects.filter(school_id=announcement.school_id, announcement=announcement)
    receipts = {r.guardian_id: r for r in receipts}
    families: dict[int, FamilyReceipt] = {}
    for guardianship in guardianships:
        family = families.get(guardianship.guardian_id)
        if family is None:
            family = families[guardianship.guardian_id] = FamilyReceipt(
                guardian=guardianship.guardian, receipt=receipts.get(guardianship.guardian_id)
            )
        family.children.append(guardianship.child)
    rows = list(families.values())
    return ReceiptReport(
        families=rows,
        total=len(rows),
        read=sum(1 for f in rows if f.read_at),
        acknowledged=sum(1 for f in rows if f.acknowledged_at),
        not_acknowledged=[f for f in rows if not f.acknowledged_at],
        not_read=[f for f in rows if not f.read_at],
        limited_to_own_classes=scope is not None,
    )


# --- Pick-up notices ----------------------------------------------------------------------------


def classrooms_for_pickup_notices(*, user) -> QuerySet[Classroom]:
    """The classes whose pick-up notices the person sees: those they teach, every class of a school they lead."""
    access = school_policies.access_for(user)
    return (
        Classroom.objects.filter(
            Q(pk__in=access.taught_classroom_ids)
            | Q(school_id__in=access.schools_with(LEADER_ROLES), school_year__is_current=True),
            school_id__in=set(access.roles_by_school),
        )
        .select_related("school")
        .order_by("school__name", "name")
    )


def pickup_notices_by_class(*, classrooms, date: datetime.date) -> list[Classroom]:
    """The classes, each with `day_notices` (that day's notices, cancelled ones last) and `absent_count`."""
    classrooms = list(classrooms)
    by_class: dict[int, list[PickupNotice]] = {c.pk: [] for c in classrooms}
    notices = (
        PickupNotice.objects.filter(
            school_id__in={c.school_id for c in classrooms}, classroom_id__in=list(by_class), date=date
        )
        .select_related("child", "pickup_person", "sent_by")
        .order_by(F("time").asc(nulls_first=True), "child__full_name", "created_at")
    )
    for notice in notices:
        by_class[notice.classroom_id].append(notice)
    for classroom in classrooms:
        # Cancelled notices stay visible (the teacher may have read them) but go last.
        classroom.day_notices = sorted(by_class[classroom.pk], key=lambda n: n.cancelled_at is not None)
        classroom.absent_count = sum(
            1 for n in classroom.day_notices if n.kind == PickupNotice.Kind.ABSENT and not n.cancelled_at
        )
    return classrooms


def pickup_notices_of_child(*, child: Child, from_date: datetime.date) -> list[PickupNotice]:
    """A child's notices from a day on (for the family's page), with the approved person."""
    return list(
        PickupNotice.objects.filter(child=child, date__gte=from_date)
        .select_related("pickup_person", "sent_by")
        .order_by("date", "time", "created_at")
    )


def approved_pickup_persons(*, child: Child) -> QuerySet:
    """Only the people the family approved to collect this child."""
    return child.pickup_persons.filter(can_pick_up=True).order_by("full_name")


def pickup_notice_get_for_sender(*, user, notice_id: int) -> PickupNotice:
    notice = (
        PickupNotice.objects.select_related("child__school", "classroom__school", "pickup_person")
        .filter(pk=notice_id, sent_by=user)
        .first()
    )
    if notice is None or notice.child_id not in guardian_child_ids(user):
        raise Http404
    return notice
