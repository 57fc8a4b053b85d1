"""Measurements with their levels set directly, for the follow-up and summary tests.

The summaries read the stored levels (health.growth computes them on entry and is tested there), so
these tests set them as a nurse's grid would have left them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from health.models import Level, Measurement

LOW, SEVERE, HIGH, VERY_HIGH, NORMAL = Level.LOW, Level.SEVERE_LOW, Level.HIGH, Level.VERY_HIGH, Level.NORMAL


def measure(child, on: datetime.date, *, flags=(), confirmed=False, **levels) -> Measurement:
    """A measurement of `child` on `on` with these levels (wfa=LOW, …); the others normal (bmi empty under 5)."""
    values = {"wfa_level": NORMAL, "hfa_level": NORMAL, "wfh_level": NORMAL, "bmi_level": ""}
    values.update({f"{name}_level": level for name, level in levels.items()})
    return Measurement.objects.create(
        school_id=child.school_id,
        child=child,
        measured_on=on,
        weight_kg=Decimal("17.0"),
        height_cm=Decimal("105.0"),
        flags=list(flags),
        confirmed_at=timezone.now() if confirmed else None,
        **values,
    )
