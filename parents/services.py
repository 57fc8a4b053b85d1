"""Writes for families: invitations, guardianships and consent. One atomic function each."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.consent_texts import CONSENT_TEXTS
from parents.models import ConsentRecord, Guardianship, InvitationCode, Relationship
from parents.policies import can_record_consent, forget_guardianships
from schools import policies
from schools.models import Child

# No 0/O, 1/I/L: the code is typed from paper on a phone keypad.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class InvitationError(Exception):
    """A code that cannot be used, with a message for the person who typed it."""


def invitation_code_normalize(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def invitation_create(*, child: Child, by, relationship: str = "", valid_days: int | None = None) -> InvitationCode:
    """Issue a fresh code that lets one guardian claim the child."""
    if not policies.can_manage_invitations(by, child):
        raise PermissionDenied
    days = valid_days or settings.INVITATION_VALID_DAYS
    expires_at = timezone.now() + datetime.timedelta(days=days)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return InvitationCode.objects.create(
                    school_id=child.school_id,
                    child=child,
                    code=_new_code(),
                    relationship=relationship,
                    created_by=by,
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free invitation code")


@transaction.atomic
def invitation_revoke(*, invitation: InvitationCode, by) -> None:
    """Stop a code from working, for example when a letter went astray."""
    if not policies.can_manage_invitations(by, invitation.child):
        raise PermissionDenied
    InvitationCode.objects.filter(pk=invitation.pk, revoked_at__isnull=True, claimed_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def invitation_claim(*, code: str, user, relationship: str) -> Guardianship:
    """Make the user a guardian of the code's child, using up the code."""
    normalized = invitation_code_normalize(code)
    invitation = InvitationCode.objects.select_for_update().select_related("child").filter(code=normalized).first()
    if invitation is None:
        raise InvitationError(_("This code is not valid. Check the letter from the school and try again."))
    if invitation.claimed_at:
        if invitation.claimed_by_id == user.pk:
            raise InvitationError(_("You have already used this code: the child is on your home page."))
        raise InvitationError(_("This code has already been used. Ask the school for a new one."))
    if invitation.revoked_at:
        raise InvitationError(_("This code was cancelled by the school. Ask the school for a new one."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(_("This code has expired. Ask the school for a new one."))
    if invitation.child.left_on:
        raise InvitationError(_("This child no longer attends the school."))
    if Guardianship.objects.filter(child=invitation.child, guardian=user).exists():
        raise InvitationError(_("You are already a guardian of this child."))
    if relationship not in Relationship.values:
        relationship = invitation.relationship or Relationship.GUARDIAN
    is_first = not Guardianship.objects.filter(child=invitation.child).exists()
    guardianship = Guardianship.objects.create(
        school_id=invitation.school_id,
        child=invitation.child,
        guardian=user,
        relationship=relationship,
        is_primary=is_first,
    )
    invitation.claimed_by = user
    invitation.claimed_at = timezone.now()
    invitation.save(update_fields=["claimed_by", "claimed_at"])
    forget_guardianships(user)
    return guardianship


@transaction.atomic
def consent_record(*, guardian, child: Child, purpose: str, granted: bool) -> ConsentRecord:
    """Record a guardian giving or withdrawing consent for one purpose, with the text shown."""
    if not can_record_consent(guardian, child):
        raise PermissionDenied
    version, text = CONSENT_TEXTS[purpose]
    return ConsentRecord.objects.create(
        school_id=child.school_id,
        child=child,
        guardian=guardian,
        purpose=purpose,
        granted=granted,
        text_version=version,
        text=str(text),
    )
