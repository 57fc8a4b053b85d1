"""Reading the numbers people type or a health station's list gives: "12,5" and "12.5" alike.

A decimal comma is what Vietnamese families and stations write, and a dot is what a spreadsheet may
export. One separator followed by one or two digits is a decimal part, whichever it is. Three digits
after a separator ("1,250" or "1.250") could be a thousands separator or a decimal one: the value is
refused as ambiguous rather than guessed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


class NumberError(ValueError):
    """A value that is not a number, or whose decimal separator cannot be told apart."""


NOT_A_NUMBER = _("“%(value)s” is not a number: write it like 12,5.")
AMBIGUOUS = _("“%(value)s” is ambiguous: write the decimal part with one digit, like 12,5.")


def decimal_parse(text: str | None, *, places: int = 1) -> Decimal | None:
    """The value typed, rounded to `places` decimals; None when empty. Raises NumberError."""
    value = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if not _NUMBER.match(value):
        raise NumberError(str(NOT_A_NUMBER % {"value": text.strip()}))
    if re.search(r"[.,]\d{3,}$", value):
        raise NumberError(str(AMBIGUOUS % {"value": text.strip()}))
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise NumberError(str(NOT_A_NUMBER % {"value": text.strip()})) from exc
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
