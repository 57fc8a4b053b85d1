"""Who may do what with privacy requests, holds and retention: small named functions, one place."""

from __future__ import annotations

from parents.policies import guardian_child_ids
from schools.policies import is_leader_of


def is_privacy_contact(user, school) -> bool:
    """The school's data protection contact: its principal and vice-principals (the superuser too)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or is_leader_of(user, school.pk if hasattr(school, "pk") else school)


def can_ask_for_child(user, child) -> bool:
    """A current guardian asks on the child's behalf (never a family viewer)."""
    return user.is_authenticated and child.pk in guardian_child_ids(user)


def can_see_request(user, request) -> bool:
    return user.is_authenticated and (request.requester_id == user.pk or is_privacy_contact(user, request.school_id))
