"""Makers for the menus part's tests: table foods by code, and weeks of menus."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from community.food_table import food_table_load
from community.models.menus import Dish, Food, Ingredient, Menu, SchoolFood
from schools.models import school_today


def table_food(code: int) -> Food:
    # A transactional test (threads, the browser) empties every table when it ends, the food table too.
    food_table_load()
    return Food.objects.get(school__isnull=True, code=str(code))


def this_monday() -> datetime.date:
    today = school_today()
    return today - datetime.timedelta(days=today.weekday())


def make_menu(school, band="mau_giao", week_start=None, *, published=True, days=None) -> Menu:
    """A week's menu; `days`: {day offset: [(meal, dish name, [(food code, grams)])]}."""
    week_start = week_start or this_monday()
    menu = Menu.objects.create(
        school=school, band=band, week_start=week_start, published_at=timezone.now() if published else None
    )
    for offset, dishes in (days or {}).items():
        for position, (meal, name, items) in enumerate(dishes, start=1):
            dish = Dish.objects.create(
                school=school,
                menu=menu,
                day=week_start + datetime.timedelta(days=offset),
                meal=meal,
                name=name,
                position=position,
            )
            for code, grams in items:
                Ingredient.objects.create(school=school, dish=dish, food=table_food(code), grams=Decimal(str(grams)))
    return menu


def price(school, code: int, per_kg: int) -> SchoolFood:
    row, _ = SchoolFood.objects.update_or_create(
        school=school, food=table_food(code), defaults={"price_per_kg": per_kg}
    )
    return row


# A balanced mẫu giáo day (634 kcal; protein 14 %, fat 28 %, carbohydrate 58 %).
BALANCED_DAY = [
    ("lunch", "Cơm trắng", [(1004, 95)]),
    ("lunch", "Thịt lợn rim", [(7017, 45), (6002, 9), (12014, 3)]),
    ("lunch", "Canh cải xanh", [(4016, 40)]),
    ("afternoon", "Sữa tươi, chuối", [(10001, 150), (5007, 60)]),
]
# Fried and fatty: fat 49 % (25–35 %), carbohydrate 39 % (52–60 %), protein 12 % (13–20 %).
FATTY_DAY = [
    ("lunch", "Cơm trắng", [(1004, 70)]),
    ("lunch", "Thịt ba chỉ rán", [(7018, 60), (6002, 12)]),
    ("lunch", "Khoai tây chiên", [(2024, 20)]),
    ("afternoon", "Sữa tươi", [(10001, 150)]),
]
