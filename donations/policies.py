"""Who may see and manage donors."""

from __future__ import annotations

from schools.models import StaffRole
from schools.policies import role_at

# Contact details of donors: the principal and the accountant only (not the vice-principal, the
# teachers or the parents' board).
CONTACT_ROLES = frozenset({StaffRole.PRINCIPAL, StaffRole.ACCOUNTANT})


def can_see_donor_contacts(user, school) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return role_at(user, school) in CONTACT_ROLES
