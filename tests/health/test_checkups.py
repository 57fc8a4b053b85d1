"""Check-ups with the health station: planning a day, recording a child's check-up with its files, and
who may open those files."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from health.models import CheckUp, CheckUpAttachment, HealthRead
from mediafiles import services as media_services
from mediafiles import usage
from mediafiles.access import can_view_media
from tests import factories as f
from tests.mediafiles.conftest import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(world):
    """Pages in English, the language the messages are written in (the Vietnamese is added later)."""
    for person in (world.nurse, world.principal, world.teacher, world.parent):
        person.language = "en"
        person.save(update_fields=["language"])


PROVIDER = "Trạm Y tế phường Bến Nghé"


def today():
    return timezone.localdate()


def plan_url(world):
    return f"/health/schools/{world.school.slug}/checkups/plan/"


def checkup_url(checkup):
    return f"/health/checkups/{checkup.pk}/"


def planned(world, child=None, on=None):
    return CheckUp.objects.create(
        school=world.school,
        child=child or world.child,
        on=on or today() - datetime.timedelta(days=1),
        provider=PROVIDER,
    )


def photo(world, by):
    with tempfile.TemporaryDirectory() as tmp:
        path = make_photo(Path(tmp) / "phieu-kham.jpg")
        return media_services.media_ingest(school=world.school, by=by, kind="image", path=path)


# --- Planning a day --------------------------------------------------------------------------------


def test_the_nurse_plans_a_day_for_a_class_one_check_up_per_child(world, client):
    second = f.ChildFactory(classroom=world.classroom, full_name="Lê Gia Bảo")
    f.ChildFactory(classroom=world.classroom, full_name="Đã Nghỉ", left_on=datetime.date(2026, 10, 1))
    day = today() + datetime.timedelta(days=5)
    client.force_login(world.nurse)
    data = {"on": day.strftime("%d/%m/%Y"), "provider": PROVIDER, "classrooms": [world.classroom.pk]}

    response = client.post(plan_url(world), data)

    assert response.status_code == 302 and response["Location"] == f"/health/schools/{world.school.slug}/checkups/"
    rows = CheckUp.objects.filter(on=day)
    assert sorted(rows.values_list("child_id", flat=True)) == sorted([world.child.pk, second.pk])
    assert set(rows.values_list("done", "provider", "school_id")) == {(False, PROVIDER, world.school.pk)}
    # Planned again: nobody gets the same day twice.
    client.post(plan_url(world), data)
    assert CheckUp.objects.filter(on=day).count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Lê Gia Bảo" in page and day.strftime("%d/%m/%Y") in page
    assert HealthRead.objects.filter(reader=world.nurse, page=HealthRead.Page.CHECKUP, child=second).exists()


def test_the_whole_school_gets_a_check_up_day(world, client):
    day = today() + datetime.timedelta(days=3)
    client.force_login(world.principal)
    client.post(plan_url(world), {"on": day.isoformat(), "provider": PROVIDER, "whole_school": "on"})
    children = set(CheckUp.objects.filter(on=day).values_list("child_id", flat=True))
    assert children == {world.child.pk, world.sibling.pk, world.other_class_child.pk}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "01/01/2020", "provider": PROVIDER, "classrooms": "CLASS"}, "planned for today or a later day"),
        ({"on": "TOMORROW", "provider": " ", "classrooms": "CLASS"}, "Enter who examines the children"),
        ({"on": "TOMORROW", "provider": PROVIDER}, "Choose at least one class."),
        ({"on": "32/13/2026", "provider": PROVIDER, "classrooms": "CLASS"}, "Enter a date as dd/mm/yyyy."),
    ],
)
def test_a_bad_plan_is_refused_with_a_message_and_nothing_saved(world, client, data, message):
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    data = {k: (tomorrow if v == "TOMORROW" else world.classroom.pk if v == "CLASS" else v) for k, v in data.items()}
    client.force_login(world.nurse)
    response = client.post(plan_url(world), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CheckUp.objects.exists()


def test_a_class_of_another_school_cannot_be_chosen(world, client):
    client.force_login(world.nurse)
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        plan_url(world), {"on": tomorrow, "provider": PROVIDER, "classrooms": [world.foreign_classroom.pk]}
    )
    assert response.status_code == 400
    assert not CheckUp.objects.exists()


# --- Recording a check-up ---------------------------------------------------------------------------


def test_recording_marks_it_done_and_a_next_date_plans_the_next(world, client):
    checkup = planned(world)
    next_on = today() + datetime.timedelta(days=180)
    client.force_login(world.nurse)
    response = client.post(
        checkup_url(checkup),
        {
            "on": checkup.on.strftime("%d/%m/%Y"),
            "findings": "Răng sâu nhẹ",
            "advice": "Đánh răng hai lần một ngày",
            "next_on": next_on.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    checkup.refresh_from_db()
    assert (checkup.done, checkup.findings, checkup.advice, checkup.next_on, checkup.recorded_by) == (
        True,
        "Răng sâu nhẹ",
        "Đánh răng hai lần một ngày",
        next_on,
        world.nurse,
    )
    following = CheckUp.objects.get(child=world.child, on=next_on)
    assert (following.done, following.provider) == (False, PROVIDER)
    page = client.get(checkup_url(checkup)).content.decode()
    assert "Răng sâu nhẹ" in page and "The child's health record" in page


def test_viewing_a_check_up_logs_a_read(world, client):
    checkup = planned(world)
    client.force_login(world.principal)
    assert client.get(checkup_url(checkup)).status_code == 200
    read = HealthRead.objects.get(reader=world.principal)
    assert (read.child, read.page) == (world.child, HealthRead.Page.CHECKUP)


@pytest.mark.parametrize(
    ("on", "next_on", "message"),
    [
        ("BEFORE_BIRTH", "", "The date is before the child was born."),
        ("FUTURE", "", "The check-up has not happened yet"),
        ("TODAY", "BEFORE_BIRTH", "The date is before the child was born."),
        ("TODAY", "TODAY", "The next check-up comes after this one."),
        ("", "", "This field is required."),
    ],
)
def test_bad_dates_are_refused_with_a_message_and_nothing_saved(world, client, on, next_on, message):
    days = {
        "BEFORE_BIRTH": world.child.date_of_birth - datetime.timedelta(days=1),
        "FUTURE": today() + datetime.timedelta(days=2),
        "TODAY": today(),
    }
    checkup = planned(world)
    client.force_login(world.nurse)
    response = client.post(
        checkup_url(checkup),
        {
            "on": days[on].isoformat() if on else "",
            "findings": "Bình thường",
            "next_on": days[next_on].isoformat() if next_on else "",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    checkup.refresh_from_db()
    assert (checkup.done, checkup.findings) == (False, "")
    assert CheckUp.objects.count() == 1


def test_a_teacher_cannot_record_a_check_up(world, client):
    checkup = planned(world)
    client.force_login(world.teacher)
    response = client.post(checkup_url(checkup), {"on": checkup.on.isoformat(), "findings": "x"})
    assert response.status_code == 404
    checkup.refresh_from_db()
    assert not checkup.done


# --- Files ------------------------------------------------------------------------------------------------


def test_a_file_is_attached_and_only_those_who_see_the_childs_health_open_it(world, client):
    checkup = planned(world)
    media = photo(world, world.nurse)
    client.force_login(world.nurse)
    response = client.post(
        checkup_url(checkup),
        {"on": checkup.on.isoformat(), "findings": "Bình thường", "attachments": [str(media.pk)]},
    )
    assert response.status_code == 302
    attachment = CheckUpAttachment.objects.get(checkup=checkup)
    assert (attachment.media_id, attachment.school_id, attachment.title) == (
        media.pk,
        world.school.pk,
        "phieu-kham.jpg",
    )
    assert usage.in_use([media.pk]) == {media.pk}
    assert not [u for u in usage.unregistered_foreign_keys() if u.model is CheckUpAttachment]
    assert f'data-attachment="{attachment.pk}"' in client.get(checkup_url(checkup)).content.decode()

    allowed = {"parent", "teacher", "principal", "vice_principal", "nurse"}
    for persona in (
        "parent",
        "other_parent",
        "family_viewer",
        "teacher",
        "other_teacher",
        "principal",
        "vice_principal",
        "nurse",
        "accountant",
        "officer",
        "other_principal",
        "foreign_parent",
    ):
        person = getattr(world, persona)
        person.__dict__.pop("_portal_access", None)
        assert can_view_media(person, media) is (persona in allowed), persona

    client.force_login(world.parent)
    assert client.get(media.url("preview")).status_code == 200
    client.force_login(world.other_parent)
    assert client.get(media.url("preview")).status_code == 404


def test_a_file_is_removed_and_a_bad_file_refused(world, client):
    checkup = planned(world)
    kept = photo(world, world.nurse)
    theirs = photo(world, world.principal)
    client.force_login(world.nurse)
    client.post(checkup_url(checkup), {"on": checkup.on.isoformat(), "attachments": [str(kept.pk)]})
    attachment = CheckUpAttachment.objects.get()

    # Someone else's upload, and a made-up id: refused, nothing changes.
    response = client.post(
        checkup_url(checkup),
        {"on": checkup.on.isoformat(), "findings": "Khác", "attachments": [str(theirs.pk), "not-a-file"]},
    )
    assert response.status_code == 400
    assert "This file was not found. Please upload it again." in response.content.decode()
    checkup.refresh_from_db()
    assert checkup.findings == "" and CheckUpAttachment.objects.count() == 1

    client.post(checkup_url(checkup), {"on": checkup.on.isoformat(), "remove_attachment": [attachment.pk]})
    assert not CheckUpAttachment.objects.exists()


def test_a_check_up_of_another_school_is_not_found(world, client):
    theirs = CheckUp.objects.create(
        school=world.other_school, child=world.other_school_child, on=today(), provider=PROVIDER
    )
    client.force_login(world.nurse)
    assert client.get(checkup_url(theirs)).status_code == 404
    assert client.post(checkup_url(theirs), {"on": today().isoformat(), "findings": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.done
    assert client.get(f"/health/schools/{world.other_school.slug}/checkups/").status_code == 404
    assert not HealthRead.objects.exists()


def test_the_list_of_check_ups_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    planned(world, on=today() + datetime.timedelta(days=2))
    client.force_login(world.nurse)
    url = f"/health/schools/{world.school.slug}/checkups/"
    client.get(url)  # the person's cached values in place
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).content.decode().count("data-checkup=") == 1
    one_count = len(one.captured_queries)  # now: the next request empties the connection's log
    for n in range(10):
        child = f.ChildFactory(classroom=world.other_classroom, full_name=f"Bé Số {n}")
        planned(world, child=child, on=today() + datetime.timedelta(days=2))
        CheckUp.objects.create(school=world.school, child=child, on=today(), provider=PROVIDER, done=True)
    client.get(url)
    with django_assert_num_queries(one_count):
        assert client.get(url).content.decode().count("data-checkup=") == 21
