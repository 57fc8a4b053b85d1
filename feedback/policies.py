"""Who may see and do what in the feedback box and the polls. Every view, selector, service, admin page
and file download asks here.

- The sender (an active guardian of a child still at the school) sees their own items and the answers.
- The school's leaders see and answer the items sent to the school, never the sender of an anonymous
  one; a member of staff they assign sees that item too. An item sent straight to the authority is
  never the school's.
- The officers of the school's commune-level authority see the items sent to them (with the text) and
  the escalated ones: topic, dates and school, the text only when the sender agreed to share it.
  Provincial officers do not handle feedback: the commune licenses and oversees kindergartens.
- Polls: the school's leaders ask them; the guardians of a child at the school answer for that child.
"""

from __future__ import annotations

from schools.policies import access_for, guardian_children, is_leader_of, is_staff_of


def family_school_ids(user) -> set[int]:
    """The schools of the person's children still at school, as an active guardian."""
    return {child.school_id for child in guardian_children(user)}


def can_send_feedback(user, school_id: int) -> bool:
    return any(child.school_id == school_id for child in guardian_children(user))


def is_sender(user, item) -> bool:
    return getattr(user, "is_authenticated", False) and item.sender_id == user.pk


def handles_for_school(user, item) -> bool:
    """The school's leaders, for an item sent to the school."""
    return item.route == "school" and is_leader_of(user, item.school_id)


def is_assigned(user, item) -> bool:
    return (
        item.route == "school"
        and item.assigned_to_id is not None
        and item.assigned_to_id == getattr(user, "pk", None)
        and is_staff_of(user, item.school_id)
    )


def is_commune_officer_of(user, school) -> bool:
    """An officer of the commune-level authority that licenses the school (not of its province)."""
    return school.authority_id in access_for(user).authority_ids


def officer_sees(user, item) -> bool:
    """Officers see the items sent to them, and the items escalated to them."""
    if not is_commune_officer_of(user, item.school):
        return False
    return item.route == "authority" or item.escalated_at is not None


def officer_reads_text(user, item) -> bool:
    return officer_sees(user, item) and (item.route == "authority" or item.share_with_authority)


def _handles_or_sent(user, item) -> bool:
    return is_sender(user, item) or handles_for_school(user, item) or is_assigned(user, item)


def can_view_item(user, item) -> bool:
    return _handles_or_sent(user, item) or officer_sees(user, item)


def can_read_text(user, item) -> bool:
    return _handles_or_sent(user, item) or officer_reads_text(user, item)


def can_see_sender(user, item) -> bool:
    """Whoever handles an item sees who sent it, unless the sender chose to be anonymous."""
    if is_sender(user, item):
        return True
    if item.anonymous:
        return False
    return handles_for_school(user, item) or is_assigned(user, item) or officer_reads_text(user, item)


def can_answer(user, item) -> bool:
    """The school's leaders answer items sent to the school; the officers those sent to them."""
    if item.route == "authority":
        return is_commune_officer_of(user, item.school)
    return is_leader_of(user, item.school_id)


def can_assign(user, item) -> bool:
    return handles_for_school(user, item)


def can_publish(user, item) -> bool:
    return handles_for_school(user, item)


# --- Polls


def can_run_polls(user, school_id: int) -> bool:
    return is_leader_of(user, school_id)


def can_close_poll(user, poll) -> bool:
    return can_run_polls(user, poll.school_id)


def poll_children(user, poll) -> list:
    """The person's children (as an active guardian) the poll asks about."""
    return [child for child in guardian_children(user) if child.school_id == poll.school_id]


def can_view_poll(user, poll) -> bool:
    return can_run_polls(user, poll.school_id) or bool(poll_children(user, poll))


def can_answer_poll(user, poll) -> bool:
    return bool(poll_children(user, poll))
