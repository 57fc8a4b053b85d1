"""Planning an event: leaders for the school or any class, a teacher for their own classes; an event in the
past, or a role with no place, is refused with a message and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Event, VolunteerRole
from tests.community.factories_events import _in_english  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db


def _when(days: int, hour: int = 17) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def _data(**changes) -> dict:
    data = {
        "title": "Vui Tết Trung thu",
        "kind": "festival",
        "starts_at": _when(10),
        "ends_at": _when(10, 20),
        "place": "Sân trường",
        "programme": "Rước đèn, phá cỗ",
        "whole_school": "on",
        "role_1_name": "Dựng sân khấu",
        "role_1_slots": "6",
        "role_2_name": "Nấu ăn",
        "role_2_slots": "4",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_principal_plans_a_festival_with_roles(client, world):
    client.force_login(world.principal)
    response = client.post(reverse("community:event_create", args=["sao-mai"]), _data())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("community:event_detail", args=[event.pk])
    assert event.whole_school and event.created_by == world.principal
    assert sorted(VolunteerRole.objects.values_list("name", "slots")) == [("Dựng sân khấu", 6), ("Nấu ăn", 4)]
    local = timezone.localtime(event.starts_at)
    assert (local.hour, str(local.tzinfo)) == (17, "Asia/Ho_Chi_Minh")


def test_a_teacher_plans_a_demonstration_lesson_for_their_class(client, world):
    client.force_login(world.teacher)
    data = _data(kind="demonstration_lesson", whole_school=None, classrooms=[world.classroom.pk])
    assert client.post(reverse("community:event_create", args=["sao-mai"]), data).status_code == 302
    assert list(Event.objects.get().classrooms.all()) == [world.classroom]


def test_a_teacher_may_not_invite_another_class_nor_the_whole_school(client, world):
    client.force_login(world.teacher)
    url = reverse("community:event_create", args=["sao-mai"])
    page = client.get(url).content.decode()
    assert "Chồi 1" not in page and "whole_school" not in page
    response = client.post(url, _data(whole_school=None, classrooms=[world.other_classroom.pk]))
    assert response.status_code == 400
    response = client.post(url, _data())  # "whole_school" is not on a teacher's form: no class chosen
    assert response.status_code == 400
    assert "Choose the classes invited, or the whole school." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_at": _when(-1), "ends_at": _when(-1, 20)}, "The event cannot start in the past."),
        ({"role_2_slots": "0"}, "The role “Nấu ăn” needs at least one place."),
        ({"role_2_slots": "-3"}, "The role “Nấu ăn” needs at least one place."),
        ({"role_2_slots": ""}, "The role “Nấu ăn” needs at least one place."),
        ({"role_2_name": "Dựng sân khấu"}, "The role “Dựng sân khấu” is listed twice."),
        ({"ends_at": _when(9)}, "The event ends after it starts."),
        ({"whole_school": None}, "Choose the classes invited, or the whole school."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, world, changes, message):
    client.force_login(world.principal)
    response = client.post(reverse("community:event_create", args=["sao-mai"]), _data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists() and not VolunteerRole.objects.exists()


def test_an_organiser_adds_a_role_but_never_one_with_no_place(client, world):
    from tests.community.factories_events import event_make

    event = event_make(world.school, whole_school=True)
    client.force_login(world.principal)
    url = reverse("community:event_organise", args=[event.pk])
    response = client.post(url, {"name": "Trang trí", "slots": "0"})
    assert response.status_code == 400 and "needs at least one place" in response.content.decode()
    assert not VolunteerRole.objects.exists()
    assert client.post(url, {"name": "Trang trí", "slots": "3"}).status_code == 302
    assert list(VolunteerRole.objects.values_list("name", "slots")) == [("Trang trí", 3)]


def test_the_database_refuses_a_role_with_no_place(world):
    from django.db import IntegrityError, transaction

    from tests.community.factories_events import event_make, role_make

    event = event_make(world.school, whole_school=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        role_make(event, slots=0)


def test_an_organiser_changes_a_roles_places_but_never_below_those_signed_up(client, world):
    from community.models import VolunteerSignup
    from tests.community.factories_events import event_make, role_make

    role = role_make(event_make(world.school, whole_school=True), slots=6)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.parent)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.other_parent)
    client.force_login(world.principal)
    url = reverse("community:event_role", args=[role.pk])
    for slots, message in (
        ("1", "2 people have signed up"),
        ("0", "needs at least one place"),
        ("x", "needs at least"),
    ):
        response = client.post(url, {"slots": slots}, follow=True)
        assert message in response.content.decode()
        role.refresh_from_db()
        assert role.slots == 6
    response = client.post(url, {"action": "remove"}, follow=True)
    assert "it cannot be removed" in response.content.decode()
    client.post(url, {"slots": "8"})
    role.refresh_from_db()
    assert role.slots == 8


def test_an_organiser_removes_a_role_nobody_took(client, world):
    from tests.community.factories_events import event_make, role_make

    role = role_make(event_make(world.school, whole_school=True), name="Chụp ảnh", slots=2)
    client.force_login(world.parent)
    assert client.post(reverse("community:event_role", args=[role.pk]), {"action": "remove"}).status_code == 404
    client.force_login(world.principal)
    client.post(reverse("community:event_role", args=[role.pk]), {"action": "remove"})
    assert not VolunteerRole.objects.exists()
