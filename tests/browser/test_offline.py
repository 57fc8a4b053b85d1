"""Offline reading: the service worker keeps the family's last-seen pages (home, feed, menu, child's page),
shows them with a note when the connection drops or the server fails, never keeps another page, and
sign-out empties it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from mediafiles.models import MediaFile
from tests.activities.makers import activity_make
from tests.browser.steps import log_in, log_out, vi
from tests.community.factories_menus import make_menu
from tests.mediafiles.conftest import make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = re.compile(r"^[0-9a-f-]{36}$")

SAVED_PAGES = """async () => {
  const names = await caches.keys();
  const urls = [];
  for (const name of names) {
    for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
  }
  return urls.sort();
}"""


def controlled(page: Page) -> None:
    """Wait until the service worker handles this page's requests.

    It takes over the pages open when it starts; a page whose loading began just before that
    is handled from its next load on.
    """
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def offline_note_prefix() -> str:
    return vi("You are offline: this page is shown as it was at %(shown_at)s.").split("%(shown_at)s")[0].strip()


def server_note_prefix() -> str:
    text = vi(
        "The portal cannot answer right now: this page is shown as it was at %(shown_at)s. Try again in a few minutes."
    )
    return text.split("%(shown_at)s")[0].strip()


NO_NOTE = "main [data-offline-note]:visible"  # neither note shows


def test_the_family_reads_its_last_seen_pages_offline_and_sign_out_empties_them(page: Page, world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    make_menu(world.school, days={0: [("lunch", "Canh cải xanh", [(4016, 40)])]})
    feed, child_page = f"/children/{world.child.pk}/activities/", f"/children/{world.child.pk}/"
    log_in(page, world.parent.email)
    page.goto("/family/")
    controlled(page)
    for path in ("/family/", feed, child_page, "/menus/", "/notifications/", f"/activities/{activity.pk}/"):
        page.goto(path)
    # Only the pages the server marked; not the notices, nor an activity's page.
    assert page.evaluate(SAVED_PAGES) == sorted(["/family/", feed, child_page, "/menus/"])

    page.context.set_offline(True)
    page.goto(feed)
    note = page.locator("main [data-offline-note=saved]")
    expect(note).to_be_visible()
    expect(note).to_contain_text(offline_note_prefix())
    expect(page.locator("main")).to_contain_text(activity.title)
    page.goto("/menus/")
    expect(page.locator("main")).to_contain_text("Canh cải xanh")
    expect(page.locator("main [data-offline-note=saved]")).to_be_visible()
    page.goto(child_page)
    expect(page.locator("main")).to_contain_text(world.child.full_name)
    with pytest.raises(PlaywrightError):  # never kept: the browser's own "no connection"
        page.goto("/notifications/")

    page.context.set_offline(False)
    page.goto(feed)
    expect(page.locator("main")).to_contain_text(activity.title)
    expect(page.locator(NO_NOTE)).to_have_count(0)  # the live page says nothing
    log_out(page)
    assert page.evaluate(SAVED_PAGES) == []
    page.context.set_offline(True)
    with pytest.raises(PlaywrightError):  # the next person on this phone sees nothing of the family
        page.goto(feed)


def test_a_server_error_shows_the_last_seen_copy_with_the_note_and_keeps_it(page: Page, world):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    feed = f"/children/{world.child.pk}/activities/"
    log_in(page, world.parent.email)
    page.goto("/family/")
    controlled(page)
    page.goto(feed)
    expect(page.locator("main")).to_contain_text(activity.title)

    # The portal is down behind its proxy: its pages answer 502. The service worker's own requests
    # are the browser context's, so the route is the context's.
    def bad_gateway(route):
        route.fulfill(status=502, content_type="text/html; charset=utf-8", body="<h1>502 Bad Gateway</h1>")

    down = re.compile(r"/(children/\d+/activities|notifications)/$")
    page.context.route(down, bad_gateway)
    page.goto(feed)
    # Not "you are offline": the phone is online, the portal is not answering.
    note = page.locator("main [data-offline-note=server]")
    expect(note).to_be_visible()
    expect(note).to_contain_text(server_note_prefix())
    expect(page.locator(NO_NOTE)).to_have_count(1)
    expect(page.locator("main")).to_contain_text(activity.title)
    # A page never kept: the proxy's own error shows, nothing made up.
    response = page.goto("/notifications/")
    assert response is not None and response.status == 502
    expect(page.locator("h1")).to_have_text("502 Bad Gateway")
    # The error replaced nothing: the copy is still there, and the live page comes back with the server.
    page.goto(feed)
    expect(page.locator("main [data-offline-note=server]")).to_be_visible()
    assert feed in page.evaluate(SAVED_PAGES)
    page.context.unroute(down)
    page.goto(feed)
    expect(page.locator("main")).to_contain_text(activity.title)
    expect(page.locator(NO_NOTE)).to_have_count(0)


QUEUED = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("media-upload-queue", 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore("files", { keyPath: "key" });
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const all = opening.result.transaction("files").objectStore("files").getAll();
    all.onsuccess = () => { opening.result.close(); resolve(all.result.map((e) => [e.field, e.name])); };
  };
})"""


def test_a_photo_chosen_offline_waits_on_the_phone_and_goes_up_when_back_online(page: Page, world, tmp_path):
    photo = make_photo(tmp_path / "thuyen-giay.jpg", size=(320, 240))
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer_page = f"/activities/{activity.pk}/children/{world.child.pk}/answer/"
    log_in(page, world.parent.email)
    page.goto(answer_page)
    widget = page.locator("main [data-media-upload]").filter(has=page.locator("input[name=photo]"))

    page.context.set_offline(True)
    widget.locator("[data-media-file]").set_input_files(str(photo))
    expect(widget.locator("[data-media-status]")).to_have_text(
        vi("You are offline. The upload goes on when the connection is back.")
    )
    page.wait_for_function(f"async () => (await ({QUEUED})()).length === 1")
    assert page.evaluate(QUEUED) == [["photo", "thuyen-giay.jpg"]]

    # The connection comes back but the uploads still fail; the parent closes the page meanwhile.
    page.route("**/media/uploads/**", lambda route: route.abort())
    page.context.set_offline(False)
    retrying = vi("The connection was interrupted. Trying again in %%(seconds)s s…").split("%%(seconds)s")[0]
    expect(widget.locator("[data-media-status]")).to_contain_text(retrying)
    page.goto("/family/")
    page.unroute("**/media/uploads/**")
    assert MediaFile.objects.count() == 0

    page.goto(answer_page)  # opened again: the waiting photo goes up by itself
    widget = page.locator("main [data-media-upload]").filter(has=page.locator("input[name=photo]"))
    expect(widget.locator("input[name=photo]")).to_have_value(UUID)
    page.wait_for_function(f"async () => (await ({QUEUED})()).length === 0")
    media = MediaFile.objects.get()
    assert media.kind == "image" and media.uploaded_by == world.parent
    assert str(media.pk) == widget.locator("input[name=photo]").input_value()
