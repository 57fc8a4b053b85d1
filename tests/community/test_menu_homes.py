"""The kitchen lands on the day's dishes; the core's pages link to the menus for those who may use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models.menus import Ingredient
from tests.community.factories_menus import make_menu, table_food, this_monday

pytestmark = pytest.mark.django_db


def test_the_kitchen_lands_on_its_day(client, world):
    client.force_login(world.kitchen)
    answer = client.get("/", follow=True)
    assert answer.redirect_chain[-1][0] == reverse("community:menu_day", args=[world.school.pk])


def test_the_nurse_sees_the_day_but_cannot_write(client, world):
    make_menu(world.school, days={0: [("lunch", "Cơm", [(1004, 90)])]})
    client.force_login(world.nurse)
    assert client.get(reverse("community:menu_day", args=[world.school.pk])).status_code == 200
    assert client.get(reverse("community:menu_week", args=[world.school.pk])).status_code == 404
    ingredient = Ingredient.objects.get()
    assert client.post(reverse("community:menu_ingredient", args=[ingredient.pk]), {"grams": "10"}).status_code == 404
    ingredient.refresh_from_db()
    assert ingredient.grams == 90


def test_a_school_fills_a_missing_value_and_changes_allergen_groups(client, world):
    bun = table_food(1020)  # Bún: no fat value
    make_menu(world.school, days={0: [("lunch", "Bún", [(1020, 80)])]})
    week = f"{reverse('community:menu_week', args=[world.school.pk])}?band=mau_giao&week={this_monday():%d/%m/%Y}"
    client.force_login(world.kitchen)
    assert "Incomplete" in client.get(week).content.decode()
    url = reverse("community:menu_food", args=[world.school.pk, bun.pk])
    answer = client.post(url, {"fat_g": "0,5", "price_per_kg": "15000", "allergens": ["soy"]})
    assert answer.status_code == 302
    text = client.get(week).content.decode()
    assert "Incomplete" not in text
    bun.refresh_from_db()
    assert bun.fat_g is None and bun.allergens == []  # the table stays as it is


def test_a_school_adds_its_own_food_and_uses_it(client, world):
    client.force_login(world.kitchen)
    url = reverse("community:menu_foods", args=[world.school.pk])
    client.post(url, {"code": "SM-01", "name_vi": "Bột ngũ cốc Sao Mai", "kcal": "380", "protein_g": "12"})
    answer = client.post(url, {"code": "1004", "name_vi": "Gạo khác"})
    assert "Code 1004 is the food table" in answer.content.decode()
    make_menu(world.school, days={0: [("lunch", "Cơm", [(1004, 90)])]})
    from community.models.menus import Dish

    dish = Dish.objects.get()
    client.post(reverse("community:menu_ingredient_add", args=[dish.pk]), {"food": "SM-01", "grams": "20"})
    assert Ingredient.objects.filter(dish=dish, food__code="SM-01", food__school=world.school).exists()
    # Another school cannot use it.
    other = make_menu(world.other_school, days={0: [("lunch", "Cơm", [(1004, 90)])]})
    client.force_login(world.other_principal)
    other_dish = other.dishes.get()
    answer = client.post(
        reverse("community:menu_ingredient_add", args=[other_dish.pk]), {"food": "SM-01", "grams": "20"}, follow=True
    )
    assert "is not in the food table" in answer.content.decode()
    assert other_dish.ingredients.count() == 1


def test_the_leaders_home_links_to_the_weekly_menus(client, world):
    client.force_login(world.principal)
    text = client.get("/", follow=True).content.decode()
    assert reverse("community:menu_week", args=[world.school.pk]) in text


def test_a_familys_card_links_to_the_menus(client, world):
    client.force_login(world.parent)
    text = client.get("/family/").content.decode()
    assert reverse("community:menu_family") in text


def test_the_food_box_suggestions(client, world):
    client.force_login(world.kitchen)
    url = reverse("community:menu_foods", args=[world.school.pk])
    foods = client.get(url, {"q": "gạo tẻ", "format": "json"}).json()["foods"]
    assert {"code": "1004", "name": "Gạo tẻ máy", "name_en": "Ordinary polished rice"} in foods
    client.force_login(world.parent)
    assert client.get(url, {"q": "gạo", "format": "json"}).status_code == 404


def test_the_kitchen_prices_the_weeks_foods_at_once(client, world):
    from community.models.menus import SchoolFood

    make_menu(world.school, days={0: [("lunch", "Cơm, thịt", [(1004, 90), (7017, 40)])]})
    rice, pork = table_food(1004), table_food(7017)
    client.force_login(world.kitchen)
    page = client.get(reverse("community:menu_foods", args=[world.school.pk])).content.decode()
    assert f'name="price-{rice.pk}"' in page and f'name="price-{pork.pk}"' in page
    url = reverse("community:menu_prices", args=[world.school.pk])
    client.post(url, {f"price-{rice.pk}": "18.000", f"price-{pork.pk}": "140000"})
    assert dict(SchoolFood.objects.values_list("food__code", "price_per_kg")) == {"1004": 18_000, "7017": 140_000}
    answer = client.post(url, {f"price-{rice.pk}": "20000", f"price-{pork.pk}": "đắt"}, follow=True)
    assert "is not a price" in answer.content.decode()
    assert dict(SchoolFood.objects.values_list("food__code", "price_per_kg")) == {"1004": 18_000, "7017": 140_000}
