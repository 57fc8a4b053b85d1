"""What the server tells the service worker: which pages it may keep for offline reading, from where
it runs, and that sign-out empties everything the browser kept."""

from __future__ import annotations

import datetime

import pytest

from coordination.lib.offline import OFFLINE_HEADER

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_and_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "worker-src 'self'" in response["Content-Security-Policy"]
    assert b'addEventListener("fetch"' in response.content


def test_only_the_familys_pages_may_be_kept_offline_for_their_time(client, world, settings):
    settings.OFFLINE_PAGES_KEEP_DAYS = 3
    client.force_login(world.parent)
    kept = ["/family/", f"/children/{world.child.pk}/activities/", f"/children/{world.child.pk}/", "/menus/"]
    for path in kept:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response[OFFLINE_HEADER] == str(3 * 24 * 3600), path
        assert b'data-offline="live"' in response.content and b"data-offline-note" in response.content
    for path in ["/notifications/", "/accounts/email/", "/join/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert OFFLINE_HEADER not in response, path
        assert b"data-offline" not in response.content
    # Another family's child: refused, and nothing to keep.
    response = client.get(f"/children/{world.other_class_child.pk}/")
    assert response.status_code == 404 and OFFLINE_HEADER not in response


def test_sign_out_tells_the_browser_to_empty_its_caches_and_storage(client, world):
    client.force_login(world.parent)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
    assert "Clear-Site-Data" not in client.get("/").headers  # only sign-out clears


def test_sign_out_from_the_admin_empties_the_browsers_caches_and_storage_too(client, world):
    client.force_login(world.principal)
    assert client.get("/admin/").status_code == 200
    response = client.post("/admin/logout/")
    assert response.status_code == 200  # the admin's "signed out" page
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
    assert "Clear-Site-Data" not in client.get("/admin/login/").headers


def _notes(content: bytes) -> str:
    html = content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_offline_notes_tell_the_minute_the_page_was_shown_in_the_persons_language(client, world):
    """The notes are rendered once a minute per language (coordination/templatetags/portal.py): each page
    still says when it was shown, where the family is, and in their language."""
    import time_machine

    client.force_login(world.parent)
    path = f"/children/{world.child.pk}/activities/"
    # 18:05 UTC is 01:05 the next day in Viet Nam.
    with time_machine.travel(datetime.datetime(2026, 12, 6, 18, 5, 10, tzinfo=datetime.UTC), tick=False):
        vietnamese = _notes(client.get(path).content)
        assert "trang này hiển thị như lúc 01:05, 07/12/2026." in vietnamese
        world.parent.language = "en"
        world.parent.save(update_fields=["language"])
        client.cookies["django_language"] = "en"
        english = _notes(client.get(path).content)
        assert "You are offline: this page is shown as it was at 01:05, 07/12/2026." in english
        assert "ngoại tuyến" not in english
    with time_machine.travel(datetime.datetime(2026, 12, 6, 18, 6, 0, tzinfo=datetime.UTC), tick=False):
        later = _notes(client.get(path).content)
        assert "shown as it was at 01:06, 07/12/2026." in later and "01:05" not in later
