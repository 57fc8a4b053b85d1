"""The growth charts: WHO's SD lines, the child's points, the references' boundary, and the text summary."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from health import charts
from health.charts import Point, age_words, chart_render, child_charts, position_words
from health.models import Reference
from tests.health.record_makers import DAYS_ACROSS_60, measure

YEARS_4_2 = 1530  # 4 years 2 months


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def point(days, value, z=0.1, reference=Reference.WHO_2006):
    return Point(age_days=days, value=value, z=z, reference=reference)


def test_a_chart_has_the_five_sd_lines_the_points_and_a_text_summary():
    chart = chart_render(indicator="wfa", sex="m", points=[point(YEARS_4_2, 15.1, 0.2), point(1400, 16.0, -0.1)])
    svg = str(chart.svg)
    for sd in ("-3", "-2", "+0", "+2", "+3"):
        assert f'class="sd sd{sd}"' in svg
    assert svg.count('<circle class="point"') == 2
    assert 'viewBox="0 0 360 250"' in svg and 'width="100%"' in svg
    assert '<title id="wfa-t">Weight for age</title>' in svg
    assert "<desc" in svg and "standard deviations" in svg
    assert chart.summary[0] == "At 4 years 2 months, 15,1 kg: on the line of healthy children."
    assert chart.references == [str(Reference.WHO_2006.label)]
    assert 'class="boundary"' not in svg


def test_the_lines_are_whos_values():
    # WHO 2006 weight-for-age, boys at 48 months: −3 SD 11.2 kg, −2 SD 12.7, median 16.3, +2 SD 21.2, +3 SD 24.2
    # (WHO's published tables, to 0.1 kg).
    curves = charts._curves("wfa", "m", 42, 54)
    at_48 = {
        sd: dict(piece)[round(48 * charts.MONTH_DAYS)]
        for sd, pieces in zip((-3, -2, 0, 2, 3), curves, strict=True)
        for piece in pieces
    }
    expected = {-3: 11.2, -2: 12.7, 0: 16.3, 2: 21.2, 3: 24.2}
    assert at_48 == {sd: pytest.approx(value, abs=0.1) for sd, value in expected.items()}


def test_the_curves_are_kept_in_memory():
    charts._curves.cache_clear()
    chart_render(indicator="hfa", sex="f", points=[point(1000, 92.0)])
    chart_render(indicator="hfa", sex="f", points=[point(1001, 93.0)])
    info = charts._curves.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_points_across_60_months_draw_the_boundary_and_name_both_references():
    points = [point(1600, 16.0), point(1950, 18.0, reference=Reference.WHO_2007)]
    chart = chart_render(indicator="bmi", sex="f", points=points)
    svg = str(chart.svg)
    assert svg.count('class="boundary"') == 1
    assert "WHO 2006</text>" in svg and "WHO 2007</text>" in svg
    assert chart.references == [str(Reference.WHO_2006.label), str(Reference.WHO_2007.label)]
    # Each SD line is drawn in two pieces, one per reference.
    assert svg.count('class="sd sd+0"') == 2


def test_a_young_childs_chart_stops_at_60_months():
    chart = chart_render(indicator="wfa", sex="m", points=[point(1700, 17.0)])
    assert chart.references == [str(Reference.WHO_2006.label)]
    assert 'class="boundary"' not in str(chart.svg)


def test_a_chart_around_two_years_draws_despite_the_tables_handover():
    chart = chart_render(indicator="hfa", sex="m", points=[point(700, 86.0), point(760, 88.0)])
    assert str(chart.svg).count('class="sd sd+0"') == 1


def test_the_svg_stays_light():
    points = [point(900 + 40 * i, 12 + 0.2 * i) for i in range(20)]
    chart = chart_render(indicator="wfa", sex="f", points=points)
    assert len(str(chart.svg)) < 15_000
    assert not re.search(r"\d\.\d{2,}", str(chart.svg))  # coordinates rounded to one decimal


def test_weight_for_age_stops_at_10_years_and_points_without_reference_are_left_out():
    assert chart_render(indicator="wfa", sex="m", points=[point(3700, 30.0, reference=Reference.WHO_2007)]) is None
    assert chart_render(indicator="wfa", sex="m", points=[point(100, 5.0, reference=Reference.NONE)]) is None


def test_the_summary_speaks_plainly():
    assert age_words(YEARS_4_2) == "4 years 2 months"
    assert age_words(365) == "11 months"
    assert age_words(731) == "2 years"
    assert position_words(0.3) == "on the line of healthy children"
    assert "below the −2 line" in position_words(-2.4)
    assert "above the +2 line" in position_words(2.4)
    assert "between the lines of most healthy children" in position_words(-1.5)


@pytest.mark.django_db
def test_a_childs_charts_from_their_measurements(world):
    for on, weight, height in DAYS_ACROSS_60:
        measure(world.child, world.nurse, on, weight, height)
    measure(world.child, world.nurse, datetime.date(2026, 11, 2), "18.2", None)  # no height: no BMI point
    from health.models import Measurement

    result = child_charts(world.child, list(Measurement.objects.filter(child=world.child)))
    assert [c.indicator for c in result] == ["wfa", "hfa", "bmi"]
    assert [str(c.svg).count('<circle class="point"') for c in result] == [4, 3, 3]
    assert all(len(c.references) == 2 for c in result)
