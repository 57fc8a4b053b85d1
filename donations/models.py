"""Donations and sponsorship: donors first; campaigns, contributions and the ledger build on them.

Sponsorship of schools must be voluntary, public and transparent, and a donor's privacy is theirs:
a donor is shown publicly only by the name they chose to show ("anonymous" by default), their contact
details are seen by the principal and the accountant only, and the ledger names a donor only by a
random reference that says nothing about them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.lib.phone import normalize_phone


def new_reference() -> str:
    """A donor's pseudonymous reference in the ledger: random, never derived from who they are."""
    return "D" + secrets.token_hex(8).upper()


class DonorKind(models.TextChoices):
    GUARDIAN = "guardian", _("A child's guardian")
    PERSON = "person", _("Another person")
    BUSINESS = "business", _("A business")
    ORGANISATION = "organisation", _("An organisation")


class DonorDisplay(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    NAME = "name", _("My name")
    CHOSEN = "chosen", _("A name I choose")


class Donor(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="donors")
    kind = models.CharField(_("donor"), max_length=15, choices=DonorKind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("The person's or the company's full name."))
    # A guardian's own account, or the account a donor made through the accountant's invitation.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donor_records",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    # How the donor is shown in public (the transparency board, the honour roll): anonymous unless
    # the donor chose otherwise.
    display = models.CharField(
        _("shown in public as"), max_length=10, choices=DonorDisplay.choices, default=DonorDisplay.ANONYMOUS
    )
    display_name = models.CharField(_("name shown in public"), max_length=100, blank=True)
    language = models.CharField(
        _("language of letters"), max_length=8, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )
    reference = models.CharField(
        _("ledger reference"), max_length=17, unique=True, default=new_reference, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["school", "name"], name="donor_school_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"], condition=models.Q(user__isnull=False), name="one_donor_per_account"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def public_name(self) -> str:
        """What public pages show: the name only when the donor chose to show it."""
        if self.display == DonorDisplay.NAME:
            return self.name
        if self.display == DonorDisplay.CHOSEN and self.display_name:
            return self.display_name
        return str(_("Anonymous"))

    def clean(self):
        super().clean()
        errors = {}
        if self.display == DonorDisplay.CHOSEN and not self.display_name.strip():
            errors["display_name"] = _("Write the name to show, or choose “Anonymous”.")
        if self.kind == DonorKind.GUARDIAN:
            from parents.models import Guardianship

            if not self.user_id:
                errors["user"] = _("Choose the guardian's account.")
            elif (
                self.school_id
                and not Guardianship.objects.active()
                .filter(guardian_id=self.user_id, child__school_id=self.school_id)
                .exists()
            ):
                errors["user"] = _("This account is not a guardian of a child at this school.")
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if errors:
            raise ValidationError(errors)
