"""The admin's search behind `autocomplete_fields` answers a leader only with their school's choices."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

SAO_MAI_CHILDREN = {"Nguyễn Minh Khôi", "Nguyễn Ngọc An", "Phạm Khánh Linh", "Vương Gia Huy"}


def search(client, source: str, field: str, term: str = ""):
    app_label, model_name = source.split("/")
    return client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field, "term": term},
    )


def names(response) -> set[str]:
    assert response.status_code == 200, response.content.decode()[:500]
    return {result["text"] for result in response.json()["results"]}


@pytest.mark.parametrize("leader", ["principal", "vice_principal"])
def test_a_child_search_lists_only_the_schools_children(leader, world, client):
    client.force_login(getattr(world, leader))
    assert names(search(client, "schools/pickupperson", "child")) == SAO_MAI_CHILDREN
    assert names(search(client, "schools/pickupperson", "child", term="Ngô")) == set()
    assert names(search(client, "schools/pickupperson", "child", term="Khôi")) == {"Nguyễn Minh Khôi"}


def test_another_schools_principal_finds_only_their_own_children(world, client):
    client.force_login(world.other_principal)
    assert names(search(client, "parents/invitationcode", "child")) == {"Ngô Bảo Ngọc"}
    assert names(search(client, "schools/enrolment", "child", term="Nguyễn")) == set()


def test_an_account_search_lists_only_the_accounts_linked_to_the_school(world, client):
    f.UserFactory(full_name="Người Lạ Không Quen")
    client.force_login(world.principal)
    found = names(search(client, "schools/staffmembership", "user"))
    linked = [
        world.parent,
        world.other_parent,
        world.family_viewer,  # follows the parent's child
        world.teacher,
        world.other_teacher,
        world.principal,
        world.vice_principal,
        world.nurse,
        world.accountant,
        world.kitchen,
    ]
    assert found == {str(user) for user in linked}
    # Another school's people, a family whose child left, a former teacher, officers and strangers are not found.
    for term in ("parent@other.test", "teacher@other.test", "former@example.test", "gone@example.test", "Lạ"):
        assert names(search(client, "schools/staffmembership", "user", term=term)) == set(), term
    assert names(search(client, "schools/staffmembership", "user", term="parent@example.test")) == {str(world.parent)}


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ("schools/classroom", "school_year"),  # a plain select: nothing to search
        ("parents/guardianship", "guardian"),  # read-only: guardians are never chosen
        ("schools/authorityofficer", "user"),  # an authority's officers are the superuser's
        ("accounts/user", "groups"),
        ("schools/pickupperson", "full_name"),  # not a relation
        ("schools/nosuchmodel", "child"),
    ],
)
def test_a_search_no_form_of_the_leader_offers_is_refused(source, field, world, client):
    client.force_login(world.principal)
    assert search(client, source, field).status_code == 403


def test_people_who_do_not_use_the_admin_cannot_search(world, client):
    for person in (world.teacher, world.parent, world.officer):
        client.force_login(person)
        response = search(client, "schools/pickupperson", "child")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.logout()
    assert search(client, "schools/pickupperson", "child").status_code == 302


def test_superusers_search_every_school(world, client):
    client.force_login(world.superuser)
    assert names(search(client, "schools/pickupperson", "child")) == SAO_MAI_CHILDREN | {"Ngô Bảo Ngọc"}
    assert str(world.foreign_parent) in names(search(client, "schools/authorityofficer", "user", term="other.test"))
