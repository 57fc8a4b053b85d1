"""Invitations that give a donor who is not a guardian (a business, a philanthropist) their own page.

The accountant or the principal makes the link; the person signs in or signs up with allauth and
accepts it, which links the donor record to their account. A link works once, for 14 days.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from donations.models import Donor, DonorInvitation, DonorKind

VALID_FOR = datetime.timedelta(days=14)


@transaction.atomic
def donor_invite(*, donor: Donor, by) -> DonorInvitation:
    """A new invitation link for a donor who is not a guardian, valid for 14 days."""
    if donor.kind == DonorKind.GUARDIAN:
        raise ValidationError(_("A guardian's donor page comes with their own account: no invitation is needed."))
    if donor.user_id:
        raise ValidationError(_("This donor already has an account linked."))
    now = timezone.now()
    return DonorInvitation.objects.create(donor=donor, created_by=by, created_at=now, expires_at=now + VALID_FOR)


def invitation_url(invitation: DonorInvitation) -> str:
    """The full link to send to the donor."""
    return f"{settings.SITE_URL}{reverse('donations:invitation', kwargs={'token': invitation.token})}"


def invitation_problem(*, invitation: DonorInvitation | None, user, now=None) -> str | None:
    """Why this person cannot accept the invitation, in words they understand; None when they can."""
    now = now or timezone.now()
    if invitation is None:
        return gettext(
            "This invitation link is not known. Check that you copied all of it, or ask the school for a new one."
        )
    if invitation.accepted_at is not None:
        if invitation.donor.user_id == getattr(user, "pk", None):
            return gettext("You accepted this invitation already: your gifts are on your page.")
        return gettext("This invitation has been used already. Ask the school for a new one if you need it.")
    if invitation.expires_at <= now:
        return gettext("This invitation has expired. Ask the school for a new one.")
    donor = invitation.donor
    if donor.user_id and donor.user_id != user.pk:
        return gettext("This donor's page is linked to another account already.")
    if Donor.objects.filter(school_id=donor.school_id, user=user).exclude(pk=donor.pk).exists():
        return gettext(
            "Your account is already linked to another donor record at this school. Ask the school to combine them."
        )
    return None


@transaction.atomic
def donor_invitation_accept(*, invitation: DonorInvitation, user, now=None) -> Donor:
    """Link the invited donor to the person's account; the invitation is used up."""
    now = now or timezone.now()
    locked = DonorInvitation.objects.select_for_update().select_related("donor").get(pk=invitation.pk)
    problem = invitation_problem(invitation=locked, user=user, now=now)
    if problem is not None:
        raise ValidationError(problem)
    donor = locked.donor
    donor.user = user
    donor.save(update_fields=["user"])
    locked.accepted_at = now
    locked.save(update_fields=["accepted_at"])
    return donor
