"""Measuring day on a tablet: the nurse signs in, lands on the school's classes, opens a class's grid and
enters the whole class with the keyboard alone (Tab and Enter, decimal commas, the focus always in
sight), sees a flag on an
implausible row and confirms it; the database holds the measurements."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from health.models import Measurement, Place
from schools.models import school_today
from tests import factories as f
from tests.browser.steps import focus_is_visible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 1024, "height": 768}


def a_class_and_its_nurse():
    school = f.SchoolFactory(name="Trường Mầm non Sao Mai", slug="sao-mai")
    classroom = f.ClassroomFactory(school=school, name="Lá 1")
    nurse = f.StaffFactory(school=school, role="nurse", user=f.UserFactory(email="yta@example.test")).user
    children = [
        f.ChildFactory(classroom=classroom, full_name=name, sex=sex)
        for name, sex in (("Lê Hoài An", "m"), ("Nguyễn Minh Khôi", "m"), ("Trần Ngọc Lan", "f"))
    ]
    return classroom, nurse, children


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def row_of(page, child):
    return page.locator(f"tr[data-row]:has([name='weight_kg-{child.pk}'])")


def test_a_nurse_enters_a_class_with_the_keyboard_alone_and_confirms_a_flagged_row(page):
    classroom, nurse, (an, khoi, lan) = a_class_and_its_nurse()
    page.set_viewport_size(TABLET)
    sign_in(page, "yta@example.test")
    page.wait_for_url(re.compile(r"/health/$"))  # the nurse lands on measuring day
    expect(page.locator("main")).to_contain_text("Lá 1")
    page.locator(f"a[href='/health/classes/{classroom.pk}/measure/']").first.click()
    page.wait_for_url(re.compile(rf"/health/classes/{classroom.pk}/measure/$"))

    keys = page.keyboard
    first = page.locator(f"[name='weight_kg-{an.pk}']")
    first.focus()
    # An: weight, Tab, height, Tab, the position as it is, Tab, the arm, Enter to the next child.
    keys.type("16,4")
    keys.press("Tab")
    focus_is_visible(page)  # the box being typed in stands out
    keys.type("107,5")
    keys.press("Tab")
    keys.press("Tab")
    keys.type("15,2")
    keys.press("Enter")
    expect(page.locator(f"[name='weight_kg-{khoi.pk}']")).to_be_focused()
    focus_is_visible(page)
    # Khôi: Enter only, with a weight no child of 5 has (a slip of the finger).
    keys.type("65")
    keys.press("Enter")
    keys.type("108")
    keys.press("Enter")
    keys.press("Enter")
    keys.press("Enter")
    expect(page.locator(f"[name='weight_kg-{lan.pk}']")).to_be_focused()
    # Lan: Tab only, out of the last box of the grid.
    keys.type("17,1")
    keys.press("Tab")
    keys.type("109")
    keys.press("Tab")
    keys.press("Tab")
    keys.press("Tab")

    expect(row_of(page, an)).to_have_class(re.compile(r"\brow-saved\b"))
    expect(row_of(page, lan)).to_have_class(re.compile(r"\brow-saved\b"))
    flagged = row_of(page, khoi)
    expect(flagged).to_have_class(re.compile(r"\brow-flagged\b"))
    expect(flagged.locator(".grid-flags li").first).to_contain_text("WHO")
    expect(flagged.locator("button[name=confirm]")).to_be_visible()
    # The values as saved, written the way they were typed.
    expect(page.locator(f"[name='height_cm-{an.pk}']")).to_have_value("107,5")
    expect(page.locator(f"[name='height_cm-{lan.pk}']")).to_have_value("109,0")

    # Back to Khôi's "Confirm these values" with Shift+Tab, and Enter.
    confirm = flagged.locator("button[name=confirm]")
    for _ in range(10):
        if confirm.evaluate("button => button === document.activeElement"):
            break
        keys.press("Shift+Tab")
    expect(confirm).to_be_focused()
    focus_is_visible(page)
    keys.press("Enter")
    expect(flagged).to_have_class(re.compile(r"\brow-saved\b"))
    expect(flagged.locator("button[name=confirm]")).to_have_count(0)
    expect(page.locator(f"[name='weight_kg-{lan.pk}']")).to_be_focused()  # on to the next child

    saved = {m.child_id: m for m in Measurement.objects.all()}
    assert set(saved) == {an.pk, khoi.pk, lan.pk}
    assert (saved[an.pk].weight_kg, saved[an.pk].height_cm, saved[an.pk].muac_cm) == (
        Decimal("16.4"),
        Decimal("107.5"),
        Decimal("15.2"),
    )
    assert (saved[lan.pk].weight_kg, saved[lan.pk].height_cm) == (Decimal("17.1"), Decimal("109.0"))
    m = saved[khoi.pk]
    assert m.weight_kg == Decimal("65.0") and m.flags and m.confirmed_by == nurse and not m.needs_confirmation
    assert {(x.measured_on, x.place, x.measured_by_id) for x in saved.values()} == {
        (school_today(), Place.SCHOOL, nurse.pk)
    }
