"""The lending library in a browser: a parent reserves a costume on a phone; at the desk a teacher scans the
costume's label (the scanner types the code and Enter), finds the family already chosen, and lends it with
the keyboard alone; the database holds the loan and the reservation is collected."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from community.models import LibraryLoan, LibraryReservation
from tests import factories as f
from tests.browser.conftest import PHONE_VIEWPORT
from tests.community.factories_library import LibraryCopyFactory, LibraryItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def test_a_parent_reserves_a_costume_and_a_teacher_lends_it_at_the_desk(page):
    school = f.SchoolFactory(name="Trường Mầm non Sao Mai", slug="sao-mai")
    classroom = f.ClassroomFactory(school=school, name="Lá 1")
    child = f.ChildFactory(classroom=classroom, full_name="Nguyễn Minh Khôi")
    parent = f.UserFactory(email="me@example.test", full_name="Trần Thị Hoa")
    f.GuardianshipFactory(child=child, guardian=parent)
    f.StaffFactory(school=school, role="teacher", classrooms=[classroom], user=f.UserFactory(email="co@example.test"))
    costume = LibraryItemFactory(school=school, name="Trang phục chú Cuội", category="costume")
    LibraryCopyFactory(item=costume, code="TP-CUOI-1")
    LibraryItemFactory(school=school, name="Bộ đồ chơi nấu ăn")

    page.set_viewport_size(PHONE_VIEWPORT)
    sign_in(page, "me@example.test")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/library/")
    card = page.locator("li.library-item", has_text="Trang phục chú Cuội")
    expect(card).to_be_visible()
    card.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/library/$"))
    expect(page.locator("ul.messages")).to_contain_text("Trang phục chú Cuội")
    reservation = LibraryReservation.objects.get(child=child)
    assert reservation.status == "ready" and reservation.held_copy.code == "TP-CUOI-1"

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, "co@example.test")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/library/desk/")
    scan = page.locator("#desk-code")
    expect(scan).to_be_focused()
    page.keyboard.type("tp-cuoi-1")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/library/desk/\?school=\d+&code="))
    expect(page.locator("#out-child")).to_have_value(str(child.pk))  # the family who reserved it
    expect(page.locator("form[action='/library/desk/check-out/'] button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/library/desk/\?school=\d+$"))
    expect(page.locator("table.desk-loans")).to_contain_text("Nguyễn Minh Khôi")
    loan = LibraryLoan.objects.get()
    assert loan.child == child and loan.borrower == parent and loan.copy.code == "TP-CUOI-1"
    reservation.refresh_from_db()
    assert reservation.status == "collected"
