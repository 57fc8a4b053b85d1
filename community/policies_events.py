"""Who may see and do what with events. Every events view, selector and service asks here.

Organisers: the school's leaders, and a class's teachers for an event of their classes only.
Invited: the active guardians of a child still at the school, in the whole school or an invited class.
The other staff (nurse, accountant, kitchen) and family viewers have nothing to do with events.
"""

from __future__ import annotations

from parents.policies import guardian_child_ids
from schools.models import StaffRole
from schools.policies import access_for, guardian_children, is_leader_of, role_at


def can_create_event_at(user, school_id: int) -> bool:
    """The school's leaders, and its teachers (for their own classes)."""
    return is_leader_of(user, school_id) or (
        role_at(user, school_id) == StaffRole.TEACHER and bool(access_for(user).taught_classroom_ids)
    )


def creatable_classroom_ids(user, school_id: int, classroom_ids) -> set[int]:
    """Of these classes of the school, those the person may invite: every one for a leader, their own for a teacher."""
    if is_leader_of(user, school_id):
        return set(classroom_ids)
    return set(classroom_ids) & set(access_for(user).taught_classroom_ids)


def can_organise_event(user, event, classroom_ids=None) -> bool:
    """Leaders of the school; a teacher when the event is for their classes only (not the whole school)."""
    if is_leader_of(user, event.school_id):
        return True
    if event.whole_school or role_at(user, event.school_id) != StaffRole.TEACHER:
        return False
    if classroom_ids is None:
        classroom_ids = event_classroom_ids(event)
    return bool(classroom_ids) and set(classroom_ids) <= set(access_for(user).taught_classroom_ids)


def event_classroom_ids(event) -> set[int]:
    cached = getattr(event, "_classroom_ids", None)
    if cached is None:
        cached = {c.pk for c in event.classrooms.all()}
        event._classroom_ids = cached
    return cached


def invited_children(user, event) -> list:
    """The person's children (as an active guardian) the event is for."""
    if not guardian_child_ids(user):
        return []
    classes = None if event.whole_school else event_classroom_ids(event)
    return [
        child
        for child in guardian_children(user)
        if child.school_id == event.school_id and (classes is None or child.classroom_id in classes)
    ]


def is_invited(user, event) -> bool:
    return bool(invited_children(user, event))


def can_view_event(user, event) -> bool:
    return is_invited(user, event) or can_organise_event(user, event) or _teaches_an_invited_class(user, event)


def _teaches_an_invited_class(user, event) -> bool:
    if role_at(user, event.school_id) != StaffRole.TEACHER:
        return False
    taught = access_for(user).taught_classroom_ids
    return bool(taught) and (event.whole_school or bool(event_classroom_ids(event) & set(taught)))


def can_answer_event(user, event) -> bool:
    """Invited families answer; staff do not answer for them."""
    return is_invited(user, event)


def can_view_gallery(user, event) -> bool:
    return can_view_event(user, event)


def can_manage_gallery(user, event) -> bool:
    """Staff who organise the event, or teach one of its classes, upload and tag its photos."""
    return can_organise_event(user, event) or _teaches_an_invited_class(user, event)


def photo_visible_to_family(tagged_child_ids, consented_child_ids) -> bool:
    """An untagged photo is staff-only; a tagged one needs every child in it to be consented, now."""
    tagged = set(tagged_child_ids)
    return bool(tagged) and tagged <= set(consented_child_ids)
