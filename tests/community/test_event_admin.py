"""The events' admin keeps the portal's rule: an event is not created in the past, nor moved there."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from community.models import Event
from tests.community.factories_events import event_make

pytestmark = pytest.mark.django_db


def _post(world, starts: datetime.datetime, **extra) -> dict:
    local = timezone.localtime(starts)
    ends = local + datetime.timedelta(hours=2)
    return {
        "school": world.school.pk,
        "title": "Họp phụ huynh đầu năm",
        "kind": "meeting",
        "starts_at_0": f"{local:%d/%m/%Y}",
        "starts_at_1": f"{local:%H:%M}",
        "ends_at_0": f"{ends:%d/%m/%Y}",
        "ends_at_1": f"{ends:%H:%M}",
        "place": "Hội trường",
        "programme": "",
        "whole_school": "on",
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
        "roles-MIN_NUM_FORMS": 0,
        "roles-MAX_NUM_FORMS": 1000,
        **extra,
    }


def test_a_principal_plans_a_meeting_in_the_admin(client, world):
    client.force_login(world.principal)
    response = client.post("/admin/community/event/add/", _post(world, timezone.now() + datetime.timedelta(days=3)))
    assert response.status_code == 302
    assert Event.objects.get().title == "Họp phụ huynh đầu năm"


def test_an_event_in_the_past_is_refused_in_the_admin_too(client, world):
    client.force_login(world.principal)
    response = client.post("/admin/community/event/add/", _post(world, timezone.now() - datetime.timedelta(days=1)))
    assert response.status_code == 200
    assert "The event cannot start in the past." in response.content.decode()
    assert not Event.objects.exists()


def test_moving_an_event_into_the_past_is_refused_and_keeping_its_time_is_not(client, world):
    event = event_make(world.school, whole_school=True)
    client.force_login(world.principal)
    url = f"/admin/community/event/{event.pk}/change/"
    moved = client.post(url, _post(world, timezone.now() - datetime.timedelta(days=2), title="Đã dời"))
    assert moved.status_code == 200 and "The event cannot start in the past." in moved.content.decode()
    event.refresh_from_db()
    assert event.title == "Tết Trung thu"
    kept = client.post(url, _post(world, event.starts_at, title="Vui Tết Trung thu"))
    assert kept.status_code == 302
    event.refresh_from_db()
    assert event.title == "Vui Tết Trung thu"


def test_the_classes_chosen_in_the_admin_are_linked_with_their_school(client, world):
    client.force_login(world.principal)
    page = client.get("/admin/community/event/add/").content.decode()
    assert 'name="classrooms"' in page and world.foreign_classroom.name not in page
    data = _post(world, timezone.now() + datetime.timedelta(days=3), classrooms=[world.classroom.pk])
    data.pop("whole_school")
    response = client.post("/admin/community/event/add/", data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert list(event.classrooms.all()) == [world.classroom]
    assert list(event.classrooms.through.objects.values_list("school_id", flat=True)) == [world.school.pk]
