"""Who may see and do what in the privacy pages: small named questions; views and selectors ask here."""

from __future__ import annotations

from parents.policies import is_guardian_of
from schools.models import Child, School
from schools.policies import is_leader_of, leader_school_ids


def is_privacy_contact(user, school: School | int) -> bool:
    """The school's data protection contact: its principal and vice-principals (the superuser too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or is_leader_of(user, school.pk if hasattr(school, "pk") else school)


def can_see_child_reads(user, child: Child) -> bool:
    """Who looked at a child's records: the child's current guardians only (not a family viewer, not staff)."""
    return getattr(user, "is_authenticated", False) and is_guardian_of(user, child)


def can_manage_breaches(user, school: School | int | None) -> bool:
    """The breach register: the school's principal and vice-principals; the superuser for every school."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return school is not None and is_leader_of(user, school)


def breach_school_ids(user) -> set[int] | None:
    """The schools whose breaches the person manages; None for every school (the superuser)."""
    if getattr(user, "is_superuser", False):
        return None
    return leader_school_ids(user)


def can_use_breach_register(user) -> bool:
    return getattr(user, "is_superuser", False) or bool(leader_school_ids(user))
