"""A donor's own choices, changed from their page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from donations.models import Donor, DonorDisplay


@transaction.atomic
def donor_display_set(*, donor: Donor, by, display: str, display_name: str = "", language: str | None = None) -> Donor:
    """How the donor is shown in public (anonymous unless they choose a name) and their letters' language."""
    donor.display = display
    donor.display_name = display_name.strip() if display == DonorDisplay.CHOSEN else ""
    if language:
        donor.language = language
    if display not in DonorDisplay.values:
        raise ValidationError(_("Choose how you are shown."))
    if display == DonorDisplay.CHOSEN and not donor.display_name:
        raise ValidationError({"display_name": _("Write the name to show, or choose “Anonymous”.")})
    if donor.language not in ("vi", "en"):
        raise ValidationError({"language": _("Choose Vietnamese or English.")})
    donor.save(update_fields=["display", "display_name", "language"])
    return donor
