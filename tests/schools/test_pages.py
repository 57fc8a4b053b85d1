"""What each role's home page shows, and that it shows nothing more."""

import pytest

from notifications.models import Delivery
from tests import factories as f
from tests.conftest import session_cached
from tests.pages import page_queries

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_family_home_shows_my_children_classes_and_teachers(world, client):
    world.teacher.full_name = "Phạm Thị Lan"
    world.teacher.save()
    client.force_login(world.parent)
    page = text(client.get("/family/"))
    assert "Nguyễn Minh Khôi" in page and "Nguyễn Ngọc An" in page
    assert "Lá 1" in page and "Mầm 1" in page
    assert "Phạm Thị Lan" in page
    assert "Phạm Khánh Linh" not in page and "Ngô Bảo Ngọc" not in page


def test_home_sends_each_role_to_its_page(world, client):
    expected = {
        world.parent: "/family/",
        world.teacher: "/teacher/",
        world.principal: "/schools/sao-mai/manage/",
        world.officer: "/authorities/thuy-nguyen/",
        world.province_officer: "/authorities/hai-phong/",
        world.superuser: "/admin/",
    }
    for person, location in expected.items():
        client.force_login(person)
        assert client.get("/")["Location"] == location


def test_teacher_home_lists_my_classes_with_rosters(world, client):
    client.force_login(world.teacher)
    page = text(client.get("/teacher/"))
    assert "Lá 1" in page and "Chồi 1" not in page
    roster = text(client.get(f"/classes/{world.classroom.pk}/"))
    assert "Nguyễn Minh Khôi" in roster
    assert "Trần Thị Hoa" in roster  # the guardian
    assert "Phạm Khánh Linh" not in roster


def test_principal_home_counts_children_with_a_guardian(world, client):
    f.ChildFactory(classroom=world.classroom, full_name="Chưa Đăng Ký")
    client.force_login(world.principal)
    response = client.get("/schools/sao-mai/manage/")
    overview = response.context["overview"]
    assert overview["children"] == 4
    assert overview["with_guardian"] == 3
    assert overview["without_guardian"] == 1
    assert overview["guardians"] == 2
    rows = {c.name: (c.children_count, c.signed_up_count) for c in overview["classrooms"]}
    assert rows["Lá 1"] == (2, 1)


def _queries(client, url) -> int:
    return page_queries(client, url)  # after a change: the kept parts rendered again


def test_family_home_runs_a_fixed_number_of_queries(world, client):
    client.force_login(world.parent)
    one = _queries(client, "/family/")
    for n in range(12):
        child = f.ChildFactory(classroom=f.ClassroomFactory(school=world.school, name=f"Lớp {n}"))
        f.GuardianshipFactory(child=child, guardian=world.parent)
        f.PickupPersonFactory(child=child)
        f.StaffFactory(school=world.school, classrooms=[child.classroom])
    assert _queries(client, "/family/") == one


@pytest.mark.parametrize("page", ["/family/", "child", "pickup", "consents"])
def test_family_pages_run_a_fixed_number_of_queries_with_one_or_many_children(world, client, page):
    """Other guardians (active, waiting for confirmation, suspended), claims of one's own waiting
    for the school, siblings and pick-up persons: none of them costs a query more."""
    lone_parent = f.UserFactory()
    child = f.ChildFactory(classroom=world.classroom)
    f.GuardianshipFactory(child=child, guardian=lone_parent)
    # One claim of their own waiting from the start: with none, the family page does not ask for them.
    f.GuardianshipFactory(child=f.ChildFactory(classroom=world.classroom), guardian=lone_parent, status="pending")
    url = {"child": "/children/{}/", "pickup": "/children/{}/pickup/", "consents": "/children/{}/consents/"}
    url = url[page].format(child.pk) if page in url else page
    client.force_login(lone_parent)
    one = _queries(client, url)
    for n in range(8):
        sibling = f.ChildFactory(classroom=f.ClassroomFactory(school=world.school, name=f"Lớp {n}"))
        f.GuardianshipFactory(child=sibling, guardian=lone_parent)
        f.PickupPersonFactory(child=sibling)
        f.StaffFactory(school=world.school, classrooms=[sibling.classroom])
        waiting = f.ChildFactory(classroom=sibling.classroom)
        f.GuardianshipFactory(child=waiting, guardian=lone_parent, status=("pending", "suspended")[n % 2])
        for status in ("active", "pending", "suspended", "ended"):
            f.GuardianshipFactory(child=child, status=status, is_primary=False)
        f.PickupPersonFactory(child=child)
    assert _queries(client, url) == one


def test_pending_and_suspended_guardians_count_for_nothing_anywhere(world, client):
    """Not in the person's children, not on the class roster, not among the signed-up, not in an
    announcement's audience, not in a home activity's families."""
    from django.http import Http404

    from activities.selectors import feed_child_get
    from announcements.selectors import announcement_guardian_ids
    from parents.policies import guardian_child_ids
    from schools.selectors import children_visible_to, classroom_roster, school_overview
    from tests.announcements.makers import announcement_make

    newcomer = f.ChildFactory(classroom=world.classroom, full_name="Đặng Gia Bảo")
    waiting, suspended = f.UserFactory(), f.UserFactory()
    f.GuardianshipFactory(child=newcomer, guardian=waiting, status="pending")
    f.GuardianshipFactory(child=world.child, guardian=suspended, status="suspended", is_primary=False)
    for person in (waiting, suspended):
        assert guardian_child_ids(person) == frozenset()
        for child in (world.child, newcomer):
            with pytest.raises(Http404):
                feed_child_get(user=person, child_id=child.pk)
        assert not children_visible_to(user=person).exists()
        client.force_login(person)
        assert client.get("/").get("Location") != "/family/"
        assert client.get(f"/children/{world.child.pk}/").status_code == 404
        assert client.get(f"/children/{newcomer.pk}/").status_code == 404
    roster = {c.pk: [g.guardian for g in c.guardianships.all()] for c in classroom_roster(classroom=world.classroom)}
    assert roster == {world.child.pk: [world.parent], newcomer.pk: []}
    overview = school_overview(school=world.school)
    assert overview["without_guardian"] == 1 and overview["guardians"] == 2
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    assert announcement_guardian_ids(announcement=announcement) == [world.parent.pk]


@pytest.mark.parametrize("url", ["/schools/sao-mai/manage/", "/authorities/thuy-nguyen/", "/authorities/hai-phong/"])
def test_leader_pages_run_a_fixed_number_of_queries(world, client, url):
    person = world.principal if "manage" in url else world.province_officer
    client.force_login(person)
    one = _queries(client, url)
    for n in range(8):
        classroom = f.ClassroomFactory(school=world.school, name=f"Lớp {n}")
        f.StaffFactory(school=world.school, classrooms=[classroom])
        for _ in range(3):
            f.GuardianshipFactory(child=f.ChildFactory(classroom=classroom))
    assert _queries(client, url) == one


def test_family_home_is_light(world, client):
    client.force_login(world.parent)
    html = client.get("/family/").content
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_bytes()
    assert len(html) + len(css) < 100 * 1024


def test_staff_are_added_by_the_principal(world, client, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/schools/sao-mai/manage/staff/",
            {
                "full_name": "Đỗ Thị Mới",
                "email": "moi@example.test",
                "phone": "",
                "role": "teacher",
                "classrooms": [world.classroom.pk],
            },
        )
    assert response.status_code == 302
    from schools.models import StaffMembership

    membership = StaffMembership.objects.get(user__email="moi@example.test")
    assert list(membership.classrooms.all()) == [world.classroom]
    assert not membership.user.has_usable_password()
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body
    membership.refresh_from_db()
    assert membership.welcome_sent_at is not None
    # The page now lists the new member.
    assert "Đỗ Thị Mới" in client.get("/schools/sao-mai/manage/staff/").content.decode()


def test_welcome_is_sent_once_even_when_the_task_runs_twice(world, mailoutbox, django_capture_on_commit_callbacks):
    from accounts.tasks import staff_welcome_send

    membership = world.teacher.staff_memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_welcome_send.apply(args=[membership.pk]).get() is True
        assert staff_welcome_send.apply(args=[membership.pk]).get() is False
    assert len(mailoutbox) == 1
    # Like every message of the portal, it is a notice with a tracked delivery.
    delivery = Delivery.objects.get(notice__recipient=world.teacher, notice__category="account")
    assert delivery.state == "sent" and delivery.channel == "email"
    assert mailoutbox[0].to == [world.teacher.email] and "/notifications/preferences/" in mailoutbox[0].body


def test_staff_form_rejects_a_malformed_phone_and_creates_nothing(world, client):
    client.force_login(world.principal)
    from accounts.models import User

    before = User.objects.count()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/schools/sao-mai/manage/staff/",
        {"full_name": "Sai Số", "email": "sai@example.test", "phone": "12ab", "role": "nurse"},
    )
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    assert User.objects.count() == before


def test_the_class_page_runs_a_fixed_number_of_queries(world, client):
    client.force_login(world.teacher)
    url = f"/classes/{world.classroom.pk}/"
    one = _queries(client, url)
    for _ in range(10):
        child = f.ChildFactory(classroom=world.classroom)
        f.GuardianshipFactory(child=child)
        f.GuardianshipFactory(child=child)
        f.PickupPersonFactory(child=child)
    assert _queries(client, url) == one
    # Then kept until the class changes: only the session's row, unless sessions are kept in the cache.
    assert page_queries(client, url, kept=True) == 1 - session_cached()
