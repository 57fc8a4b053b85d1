"""A principal submits the term's report to the ward, the ward's officer acknowledges it, and the
principal sees it acknowledged.

The report sections are the tests' own (tests/reports/conftest.py): the live server runs in this
process, so patching the sections reaches its requests.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from reports.models import Submission
from tests.browser.steps import log_in, log_out, path_is, vi
from tests.reports.makers_school import GIVING, PARTICIPATION, fake_sections, term_one_figures

NOTE = "Báo cáo học kỳ I: tỉ lệ phản hồi đạt mục tiêu, lớp Chồi 1 cần vận động thêm."


@pytest.fixture
def report_sections(monkeypatch):
    found = fake_sections(PARTICIPATION, GIVING)
    monkeypatch.setattr("reports.selectors.sections", lambda: found)
    return found


def test_principal_submits_the_term_report_and_the_ward_acknowledges_it(
    page: Page, live_server, world, report_sections
):
    term_one_figures(world.school)

    # The principal opens the term's report, with its charts, and submits it with a cover note.
    log_in(page, world.principal.email)
    page.goto("/reports/schools/sao-mai/?period=2026-t1")
    expect(page.locator("main h1")).to_contain_text("Sao Mai")
    expect(page.locator("main svg.chart").first).to_be_visible()
    expect(page.locator('main tr[data-rate="answer_rate"]')).to_contain_text("65")
    page.locator("main a[href*='/submit/']").click()
    expect(page.locator("main h1")).to_contain_text(vi("Submit the term's report"))
    page.locator("#id_cover_note").fill(NOTE)
    page.locator("main form button[type=submit]").click()
    submission = Submission.objects.get()
    expect(page).to_have_url(path_is(f"/reports/submissions/{submission.pk}/"))
    expect(page.locator("main [data-status='submitted']")).to_be_visible()
    expect(page.locator("main [data-cover-note]")).to_have_text(NOTE)
    log_out(page)

    # The ward's officer finds it in the list, reads small counts as "< 5", and acknowledges it.
    log_in(page, world.officer.email)
    page.goto("/reports/submitted/")
    page.locator(f"main tr[data-submission='{submission.pk}'] a").click()
    expect(page).to_have_url(path_is(f"/reports/submissions/{submission.pk}/"))
    expect(page.locator("main [data-cover-note]")).to_have_text(NOTE)
    expect(page.locator("main table[data-groups]").first).to_contain_text("< 5")
    page.locator(f"main form[action='/reports/submissions/{submission.pk}/acknowledge/'] button").click()
    expect(page.locator("main [data-status='acknowledged']")).to_be_visible()
    log_out(page)

    # The principal sees it acknowledged, in the list and on the report.
    log_in(page, world.principal.email)
    page.goto("/reports/schools/sao-mai/submissions/")
    row = page.locator(f"main tr[data-submission='{submission.pk}']")
    expect(row.locator("[data-status='acknowledged']")).to_have_text(vi("Acknowledged"))
    row.locator("a").click()
    expect(page.locator("main [data-acknowledged]")).to_be_visible()
    expect(page.locator("main li[data-event='acknowledged']")).to_be_visible()
    expect(page.locator("main form[action$='/acknowledge/']")).to_have_count(0)
