import pytest

pytestmark = pytest.mark.django_db


def test_vietnamese_is_the_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="vi"' in page


def test_switching_language_is_remembered_on_the_account(world, client):
    client.force_login(world.parent)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/family/"})
    assert response.status_code == 302 and response["Location"] == "/family/"
    world.parent.refresh_from_db()
    assert world.parent.language == "en"
    # Another device, without the cookie, gets the account's language.
    other_device = client.__class__()
    other_device.force_login(world.parent)
    assert '<html lang="en"' in other_device.get("/family/").content.decode()


def test_an_unknown_language_changes_nothing(world, client):
    client.force_login(world.parent)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/family/"})
    world.parent.refresh_from_db()
    assert world.parent.language == "vi"


def test_a_phone_set_to_english_still_gets_vietnamese(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in page


def test_the_language_switch_wins(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()
