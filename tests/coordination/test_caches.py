"""The per-person values kept in the cache between requests (coordination/lib/percache.py): the
signed-in account, roles and classes, children, the bell's count. Each change shows on the very next
page of the person it concerns, and nobody else's page or cached value changes.

Every test first opens a page for each person involved, so that their values are in the cache when
the change happens: that is the case a stale cache would get wrong.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.lib import percache
from notifications.models import Category, Notice
from notifications.services import notice_fan_out
from parents.models import FamilyViewer, Guardianship, GuardianshipStatus
from parents.services import family_viewer_revoke
from schools import personal_data as school_personal_data
from schools.services import staff_member_deactivate
from tests import factories as f

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def page(client, url="/notifications/") -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def menu(html: str) -> str:
    return html.split('<nav aria-label="Main menu">', 1)[1].split("</nav>", 1)[0]


def bell(html: str) -> int:
    match = re.search(r'<span class="badge ok">(\d+)<span class="visually-hidden"> unread', menu(html))
    return int(match.group(1)) if match else 0


def cached(kind: str, user) -> bool:
    return cache.get(percache.key(kind, user.pk)) is not None


# --- The account ------------------------------------------------------------------------------


def test_the_account_comes_from_the_cache_and_its_changes_show_at_once(world, client, django_user_model):
    other = signed_in(client.__class__(), world.other_parent)
    page(other)
    client.force_login(world.parent)  # no language cookie: the account's language speaks
    page(client)
    with CaptureQueriesContext(connection) as queries:
        assert "Thông báo" in page(client)
    assert [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]] == []

    parent = django_user_model.objects.get(pk=world.parent.pk)
    parent.language = "en"
    parent.save()
    assert "Notifications" in page(client)

    parent.set_password("a-new-pass-2026")
    parent.save()
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(parent)
    page(client)
    parent.is_active = False
    parent.save()
    assert client.get("/notifications/").status_code == 302
    assert "Notifications" in page(other)  # the other parent is still signed in, their copy kept
    assert cached("user", world.other_parent)


def test_signing_out_forgets_the_account(world, client):
    signed_in(client, world.parent)
    page(client)
    assert cached("user", world.parent)
    client.post("/accounts/logout/")
    assert not cached("user", world.parent)
    assert client.get("/notifications/").status_code == 302


# --- Roles and classes ------------------------------------------------------------------------


def test_a_role_granted_and_ended_shows_at_once_to_that_person_only(world, client):
    newcomer = f.UserFactory(email="newcomer@example.test")
    signed_in(client, newcomer)
    teacher = signed_in(client.__class__(), world.teacher)
    assert "My classes" not in menu(page(client))
    assert "My classes" in menu(page(teacher))

    membership = f.StaffFactory(school=world.school, user=newcomer, role="teacher", classrooms=[world.other_classroom])
    assert cached("access", world.teacher)  # the other teacher's value stays
    assert "My classes" in menu(page(client))
    assert world.other_class_child.full_name in page(client, f"/classes/{world.other_classroom.pk}/")

    staff_member_deactivate(membership=membership, by=world.principal)
    assert "My classes" not in menu(page(client))
    assert client.get(f"/classes/{world.other_classroom.pk}/").status_code in (403, 404)
    assert "My classes" in menu(page(teacher))


def test_a_class_given_and_taken_away_shows_at_once(world, client):
    signed_in(client, world.teacher)
    url = f"/classes/{world.other_classroom.pk}/"
    assert client.get(url).status_code in (403, 404)
    membership = world.teacher.staff_memberships.get()
    membership.classrooms.add(world.other_classroom)
    assert world.other_class_child.full_name in page(client, url)
    world.other_classroom.teachers.remove(membership)  # from the class's side
    assert client.get(url).status_code in (403, 404)
    world.other_classroom.teachers.add(membership)
    assert world.other_class_child.full_name in page(client, url)
    world.other_classroom.teachers.clear()
    assert client.get(url).status_code in (403, 404)

    classroom = f.ClassroomFactory(school=world.school, name="Lá 9")
    membership.classrooms.add(classroom)
    page(client)
    assert cached("access", world.teacher)
    classroom.delete()  # its rows of the teachers' classes go with it, without a signal of their own
    assert not cached("access", world.teacher)


def test_a_post_at_an_authority_and_an_erasure_show_at_once(world, client):
    signed_in(client, world.parent)
    assert "Schools I oversee" not in menu(page(client))
    post = f.AuthorityOfficerFactory(authority=world.school.authority, user=world.parent)
    assert "Schools I oversee" in menu(page(client))
    post.delete()
    assert "Schools I oversee" not in menu(page(client))

    teacher = signed_in(client.__class__(), world.teacher)
    assert "My classes" in menu(page(teacher))
    school_personal_data.erase_person(world.teacher, now=None)  # with update(): no signal
    assert "My classes" not in menu(page(teacher))


# --- Children ---------------------------------------------------------------------------------


def test_a_guardian_added_and_ended_shows_at_once_to_that_guardian_only(world, client):
    signed_in(client, world.other_parent)
    parent = signed_in(client.__class__(), world.parent)
    assert world.child.full_name not in page(client, "/family/")
    page(parent, "/family/")

    guardianship = f.GuardianshipFactory(child=world.child, guardian=world.other_parent, is_primary=False)
    assert cached("family", world.parent)  # the parent's value stays
    assert world.child.full_name in page(client, "/family/")
    assert world.child.full_name in page(client, f"/children/{world.child.pk}/consents/")

    guardianship.status = GuardianshipStatus.ENDED
    guardianship.save()
    assert world.child.full_name not in page(client, "/family/")
    assert client.get(f"/children/{world.child.pk}/consents/").status_code in (403, 404)
    assert cached("family", world.parent)
    assert world.child.full_name in page(parent, "/family/")
    assert world.other_class_child.full_name not in page(parent, "/family/")


def test_a_new_guardian_sees_the_menu_entry_at_once(world, client):
    newcomer = f.UserFactory(email="newcomer@example.test")
    signed_in(client, newcomer)
    assert "My children" not in menu(page(client))
    f.GuardianshipFactory(child=world.other_class_child, guardian=newcomer, is_primary=False)
    assert "My children" in menu(page(client))
    Guardianship.objects.filter(guardian=newcomer).delete()
    assert "My children" not in menu(page(client))


def test_a_revoked_family_viewer_stops_following_at_once(world, client):
    signed_in(client, world.family_viewer)
    assert "Children I follow" in menu(page(client))
    viewer = FamilyViewer.objects.get(viewer=world.family_viewer)
    family_viewer_revoke(viewer=viewer, by=world.parent)
    assert "Children I follow" not in menu(page(client))
    assert world.child.full_name not in page(client, "/family/")


def test_a_child_moved_to_another_class_shows_in_the_new_teachers_class_only(world, client):
    teacher = signed_in(client, world.teacher)
    other_teacher = signed_in(client.__class__(), world.other_teacher)
    assert world.child.full_name in page(teacher, f"/classes/{world.classroom.pk}/")
    assert world.child.full_name not in page(other_teacher, f"/classes/{world.other_classroom.pk}/")
    world.child.classroom = world.other_classroom
    world.child.save()
    assert world.child.full_name not in page(teacher, f"/classes/{world.classroom.pk}/")
    assert world.child.full_name in page(other_teacher, f"/classes/{world.other_classroom.pk}/")
    family = signed_in(client.__class__(), world.parent)
    assert world.other_classroom.name in page(family, "/family/")


# --- The bell ---------------------------------------------------------------------------------


def test_the_bell_counts_new_notices_at_once_for_their_recipients_only(
    world, client, django_capture_on_commit_callbacks
):
    signed_in(client, world.parent)
    other = signed_in(client.__class__(), world.other_parent)
    assert bell(page(client)) == 0
    assert bell(page(other)) == 0
    with django_capture_on_commit_callbacks(execute=True):  # the batch runs once the fan-out commits
        notice_fan_out(
            recipient_ids=[world.parent.pk],
            category=Category.ANNOUNCEMENT,
            title="Họp phụ huynh",
            body="Thứ bảy",
            dedupe_key="cache-test",
            school=world.school,
        )
    assert Notice.objects.filter(recipient=world.parent, dedupe_key="cache-test").count() == 1
    assert bell(page(client)) == 1
    assert bell(page(other)) == 0
    assert cached("unread", world.other_parent)


def test_reading_a_notice_lowers_the_bell_at_once(world, client):
    signed_in(client, world.parent)
    notices = [
        Notice.objects.create(recipient=world.parent, category=Category.ANNOUNCEMENT, title=f"N{n}", dedupe_key=f"n{n}")
        for n in range(3)
    ]
    assert bell(page(client)) == 3
    client.post(f"/notifications/{notices[0].pk}/read/")
    assert bell(page(client)) == 2
    client.post("/notifications/read-all/")
    assert bell(page(client)) == 0
    notices[1].delete()
    Notice.objects.create(recipient=world.parent, category=Category.ANNOUNCEMENT, title="N9", dedupe_key="n9")
    assert bell(page(client)) == 1


# --- What a page costs with the values cached -------------------------------------------------


def test_the_layout_costs_no_query_for_the_person_once_cached(world, client):
    """The header's menu and bell, the account and its roles: all from the cache after the first page."""
    for persona in ("parent", "teacher", "principal", "officer"):
        signed_in(client, world.persona(persona))
        page(client, "/notifications/preferences/")
        with CaptureQueriesContext(connection) as queries:
            page(client, "/notifications/preferences/")
        person = [
            q["sql"]
            for q in queries.captured_queries
            if any(table in q["sql"] for table in ('"accounts_user"', "staffmembership", "parents_guardianship"))
            or "read_at IS NULL" in q["sql"]
        ]
        assert person == [], persona
