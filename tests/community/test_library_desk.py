"""The lending desk: scan a copy's label, lend it to a family with a due date, take it back with its condition.
Bad input gets a clear message and changes nothing. The desk and the families' shelf read a fixed number of
queries whatever the number of items and loans."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import LibraryCopy, LibraryLoan, LibraryReservation
from schools.models import school_today
from tests.community.factories_library import LibraryCopyFactory, LibraryItemFactory, LibraryLoanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English (the catalogue translates them into Vietnamese)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def drum(world):
    item = LibraryItemFactory(school=world.school, name="Trống lắc tay", loan_days=10)
    LibraryCopyFactory(item=item, code="TR-01")
    return item


def _due(days=7) -> str:
    return (school_today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _state():
    return (
        sorted(LibraryLoan.objects.values_list("copy_id", "child_id", "due_on", "returned_at", "condition_in")),
        sorted(LibraryCopy.objects.values_list("code", "condition", "is_active")),
        sorted(LibraryReservation.objects.values_list("child_id", "status", "held_copy_id")),
    )


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_scan_lend_and_take_back(client, world, drum):
    client.force_login(world.teacher)
    page = client.get("/library/desk/", {"code": "tr-01"}).content.decode()
    assert "Lend to the family of" in page and "Nguyễn Minh Khôi" in page
    default_due = (school_today() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    assert f'value="{default_due}"' in page  # the item's usual loan
    response = client.post(
        "/library/desk/check-out/",
        {"code": "TR-01", "child": world.child.pk, "due_on": _due(), "condition": "good"},
        follow=True,
    )
    assert "TR-01 lent to the family of Nguyễn Minh Khôi until" in _messages(response)
    loan = LibraryLoan.objects.get()
    assert loan.out_by == world.teacher and loan.borrower == world.parent and loan.condition_out == "good"
    assert "Trống lắc tay" in response.content.decode()  # listed among the loans out

    page = client.get("/library/desk/", {"code": "TR-01"}).content.decode()
    assert "Take back" in page
    response = client.post("/library/desk/check-in/", {"code": "TR-01", "condition": "damaged"}, follow=True)
    assert "TR-01 is back." in _messages(response)
    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.condition_in == "damaged" and loan.returned_by == world.teacher
    assert LibraryCopy.objects.get().condition == "damaged"


def test_lending_a_copy_that_is_out_is_refused_and_changes_nothing(client, world, drum):
    LibraryLoanFactory(copy=drum.copies.get(), child=world.other_class_child, borrower=world.other_parent)
    before = _state()
    client.force_login(world.principal)
    response = client.post(
        "/library/desk/check-out/", {"code": "TR-01", "child": world.child.pk, "due_on": _due()}, follow=True
    )
    assert "Copy TR-01 is already out, lent to the family of Linh until" in _messages(response)
    assert _state() == before


def test_lending_an_item_with_no_copy_free_is_refused(client, world, drum):
    LibraryLoanFactory(copy=drum.copies.get(), child=world.other_class_child, borrower=world.other_parent)
    before = _state()
    client.force_login(world.teacher)
    response = client.post(
        "/library/desk/check-out/", {"item": drum.pk, "child": world.child.pk, "due_on": _due()}, follow=True
    )
    assert "No copy of Trống lắc tay is free: every copy is out or set aside for a family." in _messages(response)
    assert _state() == before


def test_returning_a_copy_that_is_not_out_is_refused(client, world, drum):
    before = _state()
    client.force_login(world.teacher)
    response = client.post("/library/desk/check-in/", {"code": "TR-01", "condition": "good"}, follow=True)
    assert "Copy TR-01 is not out: there is nothing to return." in _messages(response)
    assert _state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "TR-01", "due_on": "x"}, "Type the due date as dd/mm/yyyy."),
        ({"code": "TR-01", "due_on": "01/01/2020"}, "The due date is in the past."),
        ({"code": "TR-01", "due_on": "__far__"}, "A loan lasts at most 90 days."),
        ({"code": "NOPE-9", "due_on": "__ok__"}, "No copy has the label NOPE-9 at this school."),
        ({"code": "", "due_on": "__ok__"}, "Scan or type the copy's label."),
    ],
)
def test_bad_check_outs_are_refused_with_a_message(client, world, drum, data, message):
    data = {**data, "child": world.child.pk}
    data["due_on"] = {"__far__": _due(200), "__ok__": _due()}.get(data["due_on"], data["due_on"])
    before = _state()
    client.force_login(world.teacher)
    response = client.post("/library/desk/check-out/", data, follow=True)
    assert message in _messages(response)
    assert _state() == before


def test_a_child_of_another_school_cannot_borrow(client, world, drum):
    before = _state()
    client.force_login(world.teacher)
    response = client.post(
        "/library/desk/check-out/",
        {"code": "TR-01", "child": world.other_school_child.pk, "due_on": _due()},
        follow=True,
    )
    assert "Choose a child of this school." in _messages(response)
    assert _state() == before


def test_another_schools_copy_is_not_found_at_this_desk(client, world):
    LibraryCopyFactory(item=LibraryItemFactory(school=world.other_school, name="Đàn Hoa Sen"), code="HS-1")
    client.force_login(world.teacher)
    page = client.get("/library/desk/", {"code": "HS-1"}).content.decode()
    assert "No copy has the label HS-1 at this school." in page and "Đàn Hoa Sen" not in page


def test_the_desk_searches_by_name_and_code(client, world, drum):
    client.force_login(world.teacher)
    assert "Trống lắc tay" in client.get("/library/desk/", {"q": "trống"}).content.decode()
    assert "Trống lắc tay" in client.get("/library/desk/", {"q": "tr-01"}).content.decode()


def _many(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        item = LibraryItemFactory(school=world.school, name=f"Đồ chơi {i}")
        copy = LibraryCopyFactory(item=item, code=f"DC-{i}")
        LibraryCopyFactory(item=item, code=f"DC-{i}-B")
        LibraryLoanFactory(copy=copy, child=world.other_class_child, borrower=world.other_parent)
        LibraryReservation.objects.create(
            school=world.school, item=item, child=world.child, guardian=world.parent, created_at=copy.created_at
        )


def _count(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path", "params"),
    [
        ("parent", "/library/", {}),
        ("teacher", "/library/desk/", {"q": "Đồ chơi", "code": "DC-0"}),
        ("teacher", "/library/families/{child}/", {}),
        ("teacher", "/library/items/{item}/", {}),
    ],
)
def test_pages_read_a_fixed_number_of_queries(client, world, persona, path, params, django_assert_num_queries):
    _many(world, 1)
    client.force_login(world.persona(persona))
    item = LibraryLoan.objects.first().copy.item_id
    url = path.format(child=world.other_class_child.pk, item=item)
    one = _count(client, url, params)
    _many(world, 15, start=1)
    with django_assert_num_queries(one):
        assert client.get(url, params).status_code == 200


def test_the_desk_puts_a_family_on_the_waiting_list(client, world, drum):
    LibraryLoanFactory(copy=drum.copies.get(), child=world.other_class_child, borrower=world.other_parent)
    client.force_login(world.teacher)
    page = client.get("/library/desk/", {"code": "TR-01"}).content.decode()
    assert "Add to the waiting list" in page
    response = client.post(
        "/library/desk/waiting-list/", {"item": drum.pk, "child": world.child.pk, "code": "TR-01"}, follow=True
    )
    assert "The family of Nguyễn Minh Khôi is number 1 on the waiting list for Trống lắc tay." in _messages(response)
    reservation = LibraryReservation.objects.get()
    assert reservation.status == "waiting" and reservation.guardian == world.parent
    before = _state()
    response = client.post(
        "/library/desk/waiting-list/", {"item": drum.pk, "child": world.child.pk, "code": "TR-01"}, follow=True
    )
    assert "Trống lắc tay is already reserved for Khôi." in _messages(response)
    assert _state() == before


def test_a_hold_not_collected_for_days_is_flagged_at_the_desk(client, world, drum):
    from django.utils import timezone

    LibraryReservation.objects.create(
        school=world.school,
        item=drum,
        child=world.child,
        guardian=world.parent,
        status="ready",
        held_copy=drum.copies.get(),
        created_at=timezone.now() - datetime.timedelta(days=6),
        ready_at=timezone.now() - datetime.timedelta(days=5),
    )
    client.force_login(world.teacher)
    page = client.get("/library/desk/").content.decode()
    assert "not collected: cancel it to pass it on" in page
