"""Availability and the waiting list: a family reserves, a free copy is set aside, others wait; when a copy
comes back (or a hold is cancelled) the next family gets it and is told."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from community import services_library as services
from community.models import LibraryReservation, ReservationStatus
from notifications.models import Notice
from schools.models import school_today
from tests.community.factories_library import LibraryCopyFactory, LibraryItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages and messages in English (the catalogue translates them into Vietnamese)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def costume(world):
    item = LibraryItemFactory(school=world.school, name="Trang phục chú Cuội", category="costume")
    LibraryCopyFactory(item=item, code="TP-001")
    return item


def _reserve(client, user, item, child):
    client.force_login(user)
    return client.post(f"/library/items/{item.pk}/reserve/", {"child": child.pk}, follow=True)


def test_a_free_copy_is_set_aside_and_the_next_family_waits(client, world, costume):
    page = _reserve(client, world.parent, costume, world.child)
    assert "Trang phục chú Cuội is set aside for Khôi" in page.content.decode()
    first = LibraryReservation.objects.get(child=world.child)
    assert first.status == ReservationStatus.READY and first.held_copy.code == "TP-001"

    page = _reserve(client, world.other_parent, costume, world.other_class_child)
    assert "Linh is on the waiting list for Trang phục chú Cuội (number 1)" in page.content.decode()
    assert "all out" in client.get("/library/").content.decode()
    second = LibraryReservation.objects.get(child=world.other_class_child)
    assert second.status == ReservationStatus.WAITING and second.held_copy is None


def test_reserving_twice_is_refused_with_a_message(client, world, costume):
    _reserve(client, world.parent, costume, world.child)
    page = _reserve(client, world.parent, costume, world.child)
    assert "Trang phục chú Cuội is already reserved for Khôi." in page.content.decode()
    assert LibraryReservation.objects.count() == 1


def test_a_family_cannot_reserve_for_another_family_or_another_school(client, world, costume):
    client.force_login(world.parent)
    assert (
        client.post(f"/library/items/{costume.pk}/reserve/", {"child": world.other_class_child.pk}).status_code == 404
    )
    client.force_login(world.foreign_parent)
    assert (
        client.post(f"/library/items/{costume.pk}/reserve/", {"child": world.other_school_child.pk}).status_code == 404
    )
    assert not LibraryReservation.objects.exists()


def test_a_copy_coming_back_goes_to_the_first_family_waiting_who_is_told(world, costume):
    copy = costume.copies.get()
    today = school_today()
    services.loan_check_out(copy=copy, child=world.sibling, due_on=today + datetime.timedelta(days=7), by=world.teacher)
    first = services.reservation_create(item=costume, child=world.child, guardian=world.parent)
    second = services.reservation_create(item=costume, child=world.other_class_child, guardian=world.other_parent)
    assert first.status == second.status == ReservationStatus.WAITING

    loan, ready = services.loan_check_in(copy=copy, by=world.teacher, condition="worn")
    assert ready.pk == first.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ReservationStatus.READY and first.held_copy_id == copy.pk
    assert second.status == ReservationStatus.WAITING
    copy.refresh_from_db()
    assert copy.condition == "worn" and loan.condition_in == "worn" and loan.returned_by == world.teacher
    notice = Notice.objects.get(recipient=world.parent)
    assert notice.category == "loans" and "Trang phục chú Cuội" in notice.title
    assert "Khôi" in notice.body and "Nguyễn" not in notice.title
    assert not Notice.objects.filter(recipient=world.other_parent).exists()

    # The first family cancels: the copy passes to the second, who is told in turn.
    services.reservation_cancel(reservation=first, by=world.parent)
    second.refresh_from_db()
    assert second.status == ReservationStatus.READY and second.held_copy_id == copy.pk
    assert Notice.objects.filter(recipient=world.other_parent, category="loans").count() == 1


def test_a_held_copy_is_lent_only_to_the_family_it_is_held_for(world, costume):
    copy = costume.copies.get()
    services.reservation_create(item=costume, child=world.child, guardian=world.parent)
    due = school_today() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError) as refused:
        services.loan_check_out(copy=copy, child=world.other_class_child, due_on=due, by=world.teacher)
    assert "set aside for the family of Khôi" in refused.value.messages[0]
    loan = services.loan_check_out(copy=copy, child=world.child, due_on=due, by=world.teacher)
    assert loan.borrower == world.parent
    assert LibraryReservation.objects.get(child=world.child).status == ReservationStatus.COLLECTED


def test_the_family_sees_availability_and_cancels(client, world, costume):
    LibraryCopyFactory(item=costume, code="TP-002")
    client.force_login(world.parent)
    page = client.get("/library/").content.decode()
    assert "Trang phục chú Cuội" in page and "2 free" in page
    client.post(f"/library/items/{costume.pk}/reserve/", {"child": world.child.pk})
    assert "1 free" in client.get("/library/").content.decode()
    reservation = LibraryReservation.objects.get()
    page = client.post(f"/library/reservations/{reservation.pk}/cancel/", follow=True).content.decode()
    assert "The reservation of Trang phục chú Cuội is cancelled." in page
    assert "2 free" in page
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED


def test_the_shelf_shows_only_the_childs_school(client, world, costume):
    LibraryItemFactory(school=world.other_school, name="Đàn Hoa Sen")
    client.force_login(world.parent)
    page = client.get("/library/").content.decode()
    assert "Trang phục chú Cuội" in page and "Đàn Hoa Sen" not in page
