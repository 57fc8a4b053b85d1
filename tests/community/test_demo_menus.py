"""The menus part of the demo: this week's and next week's menus with ingredients for both age
groups, one day out of range, and two children (Khôi: shellfish, An: milk, from the health demo)
flagged on a dish with their substitutes. Run twice, it adds nothing."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import translation

from community import demo_menus
from community.models.menus import Dish, Ingredient, Menu, MenuTargets, SchoolFood, Substitute
from community.selectors_menus import menu_daily, menu_week
from coordination.lib import demo as demo_steps
from schools.models import School, StaffMembership, StaffRole, school_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The day's flags are read in English ("fat 49 % (25–35 %)")."""
    with translation.override("en"):
        yield


def run(*names):
    cache: dict = {}
    for step in demo_steps.steps_in_order():
        if step.name in names:
            step.run(demo_steps.DemoContext(rng=random.Random(f"demo:{step.name}"), log=lambda _m: None, cache=cache))


def counts():
    return tuple(m.objects.count() for m in (Menu, Dish, Ingredient, SchoolFood, MenuTargets, Substitute))


def test_the_menus_demo():
    run("schools", "families", "health", "community")
    first = counts()
    run("community")
    assert counts() == first  # run again, nothing added

    school = School.objects.get(slug="sao-mai")
    kitchen = StaffMembership.objects.get(school=school, role=StaffRole.KITCHEN).user
    today = school_today()
    monday = today - datetime.timedelta(days=today.weekday())
    menus = Menu.objects.filter(school=school)
    assert {(m.band, m.week_start) for m in menus} == {
        (band, week) for band in ("nha_tre", "mau_giao") for week in (monday, monday + datetime.timedelta(days=7))
    }
    assert all(m.published_at for m in menus)
    assert not Dish.objects.filter(menu__school=school, ingredients__isnull=True).exists()

    # Exactly one day out of range, this week, mẫu giáo; every day complete and priced.
    out = []
    for menu in menus:
        week = menu_week(user=kitchen, school_id=school.pk, band=menu.band, week_start=menu.week_start)
        for day in week.days:
            if day.has_dishes:
                assert day.totals.complete and not day.totals.unpriced
                if day.flags:
                    out.append((menu.band, day.day, day.flags))
    assert len(out) == 1, out
    band, day, flags = out[0]
    assert band == "mau_giao" and monday <= day < monday + datetime.timedelta(days=7)
    assert any(flag.startswith("fat ") for flag in flags)

    # Two children flagged on one dish of the flagged day, each with the kitchen's substitute.
    flag_day = today if today.weekday() < 5 else monday + datetime.timedelta(days=7)
    page = menu_daily(user=kitchen, school_id=school.pk, day=flag_day)
    flagged = {
        (f["child"].given_name, row.dish.name, f["substitute"])
        for c in page["classes"]
        for row in c.dishes
        for f in row.flagged
    }
    assert {name for name, _dish, _sub in flagged} >= {"Khôi", "An"}
    assert {dish for _name, dish, _sub in flagged} == {demo_menus.FLAGGED_DISH}
    assert all(sub for _name, _dish, sub in flagged)
