"""Who may comment on a plan, pledge, and see a campaign before it is published."""

from __future__ import annotations

from parents.models import Guardianship
from schools.policies import role_at


def is_guardian_at(user, school) -> bool:
    """A guardian of a child who is at the school now (not of a child who left)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Guardianship.objects.active().filter(guardian=user, child__school=school, child__left_on__isnull=True).exists()
    )


def can_comment(user, school) -> bool:
    """Families of the school and its staff may comment on a plan published for comment."""
    if not getattr(user, "is_authenticated", False):
        return False
    return role_at(user, school) is not None or is_guardian_at(user, school)


def can_see_drafts(user, school) -> bool:
    """A draft plan is seen by the school's managers only (principal, vice-principal, accountant)."""
    from donations.policies import can_manage_donations

    return can_manage_donations(user, school)


def can_answer_comments(user, school) -> bool:
    from donations.policies import can_approve

    return can_approve(user, school)


def can_pledge(user, school) -> bool:
    """A guardian of a child at the school, or a donor the school invited, pledges on their own account."""
    from donations.models import Donor

    if not getattr(user, "is_authenticated", False):
        return False
    return is_guardian_at(user, school) or Donor.objects.filter(school=school, user=user).exists()
