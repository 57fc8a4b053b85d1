"""Two people copying last week into the same week at the same moment: one copy, never two (the
week's menu row is locked while it is filled). PostgreSQL only: SQLite serialises every write."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from community.models.menus import Dish
from community.services_menus import menu_week_copy
from tests.community.factories_menus import BALANCED_DAY, make_menu, this_monday

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write: nothing to race")
def test_two_copies_of_last_week_at_once_make_one(world):
    make_menu(
        world.school, week_start=this_monday() - datetime.timedelta(days=7), days={0: BALANCED_DAY, 1: BALANCED_DAY}
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def copy(person):
        try:
            barrier.wait()
            menu_week_copy(school_id=world.school.pk, band="mau_giao", week_start=this_monday(), by=person)
            outcomes.append("copied")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=copy, args=(p,)) for p in (world.kitchen, world.principal)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["copied", "refused"]
    assert Dish.objects.filter(menu__week_start=this_monday()).count() == 8
