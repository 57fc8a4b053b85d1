"""A parent on their phone: finds the Mid-Autumn festival among their events, answers that three of them
will come, and signs up to set up the stage; the page shows one place fewer and the database holds both."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from community.models import EventAnswer, VolunteerSignup
from tests import factories as f
from tests.community.factories_events import event_make, role_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def test_a_parent_answers_and_signs_up_to_set_up_the_stage(page):
    school = f.SchoolFactory(name="Trường Mầm non Sao Mai", slug="sao-mai")
    classroom = f.ClassroomFactory(school=school, name="Lá 1")
    parent = f.UserFactory(email="me@example.test", full_name="Trần Thị Hoa")
    f.GuardianshipFactory(child=f.ChildFactory(classroom=classroom, full_name="Nguyễn Minh Khôi"), guardian=parent)
    festival = event_make(school, whole_school=True, title="Vui Tết Trung thu")
    stage = role_make(festival, name="Dựng sân khấu", slots=6)
    role_make(festival, name="Nấu ăn", slots=4)

    sign_in(page, "me@example.test")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/events/")
    page.get_by_role("link", name="Vui Tết Trung thu").click()
    page.wait_for_url(re.compile(rf"/events/{festival.pk}/$"))

    page.locator("input[name=coming][value=yes]").check()
    page.locator("input[name=people]").fill("3")
    page.locator(f"form[action='/events/{festival.pk}/answer/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/events/{festival.pk}/$"))
    expect(page.locator("[data-my-answer]")).to_contain_text("3")

    row = page.locator(f"tr[data-role='{stage.pk}']")
    expect(row).to_contain_text("6")
    row.locator(f"form[action='/events/roles/{stage.pk}/sign-up/'] button").click()
    page.wait_for_url(re.compile(rf"/events/{festival.pk}/$"))
    expect(page.locator(f"tr[data-role='{stage.pk}']")).to_contain_text("5")
    expect(page.locator(f"form[action='/events/roles/{stage.pk}/cancel/']")).to_be_visible()

    answer = EventAnswer.objects.get(event=festival, guardian=parent)
    assert (answer.coming, answer.people) == (True, 3)
    assert list(VolunteerSignup.objects.values_list("role_id", "guardian_id")) == [(stage.pk, parent.pk)]
