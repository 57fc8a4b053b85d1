"""The principal fixes an out-of-range day: she signs in, opens the week's mẫu giáo menu, sees
Wednesday flagged "fat 49 % (25–35 %)", takes the chips out, lowers the oil and the pork, adds rice,
and sees the day within the targets; the database holds the new grams."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from community.models.menus import Ingredient
from tests import factories as f
from tests.community.factories_menus import FATTY_DAY, make_menu, table_food, this_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def test_the_principal_fixes_an_out_of_range_day(page):
    school = f.SchoolFactory(name="Trường Mầm non Sao Mai", slug="sao-mai")
    f.ClassroomFactory(school=school, name="Lá 1")
    f.StaffFactory(school=school, role="principal", user=f.UserFactory(email="hieutruong@example.test"))
    make_menu(school, days={2: FATTY_DAY})
    wednesday = this_monday() + datetime.timedelta(days=2)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "hieutruong@example.test")
    page.wait_for_url("**/")
    page.goto(f"/menus/school/{school.pk}/week/?band=mau_giao")
    day = page.locator(f"#day-{wednesday:%Y-%m-%d}")
    expect(day.locator(".menu-balance")).to_contain_text("chất béo 49 % (25–35 %)")  # the principal reads Vietnamese

    def grams(code, value):
        ingredient = Ingredient.objects.get(food=table_food(code))
        box = page.locator(f"#grams-{ingredient.pk}")
        box.fill(value)
        box.press("Enter")  # the row's own form: Enter saves it
        page.wait_for_load_state()

    chips = Ingredient.objects.get(food=table_food(2024))
    page.locator(
        f"#day-{wednesday:%Y-%m-%d} form[action='/menus/ingredients/{chips.pk}/'] button[value=delete]"
    ).click()
    expect(page.locator(f"#grams-{chips.pk}")).to_have_count(0)
    grams(6002, "5")
    expect(page.locator(f"#grams-{Ingredient.objects.get(food=table_food(6002)).pk}")).to_have_value(
        re.compile(r"^5[,.]0$")
    )
    grams(1004, "110")
    expect(page.locator(f"#grams-{Ingredient.objects.get(food=table_food(1004)).pk}")).to_have_value(
        re.compile(r"^110[,.]0$")
    )
    grams(7018, "40")
    day = page.locator(f"#day-{wednesday:%Y-%m-%d}")
    expect(day.locator(".menu-balance")).to_contain_text("Đạt chỉ tiêu")  # within the targets
    expect(day.locator(".menu-balance")).not_to_contain_text("Ngoài khoảng chỉ tiêu")
    assert sorted(Ingredient.objects.values_list("food__code", "grams")) == sorted(
        [("1004", Decimal("110.0")), ("6002", Decimal("5.0")), ("7018", Decimal("40.0")),
         ("10001", Decimal("150.0"))]
    )  # fmt: skip
