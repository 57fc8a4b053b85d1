"""The Content-Security-Policy in a real browser: what it blocks, and that the portal keeps to it.

Every browser test fails on a violation logged in the console (conftest.py);
these tests prove that guard, and walk the pages of allauth and the admin that
no journey reaches.
"""

from __future__ import annotations

import contextlib

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

from tests import factories as f

PROBE_PATH = "/csp-probe/"
PAGE_WITH_INLINE_SCRIPT = """<!DOCTYPE html>
<html><head><title>probe</title></head>
<body><p id="said">nothing ran</p>
<script>document.getElementById("said").textContent = "the inline script ran";</script>
</body></html>"""


def sign_in(page: Page, live_server, user) -> None:
    """The user's session cookie in the browser, without walking the login form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_page_with_an_inline_script_is_caught(page: Page, live_server, csp_violations):
    # The portal's own policy, as a real page of it sends it.
    policy = page.goto("/accounts/login/").headers["content-security-policy"]
    assert csp_violations.take() == [], "the login page itself broke the policy"
    # A page under that policy with an inline script, served at the portal's own address.
    page.route(
        f"{live_server.url}{PROBE_PATH}",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": policy},
            body=PAGE_WITH_INLINE_SCRIPT,
        ),
    )

    page.goto(PROBE_PATH)

    expect(page.locator("#said")).to_have_text("nothing ran")
    # The console said so, and the guard that every browser test runs fails on it.
    with pytest.raises(pytest.fail.Exception, match="script-src"):
        csp_violations.check()
    violations = csp_violations.take()
    assert len(violations) == 1
    assert "inline script" in violations[0]


def test_a_script_added_to_a_portal_page_is_blocked_and_caught(page: Page, csp_violations):
    page.goto("/accounts/login/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )

    assert page.evaluate("() => window.injected === undefined")
    assert any("script-src" in message for message in csp_violations.take())


def test_account_pages_keep_to_the_policy(page: Page, live_server, db):
    """allauth's pages that the portal renders, an unverified phone number's included."""
    user = f.UserFactory(phone="+84912345678", phone_verified=False)
    sign_in(page, live_server, user)

    for name in (
        "account_email",
        "account_change_phone",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",  # the authenticator's QR code is a data: image
    ):
        response = page.goto(reverse(name))
        assert response.status == 200, name
    # The page whose inline style attribute the portal's own template replaces.
    page.goto(reverse("account_change_phone"))
    expect(page.locator("form#verify-phone")).to_be_hidden()
    # (Any violation on these pages fails the test when it ends.)


def test_admin_pages_keep_to_the_policy(page: Page, live_server, world):
    """Every admin list, add form and change form, as a superuser sees them."""
    superuser = f.UserFactory(is_staff=True, is_superuser=True)
    sign_in(page, live_server, superuser)

    page.goto(reverse("admin:index"))
    visited = 0
    for model in admin.site._registry:
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{prefix}_change", args=[first.pk]))
        for url in urls:
            response = page.goto(url)
            assert response.status in (200, 403), f"{url}: {response.status}"
            visited += 1
    assert visited >= 2 * len(admin.site._registry)


def test_waiting_on_an_expression_works_under_the_policy(page: Page, csp_violations):
    """Playwright would poll this expression with eval(), which the policy refuses; conftest hands it a function."""
    page.goto("/accounts/login/")
    page.evaluate("() => { setTimeout(() => { window.later = true; }, 300); }")

    page.wait_for_function("window.later === true")

    assert csp_violations.take() == []
