"""Who may see and do what at a school. Every view, selector and admin page asks here.

The functions are small and named after the question they answer. A user's
memberships are read once per request and kept on the user object, so asking
many questions costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schools.models import LEADER_ROLES, Child, Classroom, District, School, StaffMembership, StaffRole


@dataclass(frozen=True)
class Access:
    """What one user holds: roles per school, classes taught, districts served."""

    roles_by_school: dict[int, str] = field(default_factory=dict)
    taught_classroom_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()

    def schools_with(self, roles) -> set[int]:
        return {school_id for school_id, role in self.roles_by_school.items() if role in roles}


_EMPTY = Access()


def access_for(user) -> Access:
    if not getattr(user, "is_authenticated", False):
        return _EMPTY
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    memberships = list(StaffMembership.objects.filter(user=user, is_active=True).prefetch_related("classrooms"))
    access = Access(
        roles_by_school={m.school_id: m.role for m in memberships},
        taught_classroom_ids=frozenset(
            c.pk for m in memberships if m.role == StaffRole.TEACHER for c in m.classrooms.all()
        ),
        district_ids=frozenset(user.district_posts.values_list("district_id", flat=True)),
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
