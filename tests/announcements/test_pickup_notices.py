"""Pick-up notices: a guardian tells the class teachers; the teachers see the day's notices on one screen."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from announcements import services
from announcements.models import PickupNotice
from notifications.models import Notice
from schools.models import school_today
from tests import factories as f
from tests.announcements.makers import pickup_notice_make

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def vi(text: str, plural: str = "", number: int = 0) -> str:
    with translation.override("vi"):
        return translation.ngettext(text, plural, number) if plural else translation.gettext(text)


def on_page(text: str) -> str:
    return escape(vi(text))


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def send(client, child, on_commit, **fields):
    data = {"date": school_today().isoformat(), **fields}
    with on_commit(execute=True):
        return client.post(f"/children/{child.pk}/pickup-notices/", data)


@pytest.fixture
def grandfather(world):
    return f.PickupPersonFactory(
        child=world.child, full_name="Trần Văn Bình", relationship="Ông ngoại", phone="+84912345678", id_number="0311"
    )


def teacher_notices() -> list[Notice]:
    return list(Notice.objects.filter(category="pickup").order_by("recipient_id"))


# --- each kind --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        ({"kind": "late", "time": "17:30"}, {"time": datetime.time(17, 30)}),
        ({"kind": "early", "time": "10:15", "reason": "Đi khám răng"}, {"time": datetime.time(10, 15)}),
        ({"kind": "absent", "reason": "Cháu bị sốt", "time": "09:00"}, {"time": None, "reason": "Cháu bị sốt"}),
    ],
)
def test_a_guardian_tells_the_class_teachers(world, client, django_capture_on_commit_callbacks, fields, stored):
    co_teacher = f.StaffFactory(school=world.school, classrooms=[world.classroom]).user
    client.force_login(world.parent)
    response = send(client, world.child, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 302 and response["Location"] == f"/children/{world.child.pk}/pickup-notices/"

    notice = PickupNotice.objects.get()
    assert (notice.child, notice.classroom, notice.school, notice.sent_by) == (
        world.child,
        world.classroom,
        world.school,
        world.parent,
    )
    assert notice.kind == fields["kind"] and notice.date == school_today()
    for name, value in stored.items():
        assert getattr(notice, name) == value
    # Each teacher of the class, urgent so that it is not held for a digest; nobody else.
    told = teacher_notices()
    assert sorted(n.recipient_id for n in told) == sorted([world.teacher.pk, co_teacher.pk])
    for item in told:
        assert item.urgent and item.school_id == world.school.pk
        assert item.dedupe_key == f"pickup:{notice.pk}:teacher:{item.recipient_id}"
        assert item.url == f"/classes/{world.classroom.pk}/pickup-notices/?date={notice.date.isoformat()}"
        # The child's given name only: the message leaves the portal (tests/notifications/test_child_details.py).
        assert "Khôi" in item.title and "Nguyễn Minh Khôi" not in item.title


def test_someone_else_picks_up_names_an_approved_person(world, client, django_capture_on_commit_callbacks, grandfather):
    client.force_login(world.parent)
    response = send(
        client, world.child, django_capture_on_commit_callbacks, kind="other_person", pickup_person=grandfather.pk
    )
    assert response.status_code == 302
    notice = PickupNotice.objects.get()
    assert notice.pickup_person == grandfather and notice.time is None
    (told,) = teacher_notices()
    assert told.recipient == world.teacher
    # Who picks up is on the teacher's page, not in the message.
    assert "Trần Văn Bình" not in told.body and "+84912345678" not in told.body
    client.force_login(world.teacher)
    page = client.get(told.url).content.decode()
    assert "Trần Văn Bình" in page and "Ông ngoại" in page


def test_only_approved_people_of_this_child_can_be_named(world, client, django_capture_on_commit_callbacks):
    other_childs_person = f.PickupPersonFactory(child=world.other_class_child, full_name="Người Lạ")
    emergency_only = f.PickupPersonFactory(child=world.child, full_name="Chỉ Liên Lạc", can_pick_up=False)
    client.force_login(world.parent)
    form_html = page(client.get(f"/children/{world.child.pk}/pickup-notices/"))
    assert "Người Lạ" not in form_html and "Chỉ Liên Lạc" not in form_html
    refused = "This person is not approved to pick up this child. Add them to the child's pick-up persons first."
    for person in (other_childs_person, emergency_only):
        response = send(
            client, world.child, django_capture_on_commit_callbacks, kind="other_person", pickup_person=person.pk
        )
        assert on_page(refused) in page(response)
        with pytest.raises(ValidationError) as error:
            services.pickup_notice_send(child=world.child, by=world.parent, kind="other_person", pickup_person=person)
        assert error.value.message_dict["pickup_person"] == [vi(refused)]
    response = send(client, world.child, django_capture_on_commit_callbacks, kind="other_person")
    assert on_page("Choose who will pick the child up.") in page(response)
    assert not PickupNotice.objects.exists() and not Notice.objects.exists()


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "late", "time": "05:00"}, "Choose a time between %(start)s and %(end)s."),
        ({"kind": "early", "time": "22:30"}, "Choose a time between %(start)s and %(end)s."),
        ({"kind": "late", "time": "25:00"}, "Enter a time such as 17:30."),
        ({"kind": "late"}, "Enter the time you will come."),
        ({"kind": "absent"}, "Say why the child will be absent (for example: a fever)."),
        (
            {"kind": "late", "time": "17:00", "date": "yesterday"},
            "This day is in the past. Choose today or a later day.",
        ),
        (
            {"kind": "late", "time": "17:00", "date": "next year"},
            ("Choose a day within the next %(days)d day.", "Choose a day within the next %(days)d days.", 30),
        ),
        ({"kind": "late", "time": "17:00", "date": "32/13/2026"}, "Enter a date such as 25/12/2026."),
        ({"time": "17:00"}, "Choose what the notice is about."),
    ],
)
def test_bad_input_gets_a_clear_message_and_sends_nothing(
    world, client, django_capture_on_commit_callbacks, fields, message
):
    days = {"yesterday": -1, "next year": 365}
    if fields.get("date") in days:
        fields["date"] = (school_today() + datetime.timedelta(days=days[fields["date"]])).isoformat()
    client.force_login(world.parent)
    html = page(send(client, world.child, django_capture_on_commit_callbacks, **fields))
    text = vi(*message) if isinstance(message, tuple) else vi(message)
    expected = text % {"start": "06:00", "end": "19:00", "days": 30} if "%" in text else text
    assert escape(expected) in html
    assert on_page("Nothing was sent: correct what is marked below.") in html
    assert not PickupNotice.objects.exists() and not Notice.objects.exists()


def test_today_is_the_schools_day_not_the_servers(world):
    # 18:30 UTC on 2 March is already 01:30 on 3 March in Hà Nội.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 18, 30, tzinfo=datetime.UTC), tick=False):
        assert school_today() == datetime.date(2026, 3, 3)
        with pytest.raises(ValidationError) as error:
            services.pickup_notice_send(
                child=world.child, by=world.parent, kind="late", date=datetime.date(2026, 3, 2), time=datetime.time(17)
            )
        assert "date" in error.value.message_dict
        notice = services.pickup_notice_send(child=world.child, by=world.parent, kind="late", time=datetime.time(17))
    assert notice.date == datetime.date(2026, 3, 3)


def test_the_form_starts_on_today(world, client):
    client.force_login(world.parent)
    html = page(client.get(f"/children/{world.child.pk}/pickup-notices/"))
    assert f'value="{school_today().isoformat()}"' in html


def test_the_same_notice_twice_is_refused(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.parent)
    send(client, world.child, django_capture_on_commit_callbacks, kind="late", time="17:30")
    html = page(send(client, world.child, django_capture_on_commit_callbacks, kind="late", time="17:45"))
    assert on_page("You already sent this notice for that day. Cancel it first to send another.") in html
    assert PickupNotice.objects.count() == 1 and len(teacher_notices()) == 1


def test_a_guardian_sends_notices_for_their_own_children_only(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.parent)
    response = send(client, world.other_class_child, django_capture_on_commit_callbacks, kind="late", time="17:30")
    assert response.status_code == 404
    for person in (world.teacher, world.principal):
        client.force_login(person)
        assert client.get(f"/children/{world.child.pk}/pickup-notices/").status_code == 404
        with pytest.raises(PermissionDenied):
            services.pickup_notice_send(child=world.child, by=person, kind="absent", reason="…")
    assert not PickupNotice.objects.exists()


# --- cancelling -------------------------------------------------------------------------------


def test_a_guardian_cancels_their_notice_and_the_teachers_are_told(world, client, django_capture_on_commit_callbacks):
    notice = pickup_notice_make(child=world.child, by=world.parent)
    client.force_login(world.parent)
    assert on_page("Cancel") in page(client.get(f"/children/{world.child.pk}/pickup-notices/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/pickup-notices/{notice.pk}/cancel/")
    assert response["Location"] == f"/children/{world.child.pk}/pickup-notices/"
    notice.refresh_from_db()
    assert notice.cancelled_at is not None
    (told,) = teacher_notices()
    assert (
        told.recipient == world.teacher
        and told.dedupe_key == f"pickup:{notice.pk}:cancelled:teacher:{world.teacher.pk}"
    )
    # Again: nothing more happens.
    client.post(f"/pickup-notices/{notice.pk}/cancel/")
    assert len(teacher_notices()) == 1


def test_only_the_sender_cancels_and_not_after_the_day(world, client):
    second_guardian = f.GuardianshipFactory(child=world.child).guardian
    notice = pickup_notice_make(child=world.child, by=world.parent)
    past = pickup_notice_make(child=world.child, by=world.parent, date=school_today() - datetime.timedelta(days=1))
    for person in (second_guardian, world.other_parent, world.teacher):
        client.force_login(person)
        assert client.post(f"/pickup-notices/{notice.pk}/cancel/").status_code == 404
    client.force_login(world.parent)
    assert client.post(f"/pickup-notices/{past.pk}/cancel/").status_code == 404
    assert not PickupNotice.objects.filter(cancelled_at__isnull=False).exists()


# --- the teachers' screen ---------------------------------------------------------------------


def test_the_teacher_sees_todays_notices_of_their_class(world, client, grandfather):
    grandfather_notice = pickup_notice_make(
        child=world.child, by=world.parent, kind="other_person", time=None, pickup_person=grandfather
    )
    classmate = f.ChildFactory(classroom=world.classroom, full_name="Lê Gia Huy")
    classmates_parent = f.GuardianshipFactory(child=classmate, guardian=f.UserFactory(full_name="Lê Thị Mận")).guardian
    pickup_notice_make(child=classmate, by=classmates_parent, kind="absent", time=None, reason="Cháu bị ho")
    pickup_notice_make(
        child=world.child, by=world.parent, kind="late", date=school_today() + datetime.timedelta(days=1)
    )
    pickup_notice_make(child=world.other_class_child, by=world.other_parent, kind="early", reason="Đi tiêm")

    client.force_login(world.teacher)
    for url in ("/pickup-notices/today/", f"/classes/{world.classroom.pk}/pickup-notices/"):
        response = client.get(url)
        html = page(response)
        (classroom,) = response.context["classrooms"]
        assert classroom == world.classroom
        assert [n.kind for n in classroom.day_notices] == ["absent", "other_person"]
        assert classroom.absent_count == 1
        assert "Lê Gia Huy" in html and "Cháu bị ho" in html
        assert "Trần Văn Bình" in html and "Ông ngoại" in html and "+84912345678" in html
        assert "Đi tiêm" not in html and "Phạm Khánh Linh" not in html  # another class
    assert grandfather_notice in response.context["classrooms"][0].day_notices

    # Tomorrow's notice is on tomorrow's page.
    tomorrow = school_today() + datetime.timedelta(days=1)
    response = client.get(f"/classes/{world.classroom.pk}/pickup-notices/?date={tomorrow.isoformat()}")
    assert [n.kind for n in response.context["classrooms"][0].day_notices] == ["late"]


def test_a_withdrawn_pickup_person_is_flagged_to_the_teacher(world, client, grandfather):
    pickup_notice_make(child=world.child, by=world.parent, kind="other_person", time=None, pickup_person=grandfather)
    grandfather.delete()  # the family withdrew the permission after sending the notice
    client.force_login(world.teacher)
    html = page(client.get("/pickup-notices/today/"))
    warning = "This person is no longer approved by the family: call them before handing the child over."
    assert on_page(warning) in html


def test_the_principal_sees_every_class_and_other_staff_none(world, client):
    pickup_notice_make(child=world.child, by=world.parent)
    pickup_notice_make(child=world.other_class_child, by=world.other_parent, kind="absent", time=None, reason="Ốm")
    client.force_login(world.principal)
    response = client.get("/pickup-notices/today/")
    by_class = {c.name: len(c.day_notices) for c in response.context["classrooms"]}
    assert by_class == {"Chồi 1": 1, "Lá 1": 1, "Mầm 1": 0}
    client.force_login(world.other_teacher)
    assert client.get(f"/classes/{world.classroom.pk}/pickup-notices/").status_code == 404
    for person in (world.parent, world.nurse, world.officer):
        client.force_login(person)
        assert client.get("/pickup-notices/today/").status_code == 403


def queries(client, url) -> int:
    client.get(url)  # the person's cached values in place
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_screens_run_a_fixed_number_of_queries(world, client, grandfather):
    pickup_notice_make(child=world.child, by=world.parent, kind="other_person", time=None, pickup_person=grandfather)
    client.force_login(world.principal)
    one_all = queries(client, "/pickup-notices/today/")
    one_class = queries(client, f"/classes/{world.classroom.pk}/pickup-notices/")
    client.force_login(world.parent)
    one_family = queries(client, f"/children/{world.child.pk}/pickup-notices/")
    for n in range(6):
        classroom = f.ClassroomFactory(school=world.school, name=f"Lớp {n}")
        for kind in ("late", "absent", "other_person"):
            child = f.ChildFactory(classroom=classroom)
            guardian = f.GuardianshipFactory(child=child).guardian
            person = f.PickupPersonFactory(child=child)
            pickup_notice_make(child=child, by=guardian, kind=kind, reason="…", pickup_person=person)
        pickup_notice_make(child=world.child, by=world.parent, kind="early", date=school_today(), reason=f"{n}")
        f.PickupPersonFactory(child=world.child)
    client.force_login(world.principal)
    assert queries(client, "/pickup-notices/today/") == one_all
    assert queries(client, f"/classes/{world.classroom.pk}/pickup-notices/") == one_class
    client.force_login(world.parent)
    assert queries(client, f"/children/{world.child.pk}/pickup-notices/") == one_family
