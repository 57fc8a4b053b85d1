"""A day's energy, protein, fat and carbohydrate against hand-worked examples from the food table,
with the inedible share, the incomplete days and the out-of-range flags."""

from __future__ import annotations

from decimal import Decimal

import pytest

from community.models.menus import Food, SchoolFood
from community.nutrition_menus import DEFAULT_TARGETS, Targets, day_flags, day_totals, edible_grams, food_values
from community.selectors_menus import menu_week
from tests.community.factories_menus import BALANCED_DAY, FATTY_DAY, make_menu, price, table_food, this_monday

pytestmark = pytest.mark.django_db


def values(code, school_food=None):
    return food_values(table_food(code), school_food)


def test_the_table_is_loaded_with_unknown_values_empty():
    assert Food.objects.filter(school__isnull=True).count() in (0, 526)  # 0: emptied by a transactional test
    rice = table_food(1004)  # Gạo tẻ máy: 344 kcal, 7,9 g protein, 1 g fat, 75,9 g carbohydrate
    assert (rice.kcal, rice.protein_g, rice.fat_g, rice.carbohydrate_g) == (344, Decimal("7.9"), 1, Decimal("75.9"))
    assert Food.objects.filter(school__isnull=True).count() == 526
    assert Food.objects.filter(school__isnull=True, fat_g__isnull=True).count() == 75  # as the issue says
    assert table_food(1020).fat_g is None  # Bún: the table has no fat value, kept unknown, not 0
    assert table_food(8051).allergens == ["shellfish"]  # Tôm biển, group 8
    assert table_food(8024).allergens == ["fish"]
    assert table_food(10001).allergens == ["milk"] and table_food(9001).allergens == ["egg"]
    assert table_food(13022).allergens == ["soy", "wheat"]  # Xì dầu, from the reviewed list
    assert table_food(1004).allergens == []


def test_shrimp_as_bought_is_converted_to_its_edible_part():
    # Tôm biển: 54 % inedible (head, shell). 100 g bought = 46 g eaten: 82 × 0,46 = 37,72 kcal,
    # 17,6 × 0,46 = 8,096 g protein, 0,9 × 0,46 = 0,414 g fat and as much carbohydrate.
    assert edible_grams(Decimal(100), Decimal(54)) == Decimal(46)
    totals = day_totals([(values(8051), Decimal(100))])
    assert totals.kcal == Decimal("37.72")
    assert totals.protein_g == Decimal("8.096")
    assert totals.fat_g == Decimal("0.414")


def test_a_day_by_hand():
    # 100 g rice (0 % inedible) + 50 g lean pork (2 % inedible: 49 g) + 10 g oil:
    #   energy 344 + 139 × 0,49 + 897 × 0,1 = 344 + 68,11 + 89,7 = 501,81 kcal
    #   protein 7,9 + 19 × 0,49 = 17,21 g; fat 1 + 7 × 0,49 + 9,97 = 14,4 g; carbohydrate 75,9 g
    #   from them: 68,84 + 129,6 + 303,6 = 502,04 kcal: protein 13,7 %, fat 25,8 %, carbohydrate 60,5 %
    totals = day_totals([(values(1004), Decimal(100)), (values(7017), Decimal(50)), (values(6002), Decimal(10))])
    assert totals.kcal == Decimal("501.81")
    assert totals.protein_g == Decimal("17.21")
    assert totals.fat_g == Decimal("14.40")
    assert round(totals.protein_pct, 1) == Decimal("13.7")
    assert round(totals.fat_pct, 1) == Decimal("25.8")
    assert round(totals.carbohydrate_pct, 1) == Decimal("60.5")
    assert totals.complete
    # Mẫu giáo: 615–726 kcal: the energy is low. Carbohydrate 60,47 % is judged as shown, 60 %: within 52–60 %.
    assert day_flags(totals, DEFAULT_TARGETS["mau_giao"]) == ["energy 502 kcal (615–726 kcal)"]
    assert day_flags(totals, DEFAULT_TARGETS["nha_tre"]) == [
        "energy 502 kcal (600–651 kcal)",
        "fat 26 % (30–40 %)",
        "carbohydrate 60 % (47–50 %)",
    ]


def test_the_flag_reads_nutrient_value_and_range():
    totals = day_totals([(values(6002), Decimal(10)), (values(1004), Decimal(30))])
    targets = Targets(0, 2000, 0, 100, 25, 35, 0, 100)
    [flag] = day_flags(totals, targets)
    assert flag.startswith("fat ") and flag.endswith(" % (25–35 %)")


def test_a_food_without_a_fat_value_makes_the_day_incomplete_and_is_named(world):
    totals = day_totals([(values(1004), Decimal(60)), (values(1020), Decimal(80))])  # Bún: no fat value
    assert not totals.complete
    assert totals.missing == {"Bún": ["fat_g"]}
    # No share judged on incomplete fat, never a silent zero; the energy is known and still judged.
    assert day_flags(totals, DEFAULT_TARGETS["mau_giao"]) == ["energy 294 kcal (615–726 kcal)"]
    # The school fills the value in: the day is complete.
    own = SchoolFood(school=world.school, food=table_food(1020), fat_g=Decimal("0.5"))
    assert day_totals([(values(1020, own), Decimal(80))]).complete


def test_cost_per_child_is_grams_as_bought_times_the_price(world):
    price(world.school, 8051, 250_000)  # 40 g of shrimp at 250.000 ₫/kg: 10.000 ₫
    price(world.school, 1004, 18_000)  # 100 g of rice at 18.000 ₫/kg: 1.800 ₫
    make_menu(world.school, days={0: [("lunch", "Tôm, cơm", [(8051, 40), (1004, 100), (7017, 10)])]})
    week = menu_week(user=world.principal, school_id=world.school.pk, band="mau_giao", week_start=this_monday())
    day = week.days[0]
    assert day.totals.cost_vnd == 11_800
    assert day.totals.unpriced == ["Thịt lợn nạc"]  # no price yet: named, not counted as free


def test_the_week_page_flags_the_fatty_day_only(world):
    make_menu(world.school, days={0: BALANCED_DAY, 2: FATTY_DAY})
    week = menu_week(user=world.kitchen, school_id=world.school.pk, band="mau_giao", week_start=this_monday())
    monday, _tuesday, wednesday, *_ = week.days
    assert monday.flags == []
    assert "fat 49 % (25–35 %)" in wednesday.flags
