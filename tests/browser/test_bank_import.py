"""The accountant imports a bank statement in a real browser, sees the bad rows, then the result, and assigns a
transfer; the pages keep to the Content-Security-Policy (conftest fails the test on a violation)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from donations.models import BankLine, ContributionState
from tests.donations import makers
from tests.donations.bank_files import csv_file


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_accountant_imports_a_statement_and_assigns_a_transfer(page: Page, live_server, world, tmp_path):
    campaign = makers.opened(world)
    promised = makers.cash(world, campaign, 500_000, received=False)
    yesterday = f"{makers.today() - datetime.timedelta(days=1):%d/%m/%Y}"
    sign_in(page, live_server, world.accountant)

    bad = tmp_path / "sai.csv"
    bad.write_bytes(
        csv_file([[yesterday, "500.000", promised.payment_reference, "FT1"], ["hôm qua", "1", "x", ""]]).read()
    )
    page.goto("/admin/donations/bankimport/")
    page.locator('a[href="/admin/donations/bankimport/import/"]').click()
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.locator('input[type="submit"]').click()
    problems = page.locator("#statement-problems li")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("3")  # the row's number

    good = tmp_path / "dung.csv"
    rows = [[yesterday, "500.000", promised.payment_reference, "FT1"], [yesterday, "300.000", "ung ho truong", "FT2"]]
    good.write_bytes(csv_file(rows).read())
    page.locator('input[type="file"]').set_input_files(str(good))
    page.locator('input[type="submit"]').click()
    expect(page.locator(".messagelist")).to_contain_text("1")
    expect(page.locator("body")).to_contain_text("FT2")

    line = BankLine.objects.get()
    page.goto(f"/admin/donations/bankline/{line.pk}/assign/")
    page.locator("select[name=campaign]").select_option(str(campaign.pk))
    page.locator('input[type="submit"]').click()
    expect(page.locator(".messagelist")).to_be_visible()
    line.refresh_from_db()
    promised.refresh_from_db()
    assert line.contribution is not None and promised.state == ContributionState.RECEIVED
