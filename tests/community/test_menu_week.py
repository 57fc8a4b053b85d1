"""The kitchen's and leaders' week editor: dishes and ingredients, bad input refused with a message and
nothing changed, copying last week, publishing, and a fixed number of queries whatever the dishes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from community.models.menus import Dish, Ingredient, Menu, MenuTargets
from health.models import Allergy
from tests.community.factories_menus import BALANCED_DAY, FATTY_DAY, make_menu, table_food, this_monday
from tests.conftest import session_cached

pytestmark = pytest.mark.django_db


def week_url(world, band="mau_giao", week=None):
    week = week or this_monday()
    return f"{reverse('community:menu_week', args=[world.school.pk])}?band={band}&week={week:%d/%m/%Y}"


def ingredients():
    return sorted(Ingredient.objects.values_list("dish_id", "food_id", "grams"))


def test_the_kitchen_builds_a_day(client, world):
    client.force_login(world.kitchen)
    monday = this_monday()
    answer = client.post(
        reverse("community:menu_dish_add", args=[world.school.pk]),
        {"band": "mau_giao", "week": f"{monday:%d/%m/%Y}", "day": f"{monday:%d/%m/%Y}", "meal": "lunch", "name": "Cơm"},
    )
    dish = Dish.objects.get()
    assert answer.status_code == 302 and dish.menu.band == "mau_giao" and dish.day == monday
    client.post(reverse("community:menu_ingredient_add", args=[dish.pk]), {"food": "1004", "grams": "95"})
    client.post(reverse("community:menu_ingredient_add", args=[dish.pk]), {"food": "Thịt lợn nạc", "grams": "12,5"})
    assert ingredients() == [
        (dish.pk, table_food(1004).pk, Decimal("95.0")),
        (dish.pk, table_food(7017).pk, Decimal("12.5")),
    ]
    page = client.get(week_url(world))
    text = page.content.decode()
    assert "Gạo tẻ máy" in text and "Thịt lợn nạc" in text
    assert "These are the preschool education programme" in text


@pytest.mark.parametrize(
    ("food", "grams", "message"),
    [
        ("1004", "-5", "The grams per child must be more than 0."),
        ("1004", "0", "The grams per child must be more than 0."),
        ("1004", "5000", "5000 g per child is too much for one ingredient (at most 500 g): check the number."),
        ("1004", "nhiều", "Type the grams per child as a number, for example 25 or 12,5."),
        ("Thịt khủng long", "20", "“Thịt khủng long” is not in the food table nor among the school&#x27;s own foods."),
        ("99999", "20", "“99999” is not in the food table"),
    ],
)
def test_bad_ingredients_are_refused_with_a_message(client, world, food, grams, message):
    make_menu(world.school, days={0: BALANCED_DAY})
    dish = Dish.objects.first()
    before = ingredients()
    client.force_login(world.kitchen)
    answer = client.post(
        reverse("community:menu_ingredient_add", args=[dish.pk]), {"food": food, "grams": grams}, follow=True
    )
    assert message in answer.content.decode()
    assert ingredients() == before


def test_changing_grams_to_nonsense_changes_nothing(client, world):
    make_menu(world.school, days={0: BALANCED_DAY})
    ingredient = Ingredient.objects.first()
    client.force_login(world.principal)
    answer = client.post(reverse("community:menu_ingredient", args=[ingredient.pk]), {"grams": "-1"}, follow=True)
    assert "The grams per child must be more than 0." in answer.content.decode()
    ingredient.refresh_from_db()
    assert ingredient.grams == Decimal("95.0")


def test_the_principal_fixes_an_out_of_range_day(client, world):
    make_menu(world.school, days={2: FATTY_DAY})
    client.force_login(world.principal)
    assert "fat 49 % (25–35 %)" in client.get(week_url(world)).content.decode()
    pork = Ingredient.objects.get(food=table_food(7018))
    oil = Ingredient.objects.get(food=table_food(6002))
    chips = Ingredient.objects.get(food=table_food(2024))
    rice = Ingredient.objects.get(food=table_food(1004))
    client.post(reverse("community:menu_ingredient", args=[chips.pk]), {"action": "delete"})
    client.post(reverse("community:menu_ingredient", args=[oil.pk]), {"grams": "5"})
    client.post(reverse("community:menu_ingredient", args=[rice.pk]), {"grams": "110"})
    client.post(reverse("community:menu_ingredient", args=[pork.pk]), {"grams": "40"})
    text = client.get(week_url(world)).content.decode()
    assert "Out of range" not in text and "Within the targets" in text


def test_a_week_is_copied_from_the_last_one_and_published(client, world):
    make_menu(world.school, week_start=this_monday() - datetime.timedelta(days=7), days={0: BALANCED_DAY})
    client.force_login(world.kitchen)
    data = {"band": "mau_giao", "week": f"{this_monday():%d/%m/%Y}"}
    client.post(reverse("community:menu_week_copy", args=[world.school.pk]), data)
    menu = Menu.objects.get(week_start=this_monday())
    assert menu.dishes.count() == 4 and menu.published_at is None
    assert Ingredient.objects.filter(dish__menu=menu).count() == 7
    # A second copy would mix two weeks: refused.
    answer = client.post(reverse("community:menu_week_copy", args=[world.school.pk]), data, follow=True)
    assert "This week already has dishes" in answer.content.decode()
    assert menu.dishes.count() == 4
    client.post(reverse("community:menu_week_publish", args=[world.school.pk]), {**data, "action": "publish"})
    menu.refresh_from_db()
    assert menu.published_at is not None and menu.published_by == world.kitchen


def test_publishing_an_empty_week_is_refused(client, world):
    client.force_login(world.principal)
    data = {"band": "nha_tre", "week": f"{this_monday():%d/%m/%Y}", "action": "publish"}
    answer = client.post(reverse("community:menu_week_publish", args=[world.school.pk]), data, follow=True)
    assert "there is nothing to publish" in answer.content.decode()
    assert not Menu.objects.exists()


def test_a_day_outside_the_week_is_refused(client, world):
    client.force_login(world.kitchen)
    monday = this_monday()
    data = {"band": "mau_giao", "week": f"{monday:%d/%m/%Y}", "day": "01/01/2020", "meal": "lunch", "name": "Cơm"}
    answer = client.post(reverse("community:menu_dish_add", args=[world.school.pk]), data, follow=True)
    assert "Choose a school day of this week." in answer.content.decode()
    assert not Dish.objects.exists()


def test_the_fee_and_cost_show_on_the_day(client, world):
    from tests.community.factories_menus import price

    MenuTargets.objects.create(school=world.school, band="mau_giao", daily_fee=25_000)
    price(world.school, 1004, 20_000)
    make_menu(world.school, days={0: [("lunch", "Cơm", [(1004, 100)])]})
    client.force_login(world.kitchen)
    text = client.get(week_url(world)).content.decode()
    assert "2.000\u00a0₫" in text and "25.000\u00a0₫" in text


@pytest.mark.parametrize("dishes_per_day", [1, 12])
def test_the_week_page_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries, dishes_per_day):
    day = [("lunch", f"Món {n}", [(1004, 50), (7017, 20), (8051, 10)]) for n in range(dishes_per_day)]
    make_menu(world.school, days=dict.fromkeys(range(5), day))
    Allergy.objects.create(school=world.school, child=world.child, allergen="shellfish")  # flagged on every dish
    client.force_login(world.kitchen)
    client.get(week_url(world))  # sessions, caches
    # session (unless kept in the cache: REDIS_URL), school, menu, dishes, ingredients, the school's foods,
    # targets, the classes, the dietary flags (two), the substitutes; the person's account, memberships,
    # children and unread count come from the cache (coordination/lib/percache.py)
    with django_assert_num_queries(11 - session_cached()):
        assert client.get(week_url(world)).status_code == 200
