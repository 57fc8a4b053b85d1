"""The daily view: every dish holding an allergen group a child of the class must avoid is flagged
for that child, with the substitute dish the kitchen set. The flags come from the health record
through coordination.lib.dietary; the kitchen and leaders see every class, a teacher their own."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from community.models.menus import Dish, Substitute
from health.models import Allergy
from schools.models import school_today
from tests.community.factories_menus import make_menu, this_monday
from tests.conftest import session_cached

pytestmark = pytest.mark.django_db

SHRIMP_IN_BUTTER = ("lunch", "Tôm xào bơ tỏi", [(8051, 40), (6001, 8)])
RICE = ("lunch", "Cơm trắng", [(1004, 95)])


def day_url(world, day):
    return f"{reverse('community:menu_day', args=[world.school.pk])}?on={day:%d/%m/%Y}"


@pytest.fixture
def menu_day(world):
    """Today's published mẫu giáo menu with the shrimp in butter; Khôi (Lá 1) avoids shellfish, An (Mầm 1)
    milk, Linh (Chồi 1) nothing."""
    day = this_monday() if school_today().weekday() > 4 else school_today()
    make_menu(world.school, days={(day - this_monday()).days: [RICE, SHRIMP_IN_BUTTER]})
    Allergy.objects.create(school=world.school, child=world.child, allergen="shellfish")
    Allergy.objects.create(school=world.school, child=world.sibling, allergen="milk")
    return day


def test_the_kitchen_sees_both_children_flagged_on_the_dish(client, world, menu_day):
    dish = Dish.objects.get(name="Tôm xào bơ tỏi")
    Substitute.objects.create(school_id=dish.school_id, dish=dish, child=world.child, name="Thịt gà xào")
    client.force_login(world.kitchen)
    text = client.get(day_url(world, menu_day)).content.decode()
    # The given names only: the kitchen learns what to avoid, nothing else about the children.
    assert "Khôi" in text and "An" in text and "Nguyễn Minh Khôi" not in text
    assert "Thịt gà xào" in text  # Khôi's substitute
    assert "no substitute set" in text  # An's is still missing
    assert text.count('class="menu-dish flagged"') == 2  # the dish, in Lá 1 and in Mầm 1; the rice is not flagged


def test_a_teacher_sees_only_their_class(client, world, menu_day):
    client.force_login(world.teacher)
    text = client.get(day_url(world, menu_day)).content.decode()
    assert "Lá 1" in text and "Khôi" in text
    assert "Mầm 1" not in text and "Chồi 1" not in text


def test_the_kitchen_sets_a_substitute(client, world, menu_day):
    dish = Dish.objects.get(name="Tôm xào bơ tỏi")
    client.force_login(world.kitchen)
    client.post(
        reverse("community:menu_substitute", args=[dish.pk]), {"child": world.sibling.pk, "name": "Tôm xào dầu"}
    )
    assert Substitute.objects.get(dish=dish, child=world.sibling).name == "Tôm xào dầu"
    # Another school's child is refused, nothing saved.
    answer = client.post(
        reverse("community:menu_substitute", args=[dish.pk]),
        {"child": world.other_school_child.pk, "name": "X"},
        follow=True,
    )
    assert "This child is not at the school." in answer.content.decode()
    assert Substitute.objects.count() == 1


def test_a_teacher_cannot_set_a_substitute(client, world, menu_day):
    dish = Dish.objects.get(name="Tôm xào bơ tỏi")
    client.force_login(world.teacher)
    answer = client.post(reverse("community:menu_substitute", args=[dish.pk]), {"child": world.child.pk, "name": "X"})
    assert answer.status_code == 404 and not Substitute.objects.exists()


def test_families_see_no_flags(client, world, menu_day):
    client.force_login(world.parent)
    assert client.get(day_url(world, menu_day)).status_code == 404


@pytest.mark.parametrize("extra_days", [0, 4])
def test_the_daily_view_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries, extra_days):
    day = this_monday()
    dishes = [RICE, SHRIMP_IN_BUTTER] + [("afternoon", f"Món {n}", [(10001, 100)]) for n in range(extra_days * 3)]
    make_menu(world.school, days={0: dishes})
    make_menu(world.school, band="nha_tre", days={0: dishes})
    for child, allergen in ((world.child, "shellfish"), (world.sibling, "milk"), (world.other_class_child, "milk")):
        Allergy.objects.create(school=world.school, child=child, allergen=allergen)
    client.force_login(world.kitchen)
    client.get(day_url(world, day))
    # The session's row unless sessions are kept in the cache (REDIS_URL); the person's values come from it.
    with django_assert_num_queries(10 - session_cached()):
        assert client.get(day_url(world, day)).status_code == 200


def test_an_unreadable_day_says_so_and_shows_today(client, world):
    client.force_login(world.kitchen)
    answer = client.get(f"{reverse('community:menu_day', args=[world.school.pk])}?on=31/02/2026")
    assert "could not be read" in answer.content.decode()
    assert school_today().strftime("%d/%m/%Y") in answer.content.decode()
    assert datetime.date  # the page answered with today's date


def test_the_week_editor_flags_the_dish_and_takes_a_substitute(client, world, menu_day):
    dish = Dish.objects.get(name="Tôm xào bơ tỏi")
    client.force_login(world.kitchen)
    week = f"{reverse('community:menu_week', args=[world.school.pk])}?band=mau_giao&week={this_monday():%d/%m/%Y}"
    text = client.get(week).content.decode()
    assert text.count("no substitute set") == 2  # Khôi and An, on the shrimp in butter only
    answer = client.post(
        reverse("community:menu_substitute", args=[dish.pk]),
        {"child": world.child.pk, "name": "Thịt gà xào", "next": "week"},
    )
    assert answer.url.startswith(reverse("community:menu_week", args=[world.school.pk]))
    assert "Thịt gà xào" in client.get(week).content.decode()


def test_the_kitchen_sees_a_day_not_yet_published_and_teachers_do_not(client, world):
    make_menu(world.school, published=False, days={0: [SHRIMP_IN_BUTTER]})
    Allergy.objects.create(school=world.school, child=world.child, allergen="shellfish")
    client.force_login(world.kitchen)
    text = client.get(day_url(world, this_monday())).content.decode()
    assert "Tôm xào bơ tỏi" in text and "families do not see it" in text
    client.force_login(world.teacher)
    assert "Tôm xào bơ tỏi" not in client.get(day_url(world, this_monday())).content.decode()
