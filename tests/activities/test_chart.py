"""The principal sees each class's answer rate week by week, as an accessible server-drawn SVG against the
60–70 % band, with the same figures in a table."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from activities import charts, selectors
from tests import factories as f
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world, classmate, classmate_parent):
    """Lá 1 (2 children): 2 of 2 answered two weeks ago, 1 of 2 this week. Chồi 1 (1 child): 0 of 1 last week."""
    now = timezone.now()
    two_weeks_ago = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        published_at=now - datetime.timedelta(weeks=2),
    )
    answer_make(activity=two_weeks_ago, child=world.child, by=world.parent)
    answer_make(activity=two_weeks_ago, child=classmate, by=classmate_parent)
    this_week = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], published_at=now)
    answer_make(activity=this_week, child=world.child, by=world.parent)
    activity_make(
        school=world.school,
        by=world.other_teacher,
        classrooms=[world.other_classroom],
        published_at=now - datetime.timedelta(weeks=1),
    )
    # Another school's activity counts nowhere here.
    foreign = f.ClassroomFactory(school=world.other_school, name="Lá A")
    activity_make(school=world.other_school, by=world.other_principal, classrooms=[foreign])


def test_the_rates_per_class_and_week(world, history):
    series = {s.classroom.name: s for s in selectors.school_participation(school=world.school)}
    assert set(series) == {"Lá 1", "Chồi 1", "Mầm 1"}
    la1 = [w.percent for w in series["Lá 1"].weeks]
    assert la1[-3:] == [100, None, 50] and set(la1[:-3]) == {None}
    assert [w.percent for w in series["Chồi 1"].weeks][-2:] == [0, None]
    assert not series["Mầm 1"].has_data
    assert len(series["Lá 1"].weeks) == 12 and series["Lá 1"].weeks[-1].week.weekday() == 0


def test_the_chart_is_an_accessible_svg_with_the_band_shaded_and_a_table_fallback(client, world, history):
    client.force_login(world.principal)
    response = client.get(f"/schools/{world.school.slug}/activities/participation/")
    assert response.status_code == 200
    page = response.content.decode()
    svgs = re.findall(r"<svg viewBox.*?</svg>", page, re.S)
    assert len(svgs) == 3
    la1 = next(svg for svg in svgs if "Lá 1" in svg)
    assert 'role="img"' in la1 and "<title id=" in la1 and "<desc id=" in la1
    title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', la1).groups()
    assert f'id="{title_id}"' in la1 and f'id="{desc_id}"' in la1
    # The 60–70 % band: from y(70 %) down to y(60 %) on the chart's scale.
    top, height = charts._y(0.70), charts._y(0.60) - charts._y(0.70)
    assert re.search(rf'<rect class="band" [^>]*y="{top:.1f}" [^>]*height="{height:.1f}"', la1)
    assert la1.count('<circle class="dot"') == 2 and la1.count('<path class="line"') == 1
    # Coordinates are plain numbers whatever the language (no decimal commas).
    assert not re.search(r'(?:cx|cy|x|y)="\d+,\d', la1)
    # The table says the same: Lá 1 had 2/2, then 1/2.
    assert "100 %" in page and "(2/2)" in page and "(1/2)" in page and "(0/1)" in page


def test_the_chart_costs_the_same_queries_with_more_activities(client, world, history, django_assert_max_num_queries):
    client.force_login(world.principal)
    client.get(f"/schools/{world.school.slug}/activities/participation/")
    for weeks in range(1, 9):
        activity_make(
            school=world.school,
            by=world.teacher,
            classrooms=[world.classroom, world.other_classroom],
            published_at=timezone.now() - datetime.timedelta(weeks=weeks, days=1),
        )
    with django_assert_max_num_queries(12):
        client.get(f"/schools/{world.school.slug}/activities/participation/")


def test_only_the_schools_leaders_see_the_chart(client, world):
    for person in (world.teacher, world.other_principal, world.parent, world.officer):
        client.force_login(person)
        assert client.get(f"/schools/{world.school.slug}/activities/participation/").status_code == 404
