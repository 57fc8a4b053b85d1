"""The library is reachable from the pages people already use, and its files are seen by those who check
or copy it: the menu, the teacher's home and the authority's page link to it; families never see it."""

from __future__ import annotations

import pytest

from activities.hooks_library import _in_library
from coordination.lib.links import links_for
from schools.policies import access_for
from tests.activities.library import entry_make

pytestmark = pytest.mark.django_db

LIBRARY = "/activity-library/"


def _menu_urls(user) -> list[str]:
    return [link["url"] for link in links_for("menu", user)]


def test_the_menu_links_to_the_library_for_staff_who_post_and_officers_without_a_query(
    world, django_assert_num_queries
):
    for persona in ("teacher", "principal", "officer"):
        user = getattr(world, persona)
        access_for(user)  # read once per request, for the whole menu
        with django_assert_num_queries(0):
            assert _in_library(user), persona
        assert LIBRARY in _menu_urls(user), persona
    for persona in ("parent", "family_viewer", "nurse", "kitchen"):
        assert LIBRARY not in _menu_urls(getattr(world, persona)), persona


def test_the_teachers_home_and_the_authoritys_page_link_to_the_library(world, client):
    client.force_login(world.teacher)
    assert f'href="{LIBRARY}"' in client.get("/teacher/").content.decode()
    client.force_login(world.officer)
    page = client.get(f"/authorities/{world.school.authority.slug}/").content.decode()
    for path in ("activity-library/", "activity-library/reuse/", "commendations/"):
        assert f"/authorities/{world.school.authority.slug}/{path}" in page


def test_the_officer_who_checks_an_offer_sees_its_photo_and_an_officer_of_another_area_does_not(world, client):
    entry = entry_make(school=world.school, by=world.teacher, state="offered")
    url = entry.activity.photos.get().media.url("thumb")
    client.force_login(world.officer)
    assert client.get(url).status_code == 200
    client.force_login(world.foreign_officer)
    assert client.get(url).status_code in (403, 404)


def test_staff_of_the_schools_under_the_library_see_an_approved_activitys_photo(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher)
    url = entry.activity.photos.get().media.url("thumb")
    _school, _classroom, teacher = neighbour
    client.force_login(teacher)
    assert client.get(url).status_code == 200
    client.force_login(world.foreign_parent)
    assert client.get(url).status_code in (403, 404)
