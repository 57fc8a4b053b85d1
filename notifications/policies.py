"""Who may see and do what with notices. Views, selectors, services and the admin ask here."""

from __future__ import annotations

from schools.policies import leader_school_ids


def can_read_notice(user, notice) -> bool:
    """A notice is for its recipient only; nobody else reads it in the portal."""
    return bool(getattr(user, "is_authenticated", False)) and notice.recipient_id == user.pk


def can_retry_delivery(user, delivery) -> bool:
    """Superusers, and the leaders of the school the notice came from (in the admin)."""
    if getattr(user, "is_superuser", False):
        return True
    school_id = delivery.notice.school_id
    return school_id is not None and school_id in leader_school_ids(user)
