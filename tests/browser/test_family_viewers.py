"""A mother invites the grandmother to follow her son, copies the link for Zalo, and the grandmother
accepts it on her phone: in a real browser, on a phone-sized screen, under the Content-Security-Policy."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from parents.models import FamilyViewer
from tests import factories as f
from tests.browser.test_journeys import path_is, vi


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_mother_invites_the_grandmother_who_accepts_on_her_phone(page: Page, live_server, world):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server, world.parent)
    page.goto("/family/")
    page.locator(f'main a[href="/children/{world.child.pk}/family-viewers/"]').click()
    page.locator("#id_name").fill("Bà Lan")
    page.locator("#id_relationship").fill("Bà ngoại")
    page.locator("main form.card button[type=submit]").click()

    viewer = FamilyViewer.objects.get(name="Bà Lan")
    link = f"{settings.SITE_URL}/follow/{viewer.token}/"
    box = page.locator(f"#invitation-{viewer.pk}")
    expect(box.locator("input.copy-source")).to_have_value(link)
    copy = box.locator("button[data-copy]")
    expect(copy).to_be_visible()  # shown by the script, allowed by the policy
    copy.click()
    expect(copy).to_have_text(vi("Copied"))
    assert page.evaluate("() => navigator.clipboard.readText()") == link

    # The grandmother opens the link on her own phone, signs in, and accepts.
    grandma = f.UserFactory(email="ba.lan@example.test", full_name="Đỗ Thị Lan")
    page.context.clear_cookies()
    path = f"/follow/{viewer.token}/"
    page.goto(path)
    expect(page.locator("main")).not_to_contain_text("Khôi")
    page.locator('main a[href^="/accounts/login/"]').click()
    page.locator("#id_login").fill(grandma.email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(path_is(path))
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(path_is("/family/"))
    card = page.locator("main article.followed")
    expect(card.locator("h2")).to_have_text(world.child.full_name)
    expect(page.locator("main")).not_to_contain_text(world.sibling.full_name)
    expect(card.locator(f'a[href="/children/{world.child.pk}/shared-answers/"]')).to_be_visible()
    expect(page.locator('header a[href="/family/"]')).to_have_text(vi("Children I follow"))
    viewer.refresh_from_db()
    assert viewer.viewer == grandma
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", viewer.token)
