"""Phone numbers are stored in E.164 (+84912345678) whatever way they were typed."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese mobile numbers: 03x, 05x, 07x, 08x, 09x followed by 7 digits.
_VN_MOBILE = re.compile(r"^\+84[35789]\d{8}$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")

INVALID_PHONE_MESSAGE = _("Enter a valid phone number, for example 0912 345 678 or +84 912 345 678.")


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a phone number or raise ValidationError."""
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("00"):
        value = "+" + value[2:]
    elif value.startswith("0"):
        value = "+84" + value[1:]
    elif value.startswith("84") and len(value) == 11:
        value = "+" + value
    if value.startswith("+84"):
        if not _VN_MOBILE.match(value):
            raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    elif not _E164.match(value):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return value


def display_phone(value: str) -> str:
    """Show a Vietnamese number the local way: 0912 345 678."""
    if value and value.startswith("+84") and len(value) == 12:
        local = "0" + value[3:]
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    return value or ""
