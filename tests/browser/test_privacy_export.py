"""A mother asks for the copy of her family's data, downloads it on her phone, unzips it and reads it offline:
the page in Vietnamese, her son's photo shown from the folder beside it."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from privacy.models import Export
from tests.browser.steps import path_is, vi
from tests.portfolio.printing_makers import work_make
from tests.privacy.export_kit import TEST_DECLARATIONS, with_declarations


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_mother_downloads_her_familys_data_and_reads_it_offline(
    page: Page, live_server, world, monkeypatch, tmp_path
):
    with_declarations(monkeypatch, *TEST_DECLARATIONS)
    work = work_make(child=world.child, by=world.teacher, photos=1)
    sign_in(page, live_server, world.parent)

    page.goto("/privacy/exports/")
    expect(page.locator("main h1")).to_have_text(vi("A copy of your data"))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(path_is("/privacy/exports/"))
    export = Export.objects.get(user=world.parent)
    assert export.status == Export.Status.READY, export.error
    link = page.locator(f'main a.download[href="/privacy/exports/{export.token}/download/"]')
    with page.expect_download() as download_info:
        link.click()
    archive = tmp_path / "copy.zip"
    download_info.value.save_as(archive)

    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    page.goto((folder / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text(vi("A copy of your family's data"))
    expect(page.locator(f"#child-{world.child.pk}")).to_have_text(world.child.full_name)
    photo = page.locator(f"section.child img[src^='files/{work.photos.get().media_id}']")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()  # it loads lazily, when the reader comes to it
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle(), timeout=10_000)
    assert photo.evaluate("(img) => img.naturalWidth") > 0
