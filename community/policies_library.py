"""Who may do what in the lending library. Views, selectors, the admin and the media resolver ask here.

Families (active guardians of a child still at the school) browse their child's school's items,
reserve and cancel. The school's teachers and leaders run the desk: lend, take back, see every
family's and item's history. Nobody else sees anything of it (a family viewer, the nurse, the
kitchen, an officer): the pages answer 404.
"""

from __future__ import annotations

from parents.policies import guardian_child_ids
from schools.models import LEADER_ROLES, StaffRole
from schools.policies import access_for, role_at

DESK_ROLES = frozenset({StaffRole.TEACHER, *LEADER_ROLES})


def desk_school_ids(user) -> set[int]:
    """The schools whose lending desk this person runs: its teachers and leaders."""
    return access_for(user).schools_with(DESK_ROLES)


def can_run_desk(user, school_id: int) -> bool:
    return role_at(user, school_id) in DESK_ROLES


def can_borrow_for(user, child) -> bool:
    """A guardian borrows for a child who is still at the school."""
    return child.pk in guardian_child_ids(user) and child.left_on is None and child.classroom_id is not None


def can_see_family_history(user, child) -> bool:
    return child.pk in guardian_child_ids(user) or can_run_desk(user, child.school_id)


def can_cancel_reservation(user, reservation) -> bool:
    return reservation.child_id in guardian_child_ids(user) or can_run_desk(user, reservation.school_id)


def can_view_item_photo(user, item) -> bool:
    """An item's photo: the school's desk staff and the families with a child there."""
    from community.selectors_library import family_school_ids

    return can_run_desk(user, item.school_id) or item.school_id in family_school_ids(user=user)
