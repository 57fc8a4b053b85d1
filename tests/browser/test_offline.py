"""Offline reading: the service worker keeps the family's last-seen pages (home, feed, menu, child's page),
shows them with a note when the connection drops, never keeps another page, and sign-out empties it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.activities.makers import activity_make
from tests.browser.steps import log_in, log_out, vi
from tests.community.factories_menus import make_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
    note = page.locator("main [data-offline-note]")
    expect(note).to_be_visible()
    expect(note).to_contain_text(offline_note_prefix())
    expect(page.locator("main")).to_contain_text(activity.title)
    page.goto("/menus/")
    expect(page.locator("main")).to_contain_text("Canh cải xanh")
    expect(page.locator("main [data-offline-note]")).to_be_visible()
    page.goto(child_page)
    expect(page.locator("main")).to_contain_text(world.child.full_name)
    with pytest.raises(PlaywrightError):  # never kept: the browser's own "no connection"
        page.goto("/notifications/")

    page.context.set_offline(False)
    page.goto(feed)
    expect(page.locator("main")).to_contain_text(activity.title)
    expect(page.locator("main [data-offline-note]")).to_be_hidden()  # the live page says nothing
    log_out(page)
    assert page.evaluate(SAVED_PAGES) == []
    page.context.set_offline(True)
    with pytest.raises(PlaywrightError):  # the next person on this phone sees nothing of the family
        page.goto(feed)
