"""The admin is multi-tenant: a principal sees and edits only their own school."""

import pytest

from schools.models import Child
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_principal_lists_only_their_schools_children(world, client):
    client.force_login(world.principal)
    page = client.get("/admin/schools/child/").content.decode()
    assert "Nguyễn Minh Khôi" in page and "Phạm Khánh Linh" in page
    assert "Ngô Bảo Ngọc" not in page


def test_other_schools_objects_cannot_be_opened_or_changed(world, client):
    client.force_login(world.principal)
    url = f"/admin/schools/child/{world.other_school_child.pk}/change/"
    response = client.get(url)
    assert response.status_code == 302  # the admin answers "does not exist" and returns to the index
    response = client.post(url, {"full_name": "Hacked"})
    world.other_school_child.refresh_from_db()
    assert world.other_school_child.full_name == "Ngô Bảo Ngọc"


def test_foreign_key_choices_are_scoped(world, client):
    client.force_login(world.principal)
    page = client.get("/admin/schools/child/add/").content.decode()
    assert "Sao Mai" in page
    assert "Hoa Sen" not in page
    page = client.get("/admin/schools/classroom/add/").content.decode()
    assert "Hoa Sen" not in page


def test_principal_cannot_add_a_child_to_another_school(world, client):
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/child/add/",
        {
            "school": world.other_school.pk,
            "full_name": "Lạc Trường",
            "date_of_birth": "04/05/2021",
            "sex": "m",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not Child.objects.filter(full_name="Lạc Trường").exists()


def test_principal_adds_a_child_to_their_school(world, client):
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/child/add/",
        {
            "school": world.school.pk,
            "full_name": "Bé Mới",
            "date_of_birth": "04/05/2021",
            "sex": "m",
            "enrolments-TOTAL_FORMS": "0",
            "enrolments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Child.objects.get(full_name="Bé Mới").school == world.school


def test_schools_list_shows_only_my_school(world, client):
    client.force_login(world.other_principal)
    page = client.get("/admin/schools/school/").content.decode()
    assert "Hoa Sen" in page and "Sao Mai" not in page


def test_accounts_and_authorities_are_for_superusers_only(world, client):
    client.force_login(world.principal)
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/schools/authority/").status_code == 403
    superuser = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/accounts/user/").status_code == 200
    page = client.get("/admin/schools/child/").content.decode()
    assert "Ngô Bảo Ngọc" in page and "Nguyễn Minh Khôi" in page


def test_consent_records_are_read_only(world, client):
    record = f.ConsentFactory(child=world.child, guardian=world.parent)
    client.force_login(world.principal)
    assert client.get(f"/admin/parents/consentrecord/{record.pk}/change/").status_code == 200
    client.post(f"/admin/parents/consentrecord/{record.pk}/change/", {"granted": ""})
    record.refresh_from_db()
    assert record.granted is True
    assert client.get(f"/admin/parents/consentrecord/{record.pk}/delete/").status_code == 403


def test_people_without_a_leading_role_are_kept_out(world, client):
    for person in (world.parent, world.teacher, world.nurse, world.accountant, world.officer):
        client.force_login(person)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 403


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_principal_moves_a_child_to_another_class(world, client):
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/enrolment/add/",
        {"child": world.child.pk, "classroom": world.other_classroom.pk, "starts_on": "05/01/2027"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    world.child.refresh_from_db()
    assert world.child.classroom == world.other_classroom
    history = list(world.child.enrolments.order_by("starts_on").values_list("classroom__name", "ends_on"))
    assert history[0][0] == "Lá 1" and str(history[0][1]) == "2027-01-05"
    assert history[1] == ("Chồi 1", None)
    # The class teachers follow the move.
    client.force_login(world.other_teacher)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    client.force_login(world.teacher)
    assert client.get(f"/children/{world.child.pk}/").status_code == 404


def test_a_child_cannot_be_moved_into_another_schools_class(world, client):
    foreign_class = world.other_school_child.classroom
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/enrolment/add/",
        {"child": world.child.pk, "classroom": foreign_class.pk, "starts_on": "05/01/2027"},
    )
    assert response.status_code == 200
    world.child.refresh_from_db()
    assert world.child.classroom == world.classroom
