"""A parent scans a work's QR label while signed out: the phone opens /w/<token>, the portal asks them
to sign in, they land back on the work, and they play their child's voice note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portfolio.build import work_qr_build
from portfolio.models import work_url
from tests import factories as f
from tests.portfolio.printing_makers import voice_make, work_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Vườn ươm của những bạn nhỏ"


def test_a_parent_opens_a_qr_url_signs_in_lands_on_the_work_and_plays_the_voice(page: Page, world, settings):
    for purpose in ("portfolio_photos", "voice_recordings"):
        f.ConsentFactory(child=world.child, guardian=world.parent, purpose=purpose)
    work = work_make(child=world.child, by=world.teacher, title=TITLE, photos=1)
    work.voice = voice_make(school=world.school, by=world.teacher, seconds=3)
    work.save(update_fields=["voice"])
    work_qr_build(work_id=work.pk)
    address = f"/w/{work.token}"
    assert work_url(work).endswith(address)

    page.goto(address)  # what the phone's camera opens
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(address) + "$"))
    page.locator("#id_login").fill(world.parent.email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(re.compile(re.escape(address) + "$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".work-photos picture img")).to_have_count(1)
    audio = page.locator("audio")
    expect(audio).to_have_attribute("preload", "none")
    page.locator("h1").click()  # the parent's tap: the browser lets the page play sound after one
    audio.evaluate("a => a.play()")
    page.wait_for_function(
        "a => !a.paused && a.currentTime > 0.3 && !a.error", arg=audio.element_handle(), timeout=15_000
    )
