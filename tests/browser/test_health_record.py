"""A parent signs in on a phone, opens the child's health record from the family's home, and sees the
nurse's note first, then the explanation and the growth chart drawn (an inline SVG, no script)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.health.record_makers import DAYS_ACROSS_60, measure, note_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Khôi lớn đều qua ba lần cân đo. Cô y tế sẽ gặp gia đình vào thứ Sáu."


def test_a_parent_opens_the_health_record_from_the_family_home_and_sees_the_chart(page: Page, world):
    for on, weight, height in DAYS_ACROSS_60:
        measure(world.child, world.nurse, on, weight, height)
    note_write(world.child, world.nurse, NOTE)
    record = f"/health/children/{world.child.pk}/"

    page.goto("/accounts/login/")
    page.locator("#id_login").fill(world.parent.email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/family/")
    link = page.locator(f'article.child a[href="{record}"]')
    expect(link).to_have_count(1)  # Khôi's card; his sister's has her own
    link.click()
    expect(page).to_have_url(re.compile(re.escape(record) + "$"))

    note = page.locator("#family-note")
    expect(note).to_contain_text(NOTE)
    explanation = page.locator("#explanation")
    expect(explanation).to_be_visible()
    chart = page.locator("#chart-wfa svg")
    expect(chart).to_be_visible()
    expect(chart.locator("circle.point")).to_have_count(3)
    expect(chart.locator("polyline.sd")).to_have_count(10)  # five lines, each in two references
    expect(chart.locator(".boundary")).to_have_count(1)

    # The note first, then the explanation, then the chart; the chart fits the phone's width.
    note_box, explanation_box, chart_box = note.bounding_box(), explanation.bounding_box(), chart.bounding_box()
    assert note_box["y"] < explanation_box["y"] < chart_box["y"]
    assert 200 < chart_box["width"] <= page.viewport_size["width"]
    # The text summary is there for screen readers.
    expect(page.locator("#chart-wfa ul.visually-hidden li")).to_have_count(3)
    # The measurements table names the reference of each row.
    expect(page.locator("td.health-reference")).to_have_count(3)
