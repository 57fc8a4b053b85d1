"""The admin is multi-tenant: a principal sees and edits only their own school."""

import pytest

from schools.models import Child, PickupPerson, StaffMembership
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
    # (The accountant is let in for the donations' pages only: tests/donations/test_admin_access.py.)
    for person in (world.parent, world.teacher, world.nurse, world.officer):
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


# --- Choices: another school's objects are neither offered, nor accepted, nor named


def _english(client):
    client.cookies["django_language"] = "en"


def test_another_schools_child_posted_by_id_is_neither_named_nor_saved(world, client):
    """The raw-id attack: a child's id typed into the form used to come back with the child's name."""
    _english(client)
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/pickupperson/add/",
        {
            "school": world.school.pk,
            "child": world.other_school_child.pk,
            "full_name": "Trần Văn Lạ",
            "relationship": "Chú",
            "phone": "+84912345678",
            "can_pick_up": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. That choice is not one of the available choices." in page
    assert "Ngô Bảo Ngọc" not in page
    assert not PickupPerson.objects.filter(full_name="Trần Văn Lạ").exists()


def test_children_are_chosen_by_a_scoped_search_not_a_raw_id(world, client):
    person = f.PickupPersonFactory(child=world.child)
    client.force_login(world.principal)
    page = client.get("/admin/schools/pickupperson/add/").content.decode()
    assert "vForeignKeyRawIdAdminField" not in page
    assert 'data-field-name="child"' in page and "admin-autocomplete" in page
    # Once added, the person stays the child's (moving them would add them to another child unannounced).
    page = client.get(f"/admin/schools/pickupperson/{person.pk}/change/").content.decode()
    assert "vForeignKeyRawIdAdminField" not in page and 'name="child"' not in page
    assert "Nguyễn Minh Khôi" in page  # the child, of the school


def test_a_pickup_person_added_in_the_admin_records_who_added_them(world, client):
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/pickupperson/add/",
        {
            "school": world.school.pk,
            "child": world.child.pk,
            "full_name": "Trần Văn Ông",
            "relationship": "Ông nội",
            "phone": "+84912345678",
            "can_pick_up": "on",
            "added_by": world.foreign_parent.pk,  # read-only: ignored
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PickupPerson.objects.get(full_name="Trần Văn Ông").added_by == world.principal


def _staff_post(client, world, user) -> object:
    return client.post(
        "/admin/schools/staffmembership/add/",
        {"school": world.school.pk, "user": user.pk, "role": "teacher", "is_active": "on"},
    )


@pytest.mark.parametrize("outsider", ["foreign_parent", "foreign_teacher", "former_parent", "stranger", "officer"])
def test_a_user_field_refuses_an_account_not_linked_to_the_school(outsider, world, client):
    person = f.UserFactory(full_name="Người Lạ Không Quen") if outsider == "stranger" else getattr(world, outsider)
    _english(client)
    client.force_login(world.vice_principal)
    response = _staff_post(client, world, person)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.as_data()["user"][0].code == "invalid_choice"
    assert "Select a valid choice." in page
    assert str(person) not in page
    assert not StaffMembership.objects.filter(user=person, school=world.school).exists()


def test_a_user_field_accepts_an_account_linked_to_the_school(world, client):
    """A guardian of the school may be made a member of its staff."""
    client.force_login(world.vice_principal)
    response = _staff_post(client, world, world.other_parent)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert StaffMembership.objects.get(user=world.other_parent).school == world.school


def test_a_staff_members_account_is_not_changed_in_the_admin(world, client):
    membership = world.teacher.staff_memberships.get()
    client.force_login(world.principal)
    response = client.post(
        f"/admin/schools/staffmembership/{membership.pk}/change/",
        {"school": world.school.pk, "user": world.parent.pk, "role": "nurse", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert (membership.user, membership.role) == (world.teacher, "nurse")


def test_guardians_are_never_typed_in(world, client):
    guardianship = world.child.guardianships.get()
    client.force_login(world.principal)
    assert client.get("/admin/parents/guardianship/add/").status_code == 403
    page = client.get(f"/admin/parents/guardianship/{guardianship.pk}/change/").content.decode()
    assert 'name="guardian"' not in page and 'name="child"' not in page
    response = client.post(
        f"/admin/parents/guardianship/{guardianship.pk}/change/",
        {
            "guardian": world.principal.pk,
            "child": world.other_class_child.pk,
            "school": world.school.pk,
            "relationship": "father",
        },
    )
    assert response.status_code == 302
    guardianship.refresh_from_db()
    assert (guardianship.guardian, guardianship.child, guardianship.relationship) == (
        world.parent,
        world.child,
        "father",
    )


def test_superusers_keep_every_choice(world, client):
    client.force_login(world.superuser)
    page = client.get("/admin/schools/classroom/add/").content.decode()
    assert "Sao Mai" in page and "Hoa Sen" in page
    response = client.post(
        "/admin/schools/pickupperson/add/",
        {
            "school": world.other_school.pk,
            "child": world.other_school_child.pk,
            "full_name": "Ngô Văn Bác",
            "relationship": "Bác",
            "phone": "+84912345679",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PickupPerson.objects.get(full_name="Ngô Văn Bác").child == world.other_school_child


def test_a_list_filter_on_a_relation_lists_only_the_schools_objects(world, client, monkeypatch):
    """A filter on a relation, added by whoever, does not list the other schools' classes."""
    from django.contrib import admin

    monkeypatch.setattr(admin.site._registry[Child], "list_filter", ["classroom"])
    client.force_login(world.principal)
    page = client.get("/admin/schools/child/").content.decode()
    assert f"classroom__id__exact={world.classroom.pk}" in page
    assert "Chồi A" not in page


def test_a_teachers_classes_are_chosen_in_the_admin_among_the_schools_own(world, client):
    membership = world.teacher.staff_memberships.get()
    client.force_login(world.principal)
    url = f"/admin/schools/staffmembership/{membership.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="classrooms"' in page and world.foreign_classroom.name not in page
    data = {"school": world.school.pk, "role": "teacher", "is_active": "on"}
    refused = client.post(url, {**data, "classrooms": [world.foreign_classroom.pk]})
    assert refused.status_code == 200 and not membership.classrooms.filter(pk=world.foreign_classroom.pk).exists()
    response = client.post(url, {**data, "classrooms": [world.classroom.pk, world.other_classroom.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    links = membership.classrooms.through.objects.filter(staffmembership=membership)
    assert set(links.values_list("classroom_id", "school_id")) == {
        (world.classroom.pk, world.school.pk),
        (world.other_classroom.pk, world.school.pk),
    }
