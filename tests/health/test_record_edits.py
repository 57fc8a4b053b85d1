"""The nurse's and the leaders' changes on a child's record: a note to the family, allergies, dietary needs."""

from __future__ import annotations

import pytest

from health.models import Allergy, DietaryNeed, FamilyNote

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"


def record(child) -> str:
    return f"/health/children/{child.pk}/"


# --- A note to the family


@pytest.mark.parametrize("persona", ["nurse", "principal", "vice_principal"])
def test_the_nurse_and_the_leaders_write_a_note_that_the_family_sees_first(client, world, persona):
    login(client, getattr(world, persona))
    response = client.post(record(world.child) + "note/", {"text": "  Bé cần ăn thêm bữa phụ buổi chiều.  "})
    assert response.status_code == 302 and response["Location"] == record(world.child)
    note = FamilyNote.objects.get()
    assert (note.child, note.school, note.written_by, note.text) == (
        world.child,
        world.school,
        getattr(world, persona),
        "Bé cần ăn thêm bữa phụ buổi chiều.",
    )
    login(client, world.parent)
    page = client.get(record(world.child)).content.decode()
    assert page.index("Bé cần ăn thêm bữa phụ buổi chiều.") < page.index("Each dot is a day")


def test_an_empty_note_is_refused_with_a_message_and_nothing_saved(client, world):
    login(client, world.nurse)
    response = client.post(record(world.child) + "note/", {"text": "   "})
    assert response.status_code == 400
    assert "Write the note before saving it." in response.content.decode()
    assert not FamilyNote.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "parent", "family_viewer", "other_principal", "accountant"])
def test_teachers_parents_and_others_cannot_write_a_note(client, world, persona):
    login(client, getattr(world, persona))
    response = client.post(record(world.child) + "note/", {"text": "Không được"})
    assert response.status_code == 404
    assert not FamilyNote.objects.exists()


def test_the_note_form_is_for_the_nurse_only(client, world):
    login(client, world.nurse)
    assert "Write a new note to the family" in client.get(record(world.child)).content.decode()
    for user in (world.teacher, world.parent):
        login(client, user)
        assert "Write a new note to the family" not in client.get(record(world.child)).content.decode()


# --- Allergies


def test_the_nurse_records_an_allergy_with_its_group_severity_and_note(client, world):
    login(client, world.nurse)
    response = client.post(
        record(world.child) + "allergies/",
        {"allergy-allergen": "shellfish", "allergy-severity": "severe", "allergy-note": "Tôm, cua"},
    )
    assert response.status_code == 302
    allergy = Allergy.objects.get()
    assert (allergy.child, allergy.allergen, allergy.severity, allergy.note, allergy.recorded_by) == (
        world.child,
        "shellfish",
        "severe",
        "Tôm, cua",
        world.nurse,
    )
    page = client.get(record(world.child)).content.decode()
    assert "Allergy recorded: Shellfish (shrimp, crab, clams)." in page
    login(client, world.teacher)
    page = client.get(record(world.child)).content.decode()
    assert "Shellfish (shrimp, crab, clams)" in page and "Tôm, cua" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"allergy-allergen": "", "allergy-note": "Dị ứng tôm"}, "Choose the allergen group: a note alone is not"),
        ({"allergy-allergen": "shrimp"}, "Choose one of the allergen groups in the list."),
        ({"allergy-allergen": "milk", "allergy-severity": "deadly"}, "Choose one of the severities in the list."),
        ({"allergy-allergen": "milk", "allergy-severity": "mild", "allergy-note": "x" * 301}, "at most 300"),
    ],
)
def test_a_bad_allergy_gets_a_clear_message_and_nothing_is_saved(client, world, data, message):
    login(client, world.nurse)
    response = client.post(record(world.child) + "allergies/", {"allergy-severity": "mild", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<details open><summary>Record an allergy" in page
    assert not Allergy.objects.exists()


def test_the_same_allergy_twice_is_refused(client, world):
    Allergy.objects.create(school=world.school, child=world.child, allergen="milk")
    login(client, world.nurse)
    response = client.post(record(world.child) + "allergies/", {"allergy-allergen": "milk", "allergy-severity": "mild"})
    assert response.status_code == 400
    assert "This allergy is already recorded" in response.content.decode()
    assert Allergy.objects.count() == 1


def test_the_nurse_removes_an_allergy(client, world):
    allergy = Allergy.objects.create(school=world.school, child=world.child, allergen="egg")
    login(client, world.nurse)
    response = client.post(record(world.child) + f"allergies/{allergy.pk}/remove/")
    assert response.status_code == 302
    assert not Allergy.objects.exists()


def test_an_allergy_of_another_child_cannot_be_removed_through_this_record(client, world):
    other = Allergy.objects.create(school=world.school, child=world.other_class_child, allergen="egg")
    login(client, world.nurse)
    response = client.post(record(world.child) + f"allergies/{other.pk}/remove/")
    assert response.status_code == 404
    assert Allergy.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("persona", ["teacher", "parent", "other_principal"])
def test_teachers_and_parents_cannot_add_or_remove_allergies(client, world, persona):
    allergy = Allergy.objects.create(school=world.school, child=world.child, allergen="egg")
    login(client, getattr(world, persona))
    added = client.post(record(world.child) + "allergies/", {"allergy-allergen": "milk", "allergy-severity": "mild"})
    removed = client.post(record(world.child) + f"allergies/{allergy.pk}/remove/")
    assert (added.status_code, removed.status_code) == (404, 404)
    assert list(Allergy.objects.values_list("allergen", flat=True)) == ["egg"]


def test_a_get_on_a_change_address_is_refused(client, world):
    login(client, world.nurse)
    assert client.get(record(world.child) + "allergies/").status_code == 405


# --- Dietary needs


def test_the_nurse_records_and_removes_a_dietary_need(client, world):
    login(client, world.nurse)
    response = client.post(record(world.child) + "dietary-needs/", {"dietary-kind": "vegetarian", "dietary-note": ""})
    assert response.status_code == 302
    need = DietaryNeed.objects.get()
    assert (need.kind, need.child, need.recorded_by) == ("vegetarian", world.child, world.nurse)
    assert "Vegetarian" in client.get(record(world.child)).content.decode()
    response = client.post(record(world.child) + f"dietary-needs/{need.pk}/remove/")
    assert response.status_code == 302
    assert not DietaryNeed.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dietary-kind": ""}, "Choose the dietary need."),
        ({"dietary-kind": "keto"}, "Choose one of the needs in the list."),
        ({"dietary-kind": "other", "dietary-note": " "}, "Say what the need is in the note."),
    ],
)
def test_a_bad_dietary_need_gets_a_clear_message_and_nothing_is_saved(client, world, data, message):
    login(client, world.nurse)
    response = client.post(record(world.child) + "dietary-needs/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DietaryNeed.objects.exists()
