"""The library part of the demo: items on loan, one overdue, a costume with a waiting list; run twice, adds nothing."""

from __future__ import annotations

import random

import pytest

from community.models import LibraryCopy, LibraryItem, LibraryLoan, LibraryReservation
from coordination.lib import demo as demo_steps
from schools.models import school_today

pytestmark = pytest.mark.django_db


def run(*names):
    cache: dict = {}
    for step in demo_steps.steps_in_order():
        if step.name in names:
            step.run(demo_steps.DemoContext(rng=random.Random(f"demo:{step.name}"), log=lambda _m: None, cache=cache))


def counts():
    return tuple(m.objects.count() for m in (LibraryItem, LibraryCopy, LibraryLoan, LibraryReservation))


def test_the_library_demo(client):
    run("schools", "families", "community")
    first = counts()
    run("community")
    assert counts() == first

    today = school_today()
    open_loans = LibraryLoan.objects.filter(returned_at__isnull=True, school__slug="sao-mai")
    assert open_loans.count() >= 3
    assert open_loans.filter(due_on__lt=today).count() == 1
    waiting = LibraryReservation.objects.filter(status="waiting")
    assert {r.item.category for r in waiting} == {"costume"}
    assert waiting.values("item").distinct().count() == 1 and waiting.count() == 2
    assert LibraryItem.objects.exclude(donor_credit="").exists()

    # The demo people see it: the parent's shelf, the teacher's desk.
    from accounts.models import User

    client.force_login(User.objects.get(email="parent@saomai.test"))
    assert "Trang phục chú Cuội" in client.get("/library/").content.decode()
    client.force_login(User.objects.get(email="teacher@saomai.test"))
    page = client.get("/library/desk/").content.decode()
    assert "Bộ đồ chơi nấu ăn" in page and "Nguyễn Minh Khôi" in page
