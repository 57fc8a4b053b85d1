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


# --- Who is told


def _family_notices(**filters):
    from notifications.models import Notice

    return Notice.objects.filter(category="family", **filters)


@pytest.fixture
def family(world):
    """Khôi's father (a second guardian) and a second, active teacher of Lá 1."""
    from tests import factories as f

    father = f.GuardianshipFactory(
        child=world.child, guardian=f.UserFactory(email="father@example.test"), relationship="father"
    ).guardian
    colleague = f.StaffFactory(
        school=world.school, classrooms=[world.classroom], user=f.UserFactory(email="coteacher@example.test")
    ).user
    return father, colleague


def test_a_pickup_person_added_and_removed_on_the_portal_is_told_at_once(
    world, client, family, clock, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.notifications.conftest import at, prefer

    father, colleague = family
    prefer(father, frequency="weekly")
    clock.to(at(2026, 11, 23, 23, 45))  # quiet hours
    client.force_login(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/children/{world.child.pk}/pickup/",
            {"full_name": "Trần Văn Bình", "relationship": "Ông ngoại", "phone": "0912345678", "can_pick_up": "on"},
        )
    person = PickupPerson.objects.get()
    told = {message.to[0] for message in mailoutbox}
    assert told == {father.email, colleague.email, world.teacher.email}  # not the parent who did it
    notice = _family_notices(recipient=father).get()
    assert "Trần Văn Bình" in notice.body and "Khôi" in notice.title
    assert "Nguyễn Minh Khôi" not in notice.title + notice.body and "0912345678" not in notice.body
    assert notice.url == f"/children/{world.child.pk}/pickup/"
    assert _family_notices(recipient=colleague).get().url == f"/children/{world.child.pk}/"

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/children/{world.child.pk}/pickup/{person.pk}/remove/")
    assert {message.to[0] for message in mailoutbox} == {father.email, colleague.email, world.teacher.email}
    assert _family_notices(recipient=father, body__contains="đã xóa").exists()


def test_a_leader_adds_changes_and_removes_a_pickup_person_in_the_admin_and_the_family_is_told(world, client, family):
    father, colleague = family
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/pickupperson/add/",
        {
            "child": world.child.pk,
            "full_name": "Lê Văn Chú",
            "relationship": "Chú",
            "phone": "0912345679",
            "can_pick_up": "on",
        },
    )
    assert response.status_code == 302
    person = PickupPerson.objects.get()
    assert person.added_by == world.principal and person.school == world.school
    for guardian in (world.parent, father, world.teacher, colleague):
        assert _family_notices(recipient=guardian, body__contains="đã thêm").count() == 1
    assert not _family_notices(recipient=world.principal).exists()

    client.post(
        f"/admin/schools/pickupperson/{person.pk}/change/",
        {"full_name": "Lê Văn Chú", "relationship": "Chú", "phone": "0987654321", "can_pick_up": "on"},
    )
    person.refresh_from_db()
    assert person.phone.endswith("987654321")
    assert _family_notices(recipient=world.parent, body__contains="đã sửa thông tin").count() == 1

    client.post(f"/admin/schools/pickupperson/{person.pk}/delete/", {"post": "yes"})
    assert not PickupPerson.objects.exists()
    assert _family_notices(recipient=father, body__contains="đã xóa").count() == 1


def test_a_pending_guardian_cannot_add_pickup_persons(world):
    from django.core.exceptions import PermissionDenied

    from schools.services import pickup_person_add
    from tests import factories as f

    f.GuardianshipFactory(child=world.child, guardian=world.teacher, status="pending", is_primary=False)
    with pytest.raises(PermissionDenied):
        pickup_person_add(
            child=world.child, by=world.teacher, full_name="Kẻ Lạ", relationship="Chú", phone="+84912345678"
        )
    assert not PickupPerson.objects.exists()


def test_a_former_family_sees_that_the_child_left_and_no_longer_manages_pick_up(world, client):
    client.force_login(world.former_parent)
    page = client.get("/family/").content.decode()
    assert "Vương Gia Huy" in page and "29/05/2026" in page
    assert f"/children/{world.left_child.pk}/pickup/" not in page
    assert f"/children/{world.left_child.pk}/consents/" in page  # consent can still be withdrawn
    assert client.get(f"/children/{world.left_child.pk}/pickup/").status_code == 404
    response = client.post(
        f"/children/{world.left_child.pk}/pickup/",
        {"full_name": "Người Lạ", "relationship": "Bác", "phone": "0912345678", "can_pick_up": "on"},
    )
    assert response.status_code == 404
    assert not world.left_child.pickup_persons.exists()
