"""Writing health data: measurements with their z-scores and flags, recomputation, and the read log.

Every write checks who asks (`health.policies`) and keeps the z-scores in step with what they were
computed from. Entry points used by the pages, the import and the admin:

- `measurement_values_check(...)`: what a row would be (z-scores, levels, flags) without saving it,
  for the measuring grid's round trip;
- `measurement_record(...)`: save (or correct) one child's measurement of a day;
- `measurements_recompute(child)`: after the child's date of birth or sex was corrected;
- `health_reads_log(user, children, page)`: a staff member saw these children's health data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from health import growth
from health.models import HealthRead, HealthSettings, Measurement, Place, Position
from health.policies import can_measure_classroom, is_guardian_of
from schools.models import Child
from schools.policies import role_at

WEIGHT_RANGE = (Decimal("1.0"), Decimal("80.0"))
HEIGHT_RANGE = (Decimal("40.0"), Decimal("160.0"))
MUAC_RANGE = (Decimal("7.0"), Decimal("35.0"))
HEIGHT_LOSS_CM = Decimal("1.0")  # measurement error: a child never gets shorter by more


def flag_message(code: str, context: dict | None = None) -> str:
    """A flag in the reader's language (the texts are marked for translation in `health.texts`)."""
    from health.texts import FLAG_TEXTS

    text = str(FLAG_TEXTS[code])
    return text % context if context else text


def health_settings_for(school_id: int) -> HealthSettings:
    found = HealthSettings.objects.filter(school_id=school_id).first()
    return found or HealthSettings(school_id=school_id)


def values_problems(
    *,
    child: Child,
    measured_on: datetime.date | None,
    weight_kg: Decimal | None,
    height_cm: Decimal | None,
    muac_cm: Decimal | None = None,
    today: datetime.date | None = None,
) -> dict[str, str]:
    """Values that cannot be a measurement of this child: {field: message}, empty when all can be."""
    problems: dict[str, str] = {}
    today = today or timezone.localdate()
    if measured_on is None:
        problems["measured_on"] = _("Enter the date of the measurement.")
    elif measured_on > today:
        problems["measured_on"] = _("The date is in the future.")
    elif measured_on < child.date_of_birth:
        problems["measured_on"] = _("The date is before the child was born.")
    if weight_kg is None and height_cm is None:
        problems["weight_kg"] = _("Enter the weight, the height or both.")
    if weight_kg is not None and not WEIGHT_RANGE[0] <= weight_kg <= WEIGHT_RANGE[1]:
        problems["weight_kg"] = _("A child's weight is between %(low)s and %(high)s kg: check the value.") % {
            "low": "1",
            "high": "80",
        }
    if height_cm is not None and not HEIGHT_RANGE[0] <= height_cm <= HEIGHT_RANGE[1]:
        problems["height_cm"] = _("A child's height is between %(low)s and %(high)s cm: check the value.") % {
            "low": "40",
            "high": "160",
        }
    if muac_cm is not None and not MUAC_RANGE[0] <= muac_cm <= MUAC_RANGE[1]:
        problems["muac_cm"] = _("An arm circumference is between %(low)s and %(high)s cm: check the value.") % {
            "low": "7",
            "high": "35",
        }
    return problems


@dataclass
class Checked:
    """What a row would be: the growth figures, the flags (codes) and their messages."""

    growth: growth.Growth
    flags: list[str]
    messages: list[str]


def _change_flags(
    *, weight_kg, height_cm, settings: HealthSettings, previous: Measurement | None
) -> tuple[list[str], list[str]]:
    if previous is None:
        return [], []
    flags, messages = [], []
    date = previous.measured_on.strftime("%d/%m/%Y")
    if weight_kg is not None and previous.weight_kg is not None:
        change = abs(weight_kg - previous.weight_kg)
        if change > settings.weight_change_kg:
            flags.append("weight_change")
            messages.append(
                flag_message("weight_change", {"change": change, "date": date, "limit": settings.weight_change_kg})
            )
    if height_cm is not None and previous.height_cm is not None:
        change = height_cm - previous.height_cm
        if change > settings.height_change_cm:
            flags.append("height_change")
            messages.append(
                flag_message("height_change", {"change": change, "date": date, "limit": settings.height_change_cm})
            )
        elif -change > HEIGHT_LOSS_CM:
            flags.append("height_loss")
            messages.append(flag_message("height_loss", {"change": -change, "date": date}))
    return flags, messages


def previous_measurement(child: Child, measured_on: datetime.date) -> Measurement | None:
    return Measurement.objects.filter(child=child, measured_on__lt=measured_on).order_by("-measured_on").first()


def measurement_values_check(
    *,
    child: Child,
    measured_on: datetime.date,
    weight_kg: Decimal | None,
    height_cm: Decimal | None,
    position: str = Position.STANDING,
    settings: HealthSettings | None = None,
    previous: Measurement | None | bool = False,
) -> Checked:
    """The z-scores, levels and flags a row would get (nothing is saved).

    `previous`: the child's measurement before this day, if the caller already read it (None: there is
    none); by default it is read here.
    """
    result = growth.growth_compute(
        growth.Row(
            sex=child.sex,
            born=child.date_of_birth,
            measured_on=measured_on,
            weight_kg=weight_kg,
            height_cm=height_cm,
            position=position,
        )
    )
    flags = list(result.implausible)
    messages = [flag_message(code) for code in flags]
    if previous is False:
        previous = previous_measurement(child, measured_on)
    more_flags, more_messages = _change_flags(
        weight_kg=weight_kg,
        height_cm=height_cm,
        settings=settings or health_settings_for(child.school_id),
        previous=previous,
    )
    return Checked(growth=result, flags=flags + more_flags, messages=messages + more_messages)


def apply_growth(measurement: Measurement, result: growth.Growth) -> None:
    """Copy computed figures onto a measurement (not saved)."""
    measurement.age_days = result.age_days
    measurement.computed_sex = result.sex
    measurement.reference = result.reference
    measurement.z_wfa = result.z.get("wfa")
    measurement.z_hfa = result.z.get("hfa")
    measurement.z_wfh = result.z.get("wfh")
    measurement.z_bmi = result.z.get("bmi")
    measurement.bmi = result.bmi
    measurement.wfa_level = result.levels.get("wfa", "")
    measurement.hfa_level = result.levels.get("hfa", "")
    measurement.wfh_level = result.levels.get("wfh", "")
    measurement.bmi_level = result.levels.get("bmi", "")


@transaction.atomic
def measurement_record(
    *,
    by,
    child: Child,
    measured_on: datetime.date,
    weight_kg: Decimal | None,
    height_cm: Decimal | None,
    position: str = Position.STANDING,
    muac_cm: Decimal | None = None,
    place: str = Place.SCHOOL,
    measured_by_name: str = "",
    note: str = "",
    confirm: bool = False,
    check_access: bool = True,
) -> tuple[Measurement, Checked]:
    """Save one child's measurement of a day (a second entry on the same day corrects the first).

    Raises ValidationError with {field: message} for values that cannot be right. Values that are
    possible but flagged are saved flagged; `confirm` records that the person checked them.
    """
    if check_access and (child.classroom is None or not can_measure_classroom(by, child.classroom)):
        raise PermissionDenied
    problems = values_problems(
        child=child, measured_on=measured_on, weight_kg=weight_kg, height_cm=height_cm, muac_cm=muac_cm
    )
    if problems:
        raise ValidationError(problems)
    checked = measurement_values_check(
        child=child, measured_on=measured_on, weight_kg=weight_kg, height_cm=height_cm, position=position
    )
    measurement = Measurement.objects.select_for_update().filter(
        child=child, measured_on=measured_on
    ).first() or Measurement(school_id=child.school_id, child=child, measured_on=measured_on, entered_by=by)
    measurement.weight_kg, measurement.height_cm, measurement.position = weight_kg, height_cm, position
    measurement.muac_cm, measurement.place, measurement.note = muac_cm, place, note
    measurement.measured_by_name = measured_by_name
    if place == Place.SCHOOL and by is not None and not measured_by_name:
        measurement.measured_by = by
    apply_growth(measurement, checked.growth)
    measurement.flags = checked.flags
    if checked.flags and confirm:
        measurement.confirmed_by, measurement.confirmed_at = by, timezone.now()
    else:
        measurement.confirmed_by, measurement.confirmed_at = None, None
    measurement.save()
    return measurement, checked


def measurements_recompute(child: Child) -> int:
    """Compute again every measurement of a child whose date of birth or sex was corrected.

    Only rows computed from other values are written; returns how many.
    """
    rows = list(Measurement.objects.filter(child=child).select_related("child").order_by("measured_on"))
    stale = [m for m in rows if m.computed_sex != child.sex or m.age_days != (m.measured_on - child.date_of_birth).days]
    if not stale:
        return 0
    for m in stale:
        m.child = child
    results = growth.growth_compute_many(growth.z_rows(stale))
    fields = [
        "age_days",
        "computed_sex",
        "reference",
        "z_wfa",
        "z_hfa",
        "z_wfh",
        "z_bmi",
        "bmi",
        "wfa_level",
        "hfa_level",
        "wfh_level",
        "bmi_level",
        "flags",
        "updated_at",
    ]
    now = timezone.now()
    for m, result in zip(stale, results, strict=True):
        apply_growth(m, result)
        change_flags = [code for code in m.flags if code not in growth.INDICATORS]
        m.flags = list(result.implausible) + change_flags
        m.updated_at = now
    Measurement.objects.bulk_update(stale, fields)
    return len(stale)


def health_reads_log(user, children: Iterable[Child], page: str) -> int:
    """Record that a staff member saw these children's health data, in one query.

    A guardian reading their own child's record is not logged (it is their own data); a staff member
    who is also the child's guardian is logged like any staff member.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    now = timezone.now()
    rows = []
    for child in children:
        role = role_at(user, child.school_id)
        if role is None and is_guardian_of(user, child):
            continue
        rows.append(
            HealthRead(
                school_id=child.school_id,
                child_id=child.pk,
                reader=user,
                reader_name=getattr(user, "full_name", "") or user.get_username(),
                reader_role=role or "",
                page=page,
                read_at=now,
            )
        )
    HealthRead.objects.bulk_create(rows)
    return len(rows)
