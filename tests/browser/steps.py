"""Steps the browser journeys share: signing in and out, and reading a text as a Vietnamese reader does."""

from __future__ import annotations

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from tests import factories as f


def vi(text: str) -> str:
    """The text as a Vietnamese reader sees it (English until translated)."""
    with translation.override("vi"):
        return translation.gettext(text)


def path_is(path: str) -> re.Pattern:
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"$")


def log_in(page: Page, login: str, password: str = f.PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("header form[action*='logout']")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator("header form[action*='logout'] button[type=submit]").click()
    expect(page.locator("header a[href^='/accounts/login/']")).to_be_visible()
