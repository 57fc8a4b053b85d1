"""Who may see and do what at a school. Every view, selector and admin page asks here.

The functions are small and named after the question they answer. A user's
memberships are read once per request and kept on the user object, so asking
many questions costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from schools.models import (
    LEADER_ROLES,
    Announcement,
    Child,
    Classroom,
    District,
    DistrictOfficer,
    PickupNotice,
    School,
    StaffMembership,
    StaffRole,
)


@dataclass(frozen=True)
class Access:
    """What one user holds: roles per school, classes taught, districts served."""

    roles_by_school: dict[int, str] = field(default_factory=dict)
    taught_classroom_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()

    def schools_with(self, roles) -> set[int]:
        return {school_id for school_id, role in self.roles_by_school.items() if role in roles}


_EMPTY = Access()


def _roles_and_posts(user_id: int) -> list[tuple]:
    """(membership id, school id, role) for each active membership and (None, district id, "") for
    each district post, in one query.

    Plain SQL: this runs on every page (for the menu, and for the MFA check), and building the
    same query through the ORM cost ten times more than running it (BENCHMARKS.md, Home activities).
    """
    staff, posts = StaffMembership._meta.db_table, DistrictOfficer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, school_id, role FROM {staff} WHERE user_id = %s AND is_active = %s "  # noqa: S608 (table names)
            f"UNION ALL SELECT NULL, district_id, '' FROM {posts} WHERE user_id = %s",
            [user_id, True, user_id],
        )
        return cursor.fetchall()


def access_for(user) -> Access:
    if not getattr(user, "is_authenticated", False):
        return _EMPTY
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    rows = _roles_and_posts(user.pk)
    memberships = [(pk, school_id, role) for pk, school_id, role in rows if pk is not None]
    teaching = [pk for pk, _school_id, role in memberships if role == StaffRole.TEACHER]
    taught = StaffMembership.classrooms.through.objects.filter(staffmembership_id__in=teaching)
    access = Access(
        roles_by_school={school_id: role for _pk, school_id, role in memberships},
        taught_classroom_ids=frozenset(taught.values_list("classroom_id", flat=True)) if teaching else frozenset(),
        district_ids=frozenset(district_id for pk, district_id, _role in rows if pk is None),
    )
    user._portal_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached memberships after they changed."""
    user.__dict__.pop("_portal_access", None)


def user_roles(user) -> set[str]:
    return set(access_for(user).roles_by_school.values())


def role_at(user, school: School | int) -> str | None:
    school_id = school if isinstance(school, int) else school.pk
    return access_for(user).roles_by_school.get(school_id)


def is_staff_of(user, school: School | int) -> bool:
    return role_at(user, school) is not None


def is_leader_of(user, school: School | int) -> bool:
    return role_at(user, school) in LEADER_ROLES


def leader_school_ids(user) -> set[int]:
    return access_for(user).schools_with(LEADER_ROLES)


def can_manage_school(user, school: School) -> bool:
    """Principals and vice-principals run their school: staff, classes, invitations."""
    return is_leader_of(user, school)


def can_view_classroom(user, classroom: Classroom) -> bool:
    return is_leader_of(user, classroom.school_id) or classroom.pk in access_for(user).taught_classroom_ids


def can_manage_invitations(user, child: Child) -> bool:
    """The class teachers and the school's leaders issue, print and revoke a child's codes."""
    if is_leader_of(user, child.school_id):
        return True
    return child.classroom_id is not None and child.classroom_id in access_for(user).taught_classroom_ids


def staff_can_view_child(user, child: Child) -> bool:
    role = role_at(user, child.school_id)
    if role in LEADER_ROLES or role == StaffRole.NURSE:
        return True
    return role == StaffRole.TEACHER and child.classroom_id in access_for(user).taught_classroom_ids


def can_view_child(user, child: Child) -> bool:
    from parents.policies import is_guardian_of

    return is_guardian_of(user, child) or staff_can_view_child(user, child)


def can_view_district(user, district: District) -> bool:
    return getattr(user, "is_superuser", False) or district.pk in access_for(user).district_ids


def can_use_admin(user) -> bool:
    """The Django admin is for principals (their school only) and superusers."""
    return bool(getattr(user, "is_active", False)) and (user.is_superuser or bool(leader_school_ids(user)))


# --- Announcements and pick-up notices ---------------------------------------------------------


def guardian_children(user) -> list[Child]:
    """The person's children still at school, with their class; read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_guardian_children", None)
    if cached is None:
        from parents.policies import guardian_child_ids

        ids = guardian_child_ids(user)
        children = Child.objects.filter(pk__in=ids, left_on__isnull=True).select_related("classroom")
        cached = list(children.order_by("full_name")) if ids else []
        user._guardian_children = cached
    return cached


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
    from parents.policies import is_guardian_of

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
