"""Where the library is reached from: a family's child card, a teacher's home, a leader's home; and the
families' shelf stays light."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.community.factories_library import LibraryCopyFactory, LibraryItemFactory

pytestmark = pytest.mark.django_db


def page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_families_teachers_and_leaders_find_the_library(client, world):
    assert 'href="/library/"' in page(client, world.parent, reverse("parents:home"))
    assert 'href="/library/desk/"' in page(client, world.teacher, reverse("schools:teacher_home"))
    assert 'href="/library/desk/"' in page(client, world.principal, "/schools/sao-mai/manage/")


def test_a_family_viewer_gets_no_library_link(client, world):
    assert 'href="/library/"' not in page(client, world.family_viewer, reverse("parents:home"))


def test_the_shelf_is_light(client, world):
    for i in range(40):
        LibraryCopyFactory(item=LibraryItemFactory(school=world.school, name=f"Đồ chơi số {i}"))
    html = page(client, world.parent, "/library/")
    assert len(html.encode()) < 100_000
