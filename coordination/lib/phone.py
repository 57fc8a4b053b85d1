"""Phone numbers are stored in E.164 (+84912345678) whatever way they were typed.

Only mobile numbers of the countries in PHONE_ALLOWED_REGIONS (Viet Nam by
default) are accepted: the portal texts these numbers, and a premium-rate or
far-away number typed by a stranger would run up the school's bill.
Numbers are parsed and checked with the `phonenumbers` library.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberFormat, PhoneNumberType

INVALID_PHONE_MESSAGE = _("Enter a valid phone number, for example 0912 345 678 or +84 912 345 678.")
FOREIGN_PHONE_MESSAGE = _("Phone numbers from this country are not accepted. Accepted country codes: %(codes)s.")
NOT_MOBILE_MESSAGE = _(
    "This is not a mobile number (it may be a landline or a premium-rate number). "
    "Enter a mobile number that can receive text messages."
)

# Numbers that may be a mobile phone; a region where the two cannot be told
# apart (the United States) gives FIXED_LINE_OR_MOBILE.
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def allowed_regions() -> list[str]:
    """The ISO 3166 region codes whose numbers are accepted (PHONE_ALLOWED_REGIONS), the first one local."""
    return [region.upper() for region in getattr(settings, "PHONE_ALLOWED_REGIONS", None) or ["VN"]]


def _country_codes(regions: list[str]) -> list[int]:
    codes = []
    for region in regions:
        code = phonenumbers.country_code_for_region(region)
        if code and code not in codes:
            codes.append(code)
    return codes


def _foreign(codes: list[int]) -> ValidationError:
    return ValidationError(
        FOREIGN_PHONE_MESSAGE,
        code="phone_country_not_allowed",
        params={"codes": ", ".join(f"+{code}" for code in codes)},
    )


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of an accepted mobile number, or raise ValidationError saying what is wrong.

    A number without a country code is read as a number of the first allowed
    region (0912 345 678 is +84 912 345 678).
    """
    regions = allowed_regions()
    codes = _country_codes(regions)
    try:
        number = phonenumbers.parse((raw or "").strip(), regions[0])
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone") from exc
    # The country first: a premium-rate "international network" (+882, +883)
    # or a foreign number is refused as such, valid or not.
    if number.country_code not in codes:
        raise _foreign(codes)
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    if phonenumbers.region_code_for_number(number) not in regions:
        # A country code shared by several regions (+1, +44, +7): only the listed ones.
        raise _foreign(codes)
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(NOT_MOBILE_MESSAGE, code="phone_not_mobile")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(value: str) -> str:
    """Show a Vietnamese number the local way (0912 345 678), any other in the international way."""
    if not value:
        return ""
    if value.startswith("+84") and len(value) == 12:
        local = "0" + value[3:]
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
