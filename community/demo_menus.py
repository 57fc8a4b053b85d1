"""The menus part of the demo step "community": Sao Mai's menus for this week and next week, both age
groups, with ingredients from the food table, the kitchen's prices and the daily meal fees.

This week's Wednesday (Tuesday when today is a Wednesday) of the mẫu giáo menu is fried and fatty:
out of range. The day's "Tôm xào bơ tỏi" (shrimp, butter) is on today's menu (next Monday's on a
weekend): the health demo's Khôi (shellfish) and An (milk) are flagged on it, with their substitutes.
Idempotent: a week that has its menu is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from community.food_table import food_table_load
from community.models.menus import AgeBand, Dish, Food, Ingredient, Menu, MenuTargets, SchoolFood, Substitute
from coordination.lib import fragments
from schools.models import Child, School, StaffMembership, StaffRole, school_today

L, A, B = "lunch", "afternoon", "breakfast"
FLAGGED_DISH = "Tôm xào bơ tỏi"

# (meal, dish, [(food code, grams per child as bought)])
MAU_GIAO = [
    [
        (L, "Cơm trắng", [(1004, 95)]),
        (L, "Thịt lợn rim", [(7017, 45), (6002, 9), (12014, 3)]),
        (L, "Canh cải xanh", [(4016, 40)]),
        (A, "Sữa tươi, chuối", [(10001, 150), (5007, 60)]),
    ],
    [
        (L, "Cơm trắng", [(1004, 90)]),
        (L, "Cá rô phi sốt cà chua", [(8024, 60), (4005, 20), (6002, 9)]),
        (L, "Canh bắp cải", [(4010, 40)]),
        (A, "Mì trứng, đu đủ", [(1022, 25), (9001, 30), (6002, 4), (5017, 80)]),
    ],
    [
        (L, "Cơm trắng", [(1004, 100)]),
        (L, "Trứng đúc đậu phụ", [(9001, 45), (3025, 30), (6002, 8)]),
        (L, "Canh su hào", [(4096, 40)]),
        (A, "Sữa chua, chuối", [(10004, 100), (12014, 5), (5007, 50)]),
    ],
    [
        (L, "Cơm trắng", [(1004, 100)]),
        (L, FLAGGED_DISH, [(8051, 40), (6001, 8)]),
        (L, "Canh cà rốt thịt", [(7017, 20), (4007, 30), (4010, 30)]),
        (A, "Phở thịt, đu đủ", [(1013, 40), (7017, 15), (6002, 9), (5017, 80)]),
    ],
    [
        (L, "Cơm trắng", [(1004, 95)]),
        (L, "Thịt lợn rim", [(7017, 45), (6002, 9), (12014, 3)]),
        (L, "Canh cải xanh", [(4016, 40)]),
        (A, "Sữa tươi, chuối", [(10001, 150), (5007, 60)]),
    ],
]
OUT_OF_RANGE = [
    (L, "Cơm trắng", [(1004, 70)]),
    (L, "Thịt ba chỉ rán", [(7018, 60), (6002, 12)]),
    (L, "Khoai tây chiên", [(2024, 20)]),
    (L, "Canh cải xanh", [(4016, 30)]),
    (A, "Sữa tươi", [(10001, 150)]),
]
NHA_TRE = [
    [
        (B, "Sữa tươi", [(10001, 200)]),
        (L, "Cơm nát, thịt lợn băm", [(1004, 60), (7017, 40), (6002, 12), (4007, 30)]),
        (A, "Chè bột nếp, chuối", [(1016, 10), (12014, 5), (5007, 50)]),
    ],
    [
        (B, "Sữa tươi", [(10001, 200)]),
        (L, "Cơm nát, trứng đúc", [(1004, 60), (9001, 40), (6002, 9), (4010, 30)]),
        (A, "Phở thịt, đu đủ", [(1013, 40), (7017, 20), (5017, 60)]),
    ],
    [
        (B, "Sữa tươi", [(10001, 200)]),
        (L, "Cơm nát, cá rô phi", [(1004, 68), (8024, 50), (6002, 12), (4005, 20)]),
        (A, "Mì trứng, đu đủ", [(1022, 15), (9001, 20), (5017, 60)]),
    ],
    [
        (B, "Sữa chua, sữa tươi", [(10004, 100), (10001, 100)]),
        (L, "Cơm nát, trứng, đậu phụ", [(1004, 65), (9001, 40), (3025, 20), (6002, 10), (4096, 30)]),
        (A, "Phở, đu đủ", [(1013, 40), (5017, 60)]),
    ],
    [
        (B, "Sữa tươi", [(10001, 200)]),
        (L, "Cơm nát, thịt lợn băm", [(1004, 60), (7017, 40), (6002, 12), (4007, 30)]),
        (A, "Chè bột nếp, chuối", [(1016, 10), (12014, 5), (5007, 50)]),
    ],
]
# The kitchen's prices per kg (đồng), as bought at the market.
PRICES = {
    1004: 18_000, 1013: 15_000, 1016: 30_000, 1022: 35_000, 2024: 120_000, 3025: 25_000, 4005: 20_000,
    4007: 20_000, 4010: 15_000, 4016: 20_000, 4096: 15_000, 5007: 25_000, 5017: 20_000, 6001: 250_000,
    6002: 45_000, 7017: 140_000, 7018: 120_000, 8024: 60_000, 8051: 250_000, 9001: 60_000, 10001: 32_000,
    10004: 45_000, 12014: 22_000,
}  # fmt: skip
FEES = {AgeBand.NHA_TRE: 32_000, AgeBand.MAU_GIAO: 30_000}


def _flag_day(today: datetime.date) -> datetime.date:
    return today if today.weekday() < 5 else today + datetime.timedelta(days=7 - today.weekday())


def _week(school, band, start, days, foods, kitchen) -> bool:
    fragments.schools_changed([school.pk])  # the demo's menus, written with bulk_create()
    menu, created = Menu.objects.get_or_create(school=school, band=band, week_start=start)
    if not created and menu.dishes.exists():
        return False
    for offset, dishes in enumerate(days):
        day = start + datetime.timedelta(days=offset)
        for position, (meal, name, items) in enumerate(dishes, start=1):
            dish = Dish.objects.create(school=menu.school, menu=menu, day=day, meal=meal, name=name, position=position)
            Ingredient.objects.bulk_create(
                [
                    Ingredient(school_id=dish.school_id, dish=dish, food=foods[code], grams=Decimal(grams))
                    for code, grams in items
                ]
            )
    menu.published_at, menu.published_by = timezone.now(), kitchen
    menu.save(update_fields=["published_at", "published_by", "updated_at"])
    return True


def _mau_giao_days(start: datetime.date, flag_day: datetime.date, this_week: bool) -> list:
    days = [list(day) for day in MAU_GIAO]
    flagged = 3  # the template with the flagged dish
    if start <= flag_day < start + datetime.timedelta(days=5):
        target = flag_day.weekday()
        days[target], days[flagged] = days[flagged], days[target]
        flagged = target
    if this_week:
        days[1 if flagged == 2 else 2] = OUT_OF_RANGE
    return days


def seed(ctx) -> None:
    school = School.objects.filter(slug="sao-mai").first()
    if school is None:
        return
    today = school_today()
    this_week = today - datetime.timedelta(days=today.weekday())
    food_table_load()  # loaded by its migration; again on a database emptied since
    foods = {int(food.code): food for food in Food.objects.filter(school__isnull=True, code__in=map(str, PRICES))}
    kitchen = StaffMembership.objects.filter(school=school, role=StaffRole.KITCHEN).select_related("user").first()
    kitchen_user = kitchen.user if kitchen else None
    for code, price in PRICES.items():
        SchoolFood.objects.get_or_create(school=school, food=foods[code], defaults={"price_per_kg": price})
    for band, fee in FEES.items():
        MenuTargets.objects.get_or_create(school=school, band=band, defaults={"daily_fee": fee})
    flag_day = _flag_day(today)
    made = 0
    for start in (this_week, this_week + datetime.timedelta(days=7)):
        made += _week(school, AgeBand.NHA_TRE, start, NHA_TRE, foods, kitchen_user)
        days = _mau_giao_days(start, flag_day, start == this_week)
        made += _week(school, AgeBand.MAU_GIAO, start, days, foods, kitchen_user)
    # The substitutes the kitchen set for the children who must avoid the flagged dish.
    dish = Dish.objects.filter(menu__school=school, day=flag_day, name=FLAGGED_DISH).first()
    substitutes = {"Nguyễn Minh Khôi": "Thịt gà xào tỏi", "Nguyễn Ngọc An": "Tôm xào dầu, không bơ"}
    if dish is not None:
        for child in Child.objects.filter(school=school, full_name__in=substitutes):
            Substitute.objects.get_or_create(
                dish=dish, child=child, defaults={"school_id": dish.school_id, "name": substitutes[child.full_name]}
            )
    ctx.log(f"community: {made} weekly menus for Sao Mai")
