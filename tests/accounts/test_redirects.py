"""A `next` or return address only ever leads somewhere on this site.

An attacker's link (`/admin/login/?next=https://evil.example/`) would
otherwise send a signed-in leader to a look-alike site. Every such address is
checked with url_has_allowed_host_and_scheme: the admin's sign-in, allauth's
pages and the language switch.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

OFF_SITE = ["https://evil.example/", "//evil.example/", "http://evil.example/admin/", "/\\evil.example/"]
WARNING = "The link asked to go on to another site; you were brought here instead."


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_admin_sign_in_sends_a_signed_in_leader_to_the_admin_not_to_another_site(world, client, target):
    client.cookies["django_language"] = "en"
    client.force_login(world.principal)
    response = client.get("/admin/login/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    page = client.get(response["Location"]).content.decode()
    assert WARNING in page


def test_the_admin_sign_in_still_goes_on_to_a_page_of_the_admin(world, client):
    client.force_login(world.principal)
    response = client.get("/admin/login/", {"next": "/admin/schools/child/"})
    assert response["Location"] == "/admin/schools/child/"


def test_a_visitor_is_sent_to_sign_in_and_then_to_the_admin_not_to_another_site(world, client):
    response = client.get("/admin/login/", {"next": "https://evil.example/"})
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == ["/admin/"]
    response = client.post(
        response["Location"], {"login": world.principal.email, "password": f.PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_goes_on_to_another_site(world, client, target):
    response = client.post("/accounts/login/", {"login": world.parent.email, "password": f.PASSWORD, "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_never_goes_on_to_another_site(world, client, target):
    client.force_login(world.parent)
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    page = client.get(response["Location"], follow=True).content.decode()
    assert WARNING in page


def test_the_language_switch_goes_back_to_the_page_it_came_from(world, client):
    client.force_login(world.parent)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/family/"})
    assert response["Location"] == "/family/"
    world.parent.refresh_from_db()
    assert world.parent.language == "en"
