"""The family's pages on a slow 3G connection (about 400 kbit/s, 400 ms round trip), as Chromium emulates it.

Each page must transfer under 100 KB before its first photo or video is requested (the page, its
styles and scripts: what stands between the parent and the text), and paint its main content within
5 seconds. Sign-in is done at full speed; only the measured loads are slowed. Every load is cold
(the browser's cache off, no service worker): a parent's first visit, the worst case.

Run with -s to print the figures (BENCHMARKS.md, "Slow 3G").
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.activities.makers import activity_make, clip_make, photo_make
from tests.browser.conftest import PHONE_VIEWPORT, TIMEOUT_MS, CspViolations, functions_only
from tests.browser.steps import log_in
from tests.community.factories_menus import make_menu
from tests.conftest import requires_binary
from tests.portfolio.printing_makers import work_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
BUDGET_BYTES = 100_000
BUDGET_MS = 5_000
MEDIA_TYPES = {"Image", "Media"}


@pytest.fixture
def phone(browser, live_server, request, tmp_path):
    """The suite's phone, without the service worker (its own fetches would not be slowed)."""
    violations = CspViolations()
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="en-US", base_url=live_server.url, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", violations.listen)
    page = context.new_page()
    page.wait_for_function = functions_only(page.wait_for_function)
    yield page
    if getattr(request.node, "browser_call_failed", False):
        shot = tmp_path / "failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the page at failure ({page.url}): {shot}")
    context.close()
    violations.check()


class Meter:
    """The bytes a page load transfers before its first photo or video request, read from Chromium's network events."""

    def __init__(self, page: Page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.cdp.on("Network.requestWillBeSent", self.sent)
        self.cdp.on("Network.loadingFinished", self.finished)
        self.videos: list[str] = []  # every video or sound fetched: none until one is played
        self.reset()

    def reset(self) -> None:
        self.before_media: set[str] = set()
        self.sizes: dict[str, int] = {}
        self.media_seen = False

    def sent(self, event) -> None:
        if event.get("type") == "Media":
            self.videos.append(event["request"]["url"])
        if event.get("type") in MEDIA_TYPES and not event["request"]["url"].startswith("data:"):
            self.media_seen = True
        elif not self.media_seen:
            self.before_media.add(event["requestId"])

    def finished(self, event) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def slow(self, on: bool) -> None:
        conditions = (
            SLOW_3G if on else {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        )
        self.cdp.send("Network.emulateNetworkConditions", conditions)

    def load(self, page: Page, path: str, main_text: str) -> tuple[int, int]:
        """Open `path` on slow 3G: (bytes before the first photo or video, ms to the main content's first paint)."""
        self.reset()
        self.slow(True)
        started = time.monotonic()
        page.goto(path, wait_until="load", timeout=30_000)
        expect(page.locator("main")).to_contain_text(main_text)
        visible_ms = (time.monotonic() - started) * 1000
        paint = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        )
        self.slow(False)
        # Every request sent before the first photo or video has finished by the load event.
        missing = self.before_media - self.sizes.keys()
        assert not missing, f"{path}: requests without their size: {missing}"
        return sum(self.sizes[r] for r in self.before_media), round(max(paint or 0, visible_ms))


def test_the_family_pages_are_light_on_slow_3g(phone: Page, world):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    for purpose in ("portfolio_photos", "voice_recordings"):
        f.ConsentFactory(child=world.child, guardian=world.parent, purpose=purpose)
    photos = [photo_make(school=world.school, by=world.teacher, size=(1600, 1200)) for _ in range(3)]
    video = clip_make(school=world.school, by=world.teacher, seconds=1)
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], video=video, photos=photos
    )
    make_menu(world.school, days={0: [("lunch", "Canh cải xanh", [(4016, 40)])]})
    work = work_make(child=world.child, by=world.teacher, title="Vườn ươm", photos=2)

    log_in(phone, world.parent.email)  # at full speed
    meter = Meter(phone)
    pages = [
        ("family home", "/family/", world.child.full_name),
        ("feed", f"/children/{world.child.pk}/activities/", activity.title),
        ("activity", f"/activities/{activity.pk}/", activity.title),
        ("menu", "/menus/", "Canh cải xanh"),
        ("child page", f"/children/{world.child.pk}/", world.child.full_name),
        ("work page", f"/w/{work.token}", "Vườn ươm"),
    ]
    figures = []
    for name, path, text in pages:
        size, ms = meter.load(phone, path, text)
        figures.append((name, size, ms))
        print(f"slow 3G  {name:12} {size / 1000:6.1f} KB before the first photo or video, main content at {ms} ms")
    phone.goto(f"/activities/{activity.pk}/")  # the lesson's video
    player = phone.locator("main video").first
    expect(player).to_have_attribute("preload", "none")
    expect(player).to_have_attribute("poster", re.compile(r"/media/"))
    assert meter.videos == []  # only posters until played
    for name, size, ms in figures:
        assert size < BUDGET_BYTES, f"{name}: {size} bytes before the first photo or video"
        assert ms < BUDGET_MS, f"{name}: main content after {ms} ms"
    assert all(size > 1000 for _, size, _ in figures)  # the meter saw the pages
