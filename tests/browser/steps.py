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


# What a focused element looks like (static/css/site.css): a 3 px outline, dark enough to see.
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "nothing is focused";
  const style = getComputedStyle(el);
  if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) {
    return `${el.outerHTML.slice(0, 80)} shows no focus outline`;
  }
  return "";
}"""


def focus_is_visible(page: Page) -> None:
    """The element that has the keyboard focus shows it."""
    problem = page.evaluate(FOCUS_VISIBLE)
    assert not problem, problem


def tab_to(page: Page, target, *, limit: int = 40, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until `target` has the focus, each stop visibly focused; the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        focus_is_visible(page)
        if page.evaluate("el => el === document.activeElement", handle):
            return presses
    raise AssertionError(f"{limit} presses of {key} never reached {target}")
