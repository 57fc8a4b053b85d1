"""The dietary flags a menu page finds (`coordination.lib.dietary`): only "child, allergen groups to avoid,
needs", only for the class's teachers, the nurse, the leaders and the kitchen staff, current children
only, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coordination.lib.dietary import DietaryFlag, dietary_flags_discover, dietary_flags_for
from health.models import Allergy, DietaryNeed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _discovered():
    dietary_flags_discover()


@pytest.fixture(autouse=True)
def _english():
    """The needs come as labels in the active language: these tests read them in English, whatever
    language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def allergies(world):
    """Khôi (Lá 1): milk and shellfish, and no pork; Linh (Chồi 1): egg; Ngọc (Hoa Sen): peanut;
    Huy (left): fish; An (Mầm 1): vegetarian only."""
    Allergy.objects.create(school=world.school, child=world.child, allergen="milk", note="nổi mẩn")
    Allergy.objects.create(school=world.school, child=world.child, allergen="shellfish", severity="severe")
    DietaryNeed.objects.create(school=world.school, child=world.child, kind="no_pork")
    Allergy.objects.create(school=world.school, child=world.other_class_child, allergen="egg")
    Allergy.objects.create(school=world.other_school, child=world.other_school_child, allergen="peanut")
    Allergy.objects.create(school=world.school, child=world.left_child, allergen="fish")
    DietaryNeed.objects.create(school=world.school, child=world.sibling, kind="vegetarian")
    return world


def flags(user, world, classroom_ids=None, school=None) -> dict[int, DietaryFlag]:
    found = dietary_flags_for(user, school_id=(school or world.school).pk, classroom_ids=classroom_ids)
    return {flag.child_id: flag for flag in found}


def test_the_class_teacher_gets_their_class_only_and_nothing_else_about_the_child(allergies):
    w = allergies
    got = flags(w.teacher, w, [w.classroom.pk])
    assert list(got) == [w.child.pk]
    khoi = got[w.child.pk]
    assert khoi == DietaryFlag(
        child_id=w.child.pk,
        given_name="Khôi",
        classroom_id=w.classroom.pk,
        avoid=frozenset({"milk", "shellfish"}),
        needs=("No pork",),
    )
    # Asked for the whole school or another class, a teacher still gets their own class only.
    assert list(flags(w.teacher, w)) == [w.child.pk]
    assert flags(w.teacher, w, [w.other_classroom.pk]) == {}


@pytest.mark.parametrize("persona", ["nurse", "principal", "vice_principal"])
def test_the_nurse_and_the_leaders_get_the_whole_school(allergies, persona):
    w = allergies
    got = flags(getattr(w, persona), w)
    # Current children only: Huy, who left, is not there; Hoa Sen's Ngọc neither.
    assert set(got) == {w.child.pk, w.other_class_child.pk, w.sibling.pk}
    assert got[w.sibling.pk].avoid == frozenset() and got[w.sibling.pk].needs == ("Vegetarian",)
    assert got[w.other_class_child.pk].avoid == frozenset({"egg"})
    assert set(flags(getattr(w, persona), w, [w.other_classroom.pk])) == {w.other_class_child.pk}


def test_the_kitchen_staff_get_the_whole_school(allergies):
    w = allergies
    cook = f.StaffFactory(school=w.school, role="kitchen", user=f.UserFactory(email="bep@example.test")).user
    assert set(flags(cook, w)) == {w.child.pk, w.other_class_child.pk, w.sibling.pk}
    assert set(flags(cook, w, [w.classroom.pk])) == {w.child.pk}
    # Another school's kitchen: nothing of Sao Mai.
    other_cook = f.StaffFactory(school=w.other_school, role="kitchen", user=f.UserFactory(email="bep@other.test")).user
    assert flags(other_cook, w) == {}


@pytest.mark.parametrize(
    "persona",
    [
        "parent",
        "other_parent",
        "former_parent",
        "foreign_parent",
        "family_viewer",
        "foreign_teacher",
        "other_principal",
        "accountant",
        "deactivated_staff",
        "officer",
        "province_officer",
        "foreign_officer",
        "superuser",
    ],
)
def test_everyone_else_gets_nothing(allergies, persona):
    w = allergies
    user = getattr(w, persona)
    assert dietary_flags_for(user, school_id=w.school.pk, classroom_ids=[w.classroom.pk]) == []
    assert dietary_flags_for(user, school_id=w.school.pk) == []


def test_the_other_teacher_gets_their_own_class(allergies):
    w = allergies
    assert set(flags(w.other_teacher, w)) == {w.other_class_child.pk}
    assert flags(w.other_teacher, w, [w.classroom.pk]) == {}


def test_anonymous_gets_nothing(allergies):
    from django.contrib.auth.models import AnonymousUser

    assert dietary_flags_for(AnonymousUser(), school_id=allergies.school.pk) == []


def test_a_class_of_another_school_asked_for_gives_nothing(allergies):
    w = allergies
    assert flags(w.principal, w, [w.foreign_classroom.pk]) == {}


def test_a_child_leaving_in_the_future_is_still_there(allergies):
    w = allergies
    w.child.left_on = datetime.date.today() + datetime.timedelta(days=30)
    w.child.save(update_fields=["left_on"])
    assert w.child.pk in flags(w.nurse, w)


def test_an_other_need_gives_its_note(allergies):
    w = allergies
    DietaryNeed.objects.create(school=w.school, child=w.child, kind="other", note="Không ăn đồ chiên")
    assert flags(w.nurse, w)[w.child.pk].needs == ("No pork", "Không ăn đồ chiên")


def test_a_fixed_number_of_queries_whatever_the_class_size(allergies):
    w = allergies

    def count() -> int:
        w.nurse.__dict__.pop("_portal_access", None)
        with CaptureQueriesContext(connection) as ctx:
            dietary_flags_for(w.nurse, school_id=w.school.pk, classroom_ids=[w.classroom.pk])
        return len(ctx.captured_queries)

    count()  # the nurse's roles in the cache, as after the first page
    few = count()
    for n in range(15):
        child = f.ChildFactory(classroom=w.classroom, full_name=f"Lê Bé {n}")
        Allergy.objects.create(school=w.school, child=child, allergen="soy")
        DietaryNeed.objects.create(school=w.school, child=child, kind="soft_food")
    assert count() == few <= 3
    assert len(dietary_flags_for(w.nurse, school_id=w.school.pk, classroom_ids=[w.classroom.pk])) == 16
