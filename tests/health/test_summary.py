"""The nutrition summaries: counts per classification at the start, middle and end of the school year."""

from __future__ import annotations

import datetime

import pytest

from health import summary
from health.summary import classroom_summary, school_summary, schools_summaries, thirds_of
from schools.models import SchoolYear
from tests import factories as f
from tests.health.followup_makers import HIGH, LOW, SEVERE, VERY_HIGH, measure

pytestmark = pytest.mark.django_db

D = datetime.date


def counts(result, third: int) -> dict:
    """The non-zero counts of one third (1, 2, 3)."""
    return {key: n for key, n in result.counts[third - 1].items() if n}


def test_the_year_is_split_into_three_equal_thirds():
    year = SchoolYear(starts_on=D(2026, 9, 1), ends_on=D(2027, 5, 31))
    first, middle, end = thirds_of(year)
    assert (first.starts_on, first.ends_on) == (D(2026, 9, 1), D(2026, 11, 30))
    assert (middle.starts_on, middle.ends_on) == (D(2026, 12, 1), D(2027, 3, 1))
    assert (end.starts_on, end.ends_on) == (D(2027, 3, 2), D(2027, 5, 31))
    lengths = [(t.ends_on - t.starts_on).days + 1 for t in (first, middle, end)]
    assert sum(lengths) == 273 and max(lengths) - min(lengths) <= 1


def test_each_child_latest_measurement_of_each_third_counts(world):
    khoi = world.child
    bao = f.ChildFactory(classroom=world.classroom, full_name="Lê Gia Bảo")
    mai = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Mai")
    older = f.ChildFactory(classroom=world.classroom, full_name="Đỗ Minh Tâm", date_of_birth=D(2021, 1, 2))
    f.ChildFactory(classroom=world.classroom, full_name="Võ Chưa Cân")  # never measured
    # Khôi: normal at the start; underweight early in the middle third but normal at its latest;
    # severely stunted and wasted at the end (one child, two classifications).
    measure(khoi, D(2026, 10, 1))
    measure(khoi, D(2026, 12, 2), wfa=LOW)
    measure(khoi, D(2027, 1, 10))
    measure(khoi, D(2027, 4, 1), hfa=SEVERE, wfh=LOW)
    # Bảo: flagged and not confirmed at the start: "to confirm"; flagged but confirmed in the middle: counts.
    measure(bao, D(2026, 10, 5), wfa=SEVERE, flags=["wfa"])
    measure(bao, D(2027, 2, 1), wfa=SEVERE, flags=["wfa"], confirmed=True)
    # Mai: overweight by weight-for-height, then obese.
    measure(mai, D(2026, 9, 20), wfh=HIGH)
    measure(mai, D(2027, 5, 31), wfh=VERY_HIGH)
    # Tâm, over 60 months: thin by BMI, then severely thin.
    measure(older, D(2026, 10, 1), wfa="", wfh="", bmi=LOW)
    measure(older, D(2027, 3, 2), wfa="", wfh="", bmi=SEVERE, hfa=LOW)
    # Before the year: not counted.
    measure(mai, D(2026, 8, 30), wfa=SEVERE)

    result = classroom_summary(classroom=world.classroom)

    assert result.children == 5
    assert counts(result, 1) == {"normal": 1, "to_confirm": 1, "overweight": 1, "thin": 1, "not_measured": 1}
    assert counts(result, 2) == {"normal": 1, "underweight_severe": 1, "not_measured": 3}
    assert counts(result, 3) == {
        "stunted_severe": 1,
        "wasted": 1,
        "obese": 1,
        "thin_severe": 1,
        "stunted": 1,
        "not_measured": 2,
    }
    rows = {key: numbers for key, _words, numbers in result.rows()}
    assert rows["not_measured"] == [1, 3, 2]
    assert list(rows) == list(summary.CATEGORY_KEYS)


def test_children_who_left_are_not_counted(world):
    gone = f.ChildFactory(classroom=world.classroom, full_name="Đã Nghỉ", left_on=D(2026, 11, 1))
    measure(gone, D(2026, 10, 1), wfa=SEVERE)
    result = classroom_summary(classroom=world.classroom)
    assert result.children == 1
    assert counts(result, 1) == {"not_measured": 1}


def test_the_school_summary_adds_up_its_classes_and_nothing_of_another_school(world):
    measure(world.child, D(2026, 10, 1), wfa=LOW)
    measure(world.other_class_child, D(2026, 10, 2), hfa=LOW)
    measure(world.sibling, D(2026, 10, 3))
    measure(world.other_school_child, D(2026, 10, 3), wfa=SEVERE)

    total, per_class = school_summary(school=world.school)

    assert total.children == 3
    assert counts(total, 1) == {"underweight": 1, "stunted": 1, "normal": 1}
    assert counts(per_class[world.classroom.pk], 1) == {"underweight": 1}
    assert counts(per_class[world.other_classroom.pk], 1) == {"stunted": 1}
    assert world.foreign_classroom.pk not in per_class


def test_each_school_is_counted_over_its_own_year(world):
    year = SchoolYear.objects.get(school=world.other_school, is_current=True)
    year.starts_on, year.ends_on = D(2026, 8, 15), D(2027, 5, 15)
    year.save()
    measure(world.child, D(2026, 10, 1), wfa=LOW)
    measure(world.other_school_child, D(2026, 8, 20), wfa=SEVERE)  # before Sao Mai's year, inside Hoa Sen's

    found = schools_summaries(schools=[world.school, world.other_school])

    assert counts(found[world.school.pk], 1) == {"underweight": 1, "not_measured": 2}
    assert counts(found[world.other_school.pk], 1) == {"underweight_severe": 1}


def test_a_school_without_a_current_year_has_no_counts(world):
    SchoolYear.objects.filter(school=world.school).update(is_current=False)
    total, per_class = school_summary(school=world.school)
    assert total.year is None and per_class == {}
    assert schools_summaries(schools=[world.school])[world.school.pk].year is None


def test_classifications_read_the_stored_levels():
    base = {"wfa_level": "normal", "hfa_level": "normal", "wfh_level": "normal", "bmi_level": ""}
    assert summary.classifications(base) == {"normal"}
    assert summary.classifications({**base, "wfh_level": HIGH}) == {"overweight"}
    assert summary.classifications({**base, "bmi_level": VERY_HIGH}) == {"obese"}
    assert summary.classifications({**base, "wfa_level": LOW, "hfa_level": SEVERE}) == {
        "underweight",
        "stunted_severe",
    }
    # No level at all (a weight alone past 60 months): nothing to count it by.
    assert summary.classifications({"wfa_level": "", "hfa_level": "", "wfh_level": "", "bmi_level": ""}) == {
        "not_measured"
    }
