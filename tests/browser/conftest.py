"""A real browser (Debian's chromium, driven by Playwright) against a live server.

Playwright's sync API runs an event loop in the main thread, and Django then
refuses database access from that thread unless told it is safe; it is here,
because the test code and the live server never run Django code concurrently
on the same connection.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import requires_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# A cheap phone: what most parents use.
PHONE_VIEWPORT = {"width": 390, "height": 844}

# Auto-waiting assertions get some room on a slow CI machine; no sleeps anywhere.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    executable = requires_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class CspViolations:
    """What the browser's console said about the Content-Security-Policy during one test.

    Chromium logs every blocked inline script or style, and every resource from
    a source the policy does not allow, as a console error that names the
    "Content Security Policy" directive it broke, also in report-only mode.
    Every browser test fails on one (see `page`).
    """

    MARKER = "Content Security Policy"

    def __init__(self):
        self.messages: list[str] = []

    def listen(self, message) -> None:
        if self.MARKER in message.text:
            self.messages.append(f"{message.text} (at {message.location.get('url', '?')})")

    def take(self) -> list[str]:
        """The violations so far, forgotten: for a test that causes one on purpose."""
        taken, self.messages = self.messages, []
        return taken

    def check(self) -> None:
        if self.messages:
            pytest.fail(
                "the page broke its Content-Security-Policy:\n" + "\n".join(f"  {m}" for m in self.messages),
                pytrace=False,
            )


@pytest.fixture
def csp_violations():
    return CspViolations()


FUNCTION = re.compile(r"^\s*(async\s+)?(function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")


def functions_only(wait_for_function):
    """page.wait_for_function, with an expression turned into a function.

    Playwright polls an expression with eval(), which the portal's policy
    refuses (script-src 'self' has no 'unsafe-eval'); a function it calls
    directly. The test then waits as written instead of failing on the policy.
    """

    def wait(expression: str, **kwargs):
        if not FUNCTION.match(expression):
            expression = f"() => ({expression})"
        return wait_for_function(expression, **kwargs)

    return wait


@pytest.fixture
def page(browser, live_server, request, tmp_path, csp_violations):
    """A fresh browser context (no cookies) per test, on a phone-sized screen.

    The browser says it prefers English, as many families' phones do; the
    portal must still answer in Vietnamese until the person chooses otherwise.
    A Content-Security-Policy violation logged in the console fails the test.
    """
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", csp_violations.listen)  # every page of the context, popups included
    page = context.new_page()
    page.wait_for_function = functions_only(page.wait_for_function)
    yield page
    if getattr(request.node, "browser_call_failed", False):
        shot = tmp_path / "failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the page at failure ({page.url}): {shot}")
    context.close()
    csp_violations.check()
