"""Where the events pages are reached from: the menu, a leader's home and a teacher's class."""

from __future__ import annotations

import re

import pytest

from tests.community.factories_events import _in_english  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db


def _page(client, user, path="/") -> str:
    client.force_login(user)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_families_and_teachers_find_events_in_the_menu_the_kitchen_does_not(client, world):
    for person in (world.parent, world.teacher, world.principal):
        assert 'href="/events/"' in _page(client, person)
    for person in (world.kitchen, world.nurse, world.officer):
        assert 'href="/events/"' not in _page(client, person)


def test_a_leader_plans_an_event_from_their_home(client, world):
    assert 'href="/events/schools/sao-mai/new/"' in _page(client, world.principal)


def test_a_teacher_plans_an_event_for_their_class_with_the_class_chosen(client, world):
    link = f"/events/schools/sao-mai/new/?classroom={world.classroom.pk}"
    assert f'href="{link}"' in _page(client, world.teacher).replace("&amp;", "&")
    page = _page(client, world.teacher, link)
    box = re.search(rf'<input[^>]*name="classrooms" value="{world.classroom.pk}"[^>]*>', page).group(0)
    assert "checked" in box
