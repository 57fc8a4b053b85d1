"""The authorities' library in Chromium: a Hoa Sen teacher finds a Sao Mai activity in the ward's library,
copies it into her class, and sees on the copy which school it came from."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from activities.models import Activity, LibraryAdoption
from tests.activities.library import TITLE, entry_make
from tests.browser.steps import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hoa_sen_teacher_copies_a_sao_mai_activity_from_the_library_and_sees_the_credit(page: Page, world):
    # As in the demo, both schools are under the same ward.
    world.other_school.authority = world.school.authority
    world.other_school.save(update_fields=["authority"])
    entry_make(school=world.school, by=world.teacher)
    entry_make(
        school=world.school,
        by=world.teacher,
        title="Đếm hạt đậu cùng mẹ",
        instructions="Mẹ và bé đếm hạt đậu vào từng bát.",
        materials="Hạt đậu, ba cái bát",
        domain="cognitive",
    )

    log_in(page, world.foreign_teacher.email)
    page.goto("/teacher/")
    page.locator('main a[href="/activity-library/"]').first.click()
    page.locator(f'main a[href="/authorities/{world.school.authority.slug}/activity-library/"]').click()
    page.locator("#library-q").fill("thuyền")
    page.locator("form.filters button[type=submit]").click()
    results = page.locator("li.library-entry")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(world.school.name)
    results.first.get_by_role("link", name=TITLE).click()

    page.locator("#id_classroom").select_option(str(world.foreign_classroom.pk))
    page.locator("form[action$='/adopt/'] button[type=submit]").click()
    copy = Activity.objects.get(school=world.other_school)
    expect(page).to_have_url(re.compile(rf"/activities/{copy.pk}/$"))
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator("main .credit")).to_contain_text(world.school.name)
    assert LibraryAdoption.objects.get(activity=copy).school == world.other_school
    assert copy.photos.get().media.school == world.other_school
