"""Reading what is typed on measuring day: the day, and one child's row (decimal commas welcome)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from health.models import Position
from health.numbers import NumberError, decimal_parse

NUMBER_FIELDS = ("weight_kg", "height_cm", "muac_cm")
FIELDS = ("weight_kg", "height_cm", "position", "muac_cm")


def day_parse(text: str | None) -> datetime.date | None:
    """A day written 25/11/2026 (as people write it here) or 2026-11-25; None when it is neither."""
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    return None


def bad_day_message(text: str) -> str:
    return _("“%(value)s” is not a date: write it like 25/11/2026.") % {"value": text}


@dataclass
class RowInput:
    """One row as typed: the raw texts, the values read from them and what could not be read."""

    raw: dict[str, str]
    values: dict[str, Decimal | str | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any((self.raw.get(name) or "").strip() for name in NUMBER_FIELDS)


def row_read(raw: dict[str, str], *, default_position: str) -> RowInput:
    """Read a row's texts: numbers with a decimal comma or point, the position (or the age's default)."""
    row = RowInput(raw={name: (raw.get(name) or "") for name in FIELDS})
    for name in NUMBER_FIELDS:
        try:
            row.values[name] = decimal_parse(row.raw[name])
        except NumberError as exc:
            row.errors[name] = str(exc)
    position = row.raw["position"].strip()
    row.values["position"] = position if position in Position.values else default_position
    row.raw["position"] = row.values["position"]
    return row
