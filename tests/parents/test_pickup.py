import pytest

from schools.models import PickupPerson

pytestmark = pytest.mark.django_db


def test_guardian_adds_and_removes_a_pickup_person(world, client):
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/pickup/"
    response = client.post(
        url, {"full_name": "Trần Văn Bình", "relationship": "Ông ngoại", "phone": "0912 345 678", "can_pick_up": "on"}
    )
    assert response.status_code == 302
    person = PickupPerson.objects.get()
    assert person.phone == "+84912345678" and person.school == world.school
    client.force_login(world.teacher)
    assert "Trần Văn Bình" in client.get(f"/classes/{world.classroom.pk}/").content.decode()
    client.force_login(world.parent)
    client.post(f"/children/{world.child.pk}/pickup/{person.pk}/remove/")
    assert not PickupPerson.objects.exists()


def test_malformed_phone_is_refused_with_a_clear_message(world, client):
    client.force_login(world.parent)
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/children/{world.child.pk}/pickup/",
        {"full_name": "Ai Đó", "relationship": "Cô", "phone": "123", "can_pick_up": "on"},
    )
    assert "Enter a valid phone number" in response.content.decode()
    assert not PickupPerson.objects.exists()


def test_other_parent_cannot_touch_my_childs_pickup_list(world, client):
    client.force_login(world.other_parent)
    response = client.post(
        f"/children/{world.child.pk}/pickup/",
        {"full_name": "Kẻ Lạ", "relationship": "?", "phone": "0912345678", "can_pick_up": "on"},
    )
    assert response.status_code == 404
    assert not PickupPerson.objects.exists()
