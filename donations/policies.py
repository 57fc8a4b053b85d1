"""Who may see and do what with the school's donations.

- The principal and the accountant see donors' contact details; nobody else does.
- The school's managers (principal, vice-principal, accountant) record contributions and spending;
  only the principal publishes, opens and closes campaigns and approves spending.
- The sponsorship team and the parents' board see every campaign's ledger and spending with its
  evidence, but no contact details.
- Teachers and nurses see no per-family contribution data at all.
"""

from __future__ import annotations

from parents.policies import is_board_member
from schools.models import StaffRole
from schools.policies import role_at

CONTACT_ROLES = frozenset({StaffRole.PRINCIPAL, StaffRole.ACCOUNTANT})
MANAGER_ROLES = frozenset({StaffRole.PRINCIPAL, StaffRole.VICE_PRINCIPAL, StaffRole.ACCOUNTANT})


def _school_id(school) -> int:
    return getattr(school, "pk", school)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_see_donor_contacts(user, school) -> bool:
    if not _signed_in(user):
        return False
    return user.is_superuser or role_at(user, school) in CONTACT_ROLES


def can_manage_donations(user, school) -> bool:
    """Record donors, contributions and spending; see every contribution of the school."""
    if not _signed_in(user):
        return False
    return user.is_superuser or role_at(user, school) in MANAGER_ROLES


def can_approve(user, school) -> bool:
    """Publish, open and close campaigns; approve spending; answer comments; name the team."""
    if not _signed_in(user):
        return False
    return user.is_superuser or role_at(user, school) == StaffRole.PRINCIPAL


def is_team_member(user, school) -> bool:
    if not _signed_in(user):
        return False
    from donations.models import TeamMember

    return TeamMember.objects.filter(school_id=_school_id(school), user=user).exists()


def can_see_books(user, school) -> bool:
    """Every campaign's ledger and spending with its evidence (never donors' contacts)."""
    if not _signed_in(user):
        return False
    return can_manage_donations(user, school) or is_board_member(user, school) or is_team_member(user, school)


def can_cosign_settlement(user, school) -> bool:
    """A member of the parents' board of the current school year."""
    return _signed_in(user) and is_board_member(user, school)


def can_view_donation_media(user, media) -> bool:
    """Evidence, honour-roll photos and letters' drawings: who may download them through mediafiles.

    Evidence: the school's managers, the sponsorship team and the parents' board, and anyone signed
    in for spending evidence that is not marked personal (it is public on the transparency board).
    A letter's drawing: the managers and the donor it was sent to. One query.
    """
    from django.db.models import Exists, OuterRef

    from donations.models import ContributionEvidence, HonourLine, Letter, SpendingEvidence
    from mediafiles.models import MediaFile

    found = (
        MediaFile.objects.filter(pk=media.pk)
        .annotate(
            spending_public=Exists(SpendingEvidence.objects.filter(media=OuterRef("pk"), personal=False)),
            spending_any=Exists(SpendingEvidence.objects.filter(media=OuterRef("pk"))),
            contribution=Exists(ContributionEvidence.objects.filter(media=OuterRef("pk"))),
            honour=Exists(HonourLine.objects.filter(photo=OuterRef("pk"), roll__published_at__isnull=False)),
            letter_donor=Exists(Letter.objects.filter(drawing=OuterRef("pk"), donor__user=user, sent_at__isnull=False)),
            letter=Exists(Letter.objects.filter(drawing=OuterRef("pk"))),
        )
        .values("school_id", "spending_public", "spending_any", "contribution", "honour", "letter_donor", "letter")
        .first()
    )
    if not found:
        return False
    school_id = found["school_id"]
    if found["spending_public"] or found["honour"] or found["letter_donor"]:
        return True
    if found["spending_any"] or found["contribution"]:
        return can_see_books(user, school_id)
    if found["letter"]:
        return can_manage_donations(user, school_id)
    return False
