"""Families see this week's and next week's published menus of their children's age groups."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from coordination.lib import fragments
from coordination.lib.allergens import Allergen
from tests.community.factories_menus import BALANCED_DAY, make_menu, this_monday
from tests.conftest import session_cached

pytestmark = pytest.mark.django_db


def test_a_family_sees_this_and_next_weeks_published_menu(client, world):
    make_menu(world.school, days={0: BALANCED_DAY})
    make_menu(
        world.school,
        week_start=this_monday() + datetime.timedelta(days=7),
        days={1: [("lunch", "Cá kho", [(8024, 50)])]},
    )
    make_menu(
        world.school,
        week_start=this_monday() + datetime.timedelta(days=14),
        days={0: [("lunch", "Món tuần sau nữa", [(1004, 50)])]},
    )
    make_menu(world.school, band="nha_tre", days={0: [("lunch", "Món nhà trẻ", [(1004, 50)])]})
    client.force_login(world.parent)
    text = client.get(reverse("community:menu_family")).content.decode()
    assert "Thịt lợn rim" in text and "Cá kho" in text
    assert f"({Allergen.FISH.label})" in text  # the allergen group of the fish dish
    assert "Món tuần sau nữa" not in text  # in two weeks: not yet
    assert "Món nhà trẻ" not in text  # Khôi and An are in mẫu giáo


def test_an_unpublished_menu_is_not_shown(client, world):
    make_menu(world.school, published=False, days={0: [("lunch", "Bản nháp", [(1004, 50)])]})
    client.force_login(world.parent)
    answer = client.get(reverse("community:menu_family"))
    assert answer.status_code == 200 and "Bản nháp" not in answer.content.decode()


def test_another_schools_family_does_not_see_it(client, world):
    make_menu(world.school, days={0: BALANCED_DAY})
    client.force_login(world.foreign_parent)
    assert "Thịt lợn rim" not in client.get(reverse("community:menu_family")).content.decode()


def test_the_page_is_light(client, world):
    make_menu(world.school, days=dict.fromkeys(range(5), BALANCED_DAY))
    client.force_login(world.parent)
    assert len(client.get(reverse("community:menu_family")).content) < 100_000


@pytest.mark.parametrize("days", [1, 5])
def test_the_family_page_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries, days):
    for week in (0, 7):
        make_menu(
            world.school,
            week_start=this_monday() + datetime.timedelta(days=week),
            days=dict.fromkeys(range(days), BALANCED_DAY),
        )
    client.force_login(world.parent)
    client.get(reverse("community:menu_family"))
    # Kept from the first visit (coordination/lib/fragments.py): only the session, unless it is kept in
    # the cache too (REDIS_URL).
    with django_assert_num_queries(1 - session_cached()):
        assert client.get(reverse("community:menu_family")).status_code == 200
    # After a change, the session (unless kept in the cache) and the page's own; the person's account,
    # roles, children and unread count come from the cache (coordination/lib/percache.py).
    fragments.schools_changed([world.school.pk])
    with django_assert_num_queries(7 - session_cached()):
        assert client.get(reverse("community:menu_family")).status_code == 200
