"""The portal inside Zalo's and Facebook's in-app browsers, where many parents open its links: without a
service worker and without MediaRecorder every family page works, and a voice answer is a file to pick."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from activities.models import Answer
from tests.activities.makers import activity_make, photo_make
from tests.browser.conftest import PHONE_VIEWPORT, TIMEOUT_MS, CspViolations, functions_only
from tests.browser.steps import log_in, log_out, path_is, vi
from tests.community.factories_menus import make_menu
from tests.conftest import requires_binary
from tests.mediafiles.conftest import make_sound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZALO = (
    "Mozilla/5.0 (Linux; Android 11; SM-A115F Build/RP1A.200720.012; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36 Zalo android/12100655 ZaloTheme/light ZaloLanguage/vi"
)
FACEBOOK = (
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11 Build/SKQ1.211103.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/441.0.0.33.113;]"
)
# What those webviews lack (older ones, or as configured by the app): no service worker, no recording.
WITHOUT_APIS = "delete Navigator.prototype.serviceWorker; delete window.MediaRecorder;"
UUID = re.compile(r"^[0-9a-f-]{36}$")


class InAppBrowser:
    """A context that says it is an app's in-app browser and lacks its APIs; a script error or a CSP violation fails."""

    def __init__(self, browser, base_url: str, user_agent: str):
        self.violations = CspViolations()
        self.errors: list[str] = []
        self.context = browser.new_context(
            viewport=PHONE_VIEWPORT, locale="vi-VN", base_url=base_url, user_agent=user_agent
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(WITHOUT_APIS)
        self.context.on("console", self.violations.listen)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"{error} (at {self.page.url})"))
        self.page.wait_for_function = functions_only(self.page.wait_for_function)

    def close(self) -> None:
        self.context.close()
        assert not self.errors, "script errors:\n" + "\n".join(self.errors)
        self.violations.check()


@pytest.fixture
def in_app(browser, live_server):
    opened: list[InAppBrowser] = []

    def open_as(user_agent: str) -> Page:
        opened.append(InAppBrowser(browser, live_server.url, user_agent))
        return opened[-1].page

    yield open_as
    for each in opened:
        each.close()


def walk_family_pages(page: Page, world, activity) -> None:
    assert page.evaluate("() => 'serviceWorker' in navigator || 'MediaRecorder' in window") is False
    log_in(page, world.parent.email)
    expect(page).to_have_url(path_is("/family/"))
    expect(page.locator("main")).to_contain_text(world.child.full_name)
    page.goto(f"/children/{world.child.pk}/activities/")
    expect(page.locator("main")).to_contain_text(activity.title)
    expect(page.locator("main img").first).to_have_attribute("loading", "lazy")
    page.goto(f"/activities/{activity.pk}/")
    expect(page.locator("main h1")).to_contain_text(activity.title)
    page.goto("/menus/")
    expect(page.locator("main")).to_contain_text("Canh cải xanh")
    page.goto(f"/children/{world.child.pk}/")
    expect(page.locator("main")).to_contain_text(world.child.full_name)
    expect(page.locator("main [data-offline-note]:visible")).to_have_count(0)  # online: no note, no worker needed


def test_zalo_and_facebook_in_app_browsers_without_service_worker_or_recorder(in_app, world, tmp_path):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    recording = make_sound(tmp_path / "ghi-am.m4a", seconds=1, codec="aac", fmt="ipod")
    photo = photo_make(school=world.school, by=world.teacher)
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], photos=[photo])
    make_menu(world.school, days={0: [("lunch", "Canh cải xanh", [(4016, 40)])]})

    page = in_app(ZALO)
    walk_family_pages(page, world, activity)
    # The voice answer: no Record button, the phone's own recorder through the file to pick.
    page.goto(f"/activities/{activity.pk}/children/{world.child.pk}/answer/")
    recorder = page.locator("[data-media-recorder]")
    expect(recorder.get_by_role("button", name=vi("Record"), exact=True)).to_be_hidden()
    picker = recorder.get_by_label(vi("Or choose a recording from your phone"))
    expect(picker).to_have_attribute("accept", "audio/*")
    picker.set_input_files(str(recording))
    expect(recorder.locator("input[name=voice]")).to_have_value(UUID)
    page.locator("main form.answer-form button[type=submit]").click()
    expect(page).to_have_url(path_is(f"/activities/{activity.pk}/"))
    answer = Answer.objects.select_related("media").get()
    assert answer.child == world.child and answer.media.kind == "audio"
    log_out(page)  # without a service worker or caches to empty, sign-out still goes through

    page = in_app(FACEBOOK)
    walk_family_pages(page, world, activity)
    log_out(page)
