"""Who may read, post and acknowledge announcements, and send and read pick-up notices."""

from __future__ import annotations

from collections.abc import Iterable

from announcements.models import Announcement, PickupNotice
from parents.policies import is_guardian_of
from schools.models import LEADER_ROLES, Child, Classroom, School, StaffRole
from schools.policies import access_for, can_view_classroom, guardian_children, is_leader_of, role_at


def _announcement_classroom_ids(announcement: Announcement) -> set[int]:
    """The targeted classes; a view prefetches them, so asking costs nothing more."""
    return {c.pk for c in announcement.classrooms.all()}


def can_manage_announcements(user, school: School | int) -> bool:
    """Leaders and the school's teachers post announcements and list the school's."""
    return role_at(user, school) in LEADER_ROLES | {StaffRole.TEACHER}


def can_post_announcement(user, school: School, classrooms: Iterable[Classroom] = ()) -> bool:
    """Leaders post to the whole school or any of its classes; a teacher only to classes they teach.

    Without classes the question is about the whole school.
    """
    classrooms = list(classrooms)
    if any(c.school_id != school.pk for c in classrooms):
        return False
    if is_leader_of(user, school):
        return True
    if not classrooms or role_at(user, school) != StaffRole.TEACHER:
        return False
    return all(c.pk in access_for(user).taught_classroom_ids for c in classrooms)


def announcement_children(user, announcement: Announcement) -> list[Child]:
    """The person's own children whom a published announcement is for."""
    if not announcement.is_published:
        return []
    children = [c for c in guardian_children(user) if c.school_id == announcement.school_id]
    if announcement.is_school_wide or not children:
        return children
    targeted = _announcement_classroom_ids(announcement)
    return [c for c in children if c.classroom_id in targeted]


def is_announcement_for(user, announcement: Announcement) -> bool:
    """A guardian of a child in the audience of a published announcement."""
    return bool(announcement_children(user, announcement))


def staff_can_view_announcement(user, announcement: Announcement) -> bool:
    """Its author and the school's leaders; the teachers of its classes once it is published."""
    role = role_at(user, announcement.school_id)
    if role in LEADER_ROLES:
        return True
    if role is None:
        return False
    if announcement.created_by_id == user.pk:
        return True
    if role != StaffRole.TEACHER or not announcement.is_published:
        return False
    if announcement.is_school_wide:
        return True
    return bool(_announcement_classroom_ids(announcement) & access_for(user).taught_classroom_ids)


def can_view_announcement(user, announcement: Announcement) -> bool:
    return staff_can_view_announcement(user, announcement) or is_announcement_for(user, announcement)


def can_see_receipts(user, announcement: Announcement) -> bool:
    """The staff who may see an announcement see who read and acknowledged it."""
    return staff_can_view_announcement(user, announcement)


def receipt_classroom_scope(user, announcement: Announcement) -> frozenset[int] | None:
    """The classes whose families a receipt page may list: None for all of the audience.

    The author and the leaders see every family; another teacher only the families of their own classes.
    """
    if is_leader_of(user, announcement.school_id) or announcement.created_by_id == user.pk:
        return None
    return access_for(user).taught_classroom_ids


def can_publish_announcement(user, announcement: Announcement) -> bool:
    """A draft is published by its author (if still on the staff) or a leader of the school."""
    if announcement.is_published:
        return False
    if is_leader_of(user, announcement.school_id):
        return True
    return announcement.created_by_id == user.pk and can_manage_announcements(user, announcement.school_id)


def can_acknowledge_announcement(user, announcement: Announcement) -> bool:
    return announcement.requires_acknowledgement and is_announcement_for(user, announcement)


def can_send_pickup_notice(user, child: Child) -> bool:
    """A guardian, for their own child who is in a class (whose teachers are told)."""

    return is_guardian_of(user, child) and child.classroom_id is not None and child.left_on is None


def can_cancel_pickup_notice(user, notice: PickupNotice, *, today) -> bool:
    """The guardian who sent it, until the day is over."""
    return (
        getattr(user, "is_authenticated", False)
        and notice.sent_by_id == user.pk
        and notice.cancelled_at is None
        and notice.date >= today
    )


def can_view_pickup_notices(user, classroom: Classroom) -> bool:
    """The class's teachers and the school's leaders see the families' pick-up notices."""
    return can_view_classroom(user, classroom)
