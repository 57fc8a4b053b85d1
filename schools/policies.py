"""Who may see and do what at a school. Every view, selector and admin page asks here.

The functions are small and named after the question they answer. A user's
memberships are read once and kept in the cache until they change (schools/caching.py),
and on the user object for the request, so asking many questions costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from schools.models import (
    LEADER_ROLES,
    Authority,
    AuthorityOfficer,
    Child,
    Classroom,
    School,
    StaffMembership,
    StaffRole,
)


@dataclass(frozen=True)
class Access:
    """What one user holds: roles per school, classes taught, authorities served."""

    roles_by_school: dict[int, str] = field(default_factory=dict)
    taught_classroom_ids: frozenset[int] = frozenset()
    authority_ids: frozenset[int] = frozenset()

    def schools_with(self, roles) -> set[int]:
        return {school_id for school_id, role in self.roles_by_school.items() if role in roles}


_EMPTY = Access()


def _roles_posts_and_classes(user_id: int) -> list[tuple]:
    """What one person holds, in one query: ("m", school id, role) for each active membership,
    ("a", authority id, "") for each post at an authority and ("c", classroom id, "") for each class
    taught under an active teacher's membership.

    Plain SQL: this runs on every page (for the menu, and for the MFA check), and building the
    same query through the ORM cost ten times more than running it (BENCHMARKS.md, Home activities).
    """
    staff, posts = StaffMembership._meta.db_table, AuthorityOfficer._meta.db_table
    taught = StaffMembership.classrooms.through
    through = taught._meta.db_table
    member_column = taught._meta.get_field("staffmembership").column
    class_column = taught._meta.get_field("classroom").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 'm', school_id, role FROM {staff} WHERE user_id = %s AND is_active = %s "  # noqa: S608 (table names)
            f"UNION ALL SELECT 'a', authority_id, '' FROM {posts} WHERE user_id = %s "
            f"UNION ALL SELECT 'c', t.{class_column}, '' FROM {through} t "
            f"JOIN {staff} s ON s.id = t.{member_column} WHERE s.user_id = %s AND s.is_active = %s AND s.role = %s",
            [user_id, True, user_id, user_id, True, StaffRole.TEACHER],
        )
        return cursor.fetchall()


def access_for(user) -> Access:
    if not getattr(user, "is_authenticated", False):
        return _EMPTY
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    from coordination.lib import percache
    from schools.caching import KIND

    # Kept between requests, forgotten when the person's memberships change (schools/caching.py).
    rows = percache.remember(KIND, user.pk, lambda: _roles_posts_and_classes(user.pk))
    access = Access(
        roles_by_school={school_id: role for kind, school_id, role in rows if kind == "m"},
        taught_classroom_ids=frozenset(classroom_id for kind, classroom_id, _ in rows if kind == "c"),
        authority_ids=frozenset(authority_id for kind, authority_id, _ in rows if kind == "a"),
    )
    user._portal_access = access
    return access


def person_school_ids(user) -> set[int] | None:
    """The schools where the person has a role or a child they look after or follow, known without a
    query (None when not known for this request). A read of an object found by its id alone names them,
    so that Citus sends it to those schools' shards only (docs/scaling.md)."""
    from parents.policies import family_school_ids

    family = family_school_ids(user)
    if family is None:
        return None
    return set(family) | set(access_for(user).roles_by_school)


def forget_access(user) -> None:
    """Drop the cached memberships after they changed."""
    from schools.caching import forget_access_of

    user.__dict__.pop("_portal_access", None)
    forget_access_of([user.pk])


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
    return is_leader_of(user, classroom.school_id) or teaches(user, classroom.pk)


def teaches(user, classroom_id: int) -> bool:
    return classroom_id in access_for(user).taught_classroom_ids


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


def is_authority_officer(user) -> bool:
    return bool(access_for(user).authority_ids)


def can_view_authority(user, authority: Authority) -> bool:
    """An officer sees their own authority, and a provincial officer every commune of the province."""
    if getattr(user, "is_superuser", False):
        return True
    posts = access_for(user).authority_ids
    return authority.pk in posts or (authority.province_id is not None and authority.province_id in posts)


# Who is let into the Django admin: leaders, and the accountant, whose pages there are the donations'
# only (every other model admin answers them with its own refusal: it is scoped to leaders).
ADMIN_ROLES = LEADER_ROLES | {StaffRole.ACCOUNTANT}


def can_use_admin(user) -> bool:
    """The Django admin is for principals and vice-principals (their school only), the accountant (the
    donations pages of their school only) and superusers."""
    if not getattr(user, "is_active", False):
        return False
    return user.is_superuser or bool(access_for(user).schools_with(ADMIN_ROLES))


def guardian_children(user) -> list[Child]:
    """The person's children still at school, with their class; read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_guardian_children", None)
    if cached is None:
        from parents.policies import family_school_ids, guardian_child_ids

        ids = guardian_child_ids(user)
        children = Child.objects.filter(pk__in=ids, left_on__isnull=True).select_related("classroom")
        school_ids = family_school_ids(user)
        if school_ids is not None:
            children = children.filter(school_id__in=school_ids)
        cached = list(children.order_by("full_name")) if ids else []
        user._guardian_children = cached
    return cached
