"""The parts of pages kept in the cache (coordination/lib/fragments.py): a kept part costs no query, and
every change to what it shows appears on the very next page of everyone it concerns, while nobody
else's kept part is renewed or shown to another person.

Every test first opens the page for each person involved, so that their parts are kept when the
change happens: that is the case a stale cache would get wrong.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest
from django.conf import settings
from django.db import connection
from django.middleware.csrf import _does_token_match
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from coordination.lib import fragments
from parents import personal_data as parent_personal_data
from parents.models import FamilyViewer
from schools import personal_data as school_personal_data
from schools.models import PickupPerson
from schools.services import child_enrol
from tests import factories as f
from tests.conftest import session_cached

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def family(client) -> str:
    response = client.get("/family/")
    assert response.status_code == 200
    return response.content.decode()


def session_query() -> int:
    """What a kept page still reads: its session's row, unless sessions are kept in the cache too."""
    return 1 - session_cached()


def cards(page: str) -> str:
    return page.split('<div class="cards">', 1)[1].split("</main>", 1)[0]


def queries(client, url="/family/") -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def parent(world, client):
    signed_in(client, world.parent)
    family(client)  # the cards are kept from here on
    return client


@pytest.fixture
def foreign(world, client):
    other = signed_in(client.__class__(), world.foreign_parent)
    family(other)
    return other


# --- Kept, and cheap ---------------------------------------------------------------------------


def test_the_family_cards_are_kept_and_read_again_without_a_query(world, parent):
    first = cards(family(parent))
    kept_queries = queries(parent)
    fragments.people_changed([world.parent.pk])
    rendered_queries = queries(parent)
    assert cards(family(parent)) == first
    assert "Nguyễn Minh Khôi" in first and "Nguyễn Ngọc An" in first and "Lá 1" in first
    # The children, their classes, teachers, guardians, followers and pick-up persons: all kept.
    assert rendered_queries - kept_queries >= 4
    assert kept_queries <= 1


def test_a_kept_part_is_the_persons_own_and_in_their_language(world, parent, client):
    other = signed_in(client.__class__(), world.other_parent)
    page = family(other)
    assert "Phạm Khánh Linh" in page
    assert not any(name in page for name in ("Nguyễn Minh Khôi", "Nguyễn Ngọc An"))
    parent.cookies["django_language"] = "vi"
    vietnamese = family(parent)
    assert "Lớp" in vietnamese and "Nguyễn Minh Khôi" in vietnamese
    parent.cookies["django_language"] = "en"
    assert "Class" in family(parent)


def test_the_requests_csrf_token_goes_into_a_kept_form(world):
    request = RequestFactory().get("/")
    request.user = world.parent
    render = lambda: f'<input name="csrfmiddlewaretoken" value="{fragments.CSRF_PLACEHOLDER}">'  # noqa: E731
    first = fragments.cached(request, "test.form", render, schools=[world.school.pk])
    other_request = RequestFactory().get("/")
    other_request.user = world.parent
    again = fragments.cached(other_request, "test.form", lambda: pytest.fail("kept"), schools=[world.school.pk])
    token_one = first.split('value="')[1].split('"')[0]
    token_two = again.split('value="')[1].split('"')[0]
    assert fragments.CSRF_PLACEHOLDER not in first + again
    # Each request's own token, which its own secret accepts.
    assert _does_token_match(token_one, request.META["CSRF_COOKIE"])
    assert _does_token_match(token_two, other_request.META["CSRF_COOKIE"])
    assert not _does_token_match(token_two, request.META["CSRF_COOKIE"])


def test_a_lost_generation_is_never_taken_for_the_old_one(world):
    from django.core.cache import cache

    request = RequestFactory().get("/")
    request.user = world.parent
    assert fragments.cached(request, "test.lost", lambda: "one", schools=[world.school.pk]) == "one"
    cache.delete(fragments._school_key(world.school.pk))  # evicted
    assert fragments.cached(request, "test.lost", lambda: "two", schools=[world.school.pk]) == "two"


def test_a_value_shared_by_everyone_is_kept_once_per_school_and_topic(world):
    made = []

    def make(label):
        made.append(label)
        return label

    for _round in range(2):
        for school in (world.school, world.other_school):
            assert (
                fragments.kept(None, "test.shared", lambda s=school: make(s.name), schools=[school.pk]) == school.name
            )
        assert fragments.kept(None, "test.shared", lambda: make("topic"), schools=(), topics=["test:1"]) == "topic"
    assert made == ["Sao Mai", "Hoa Sen", "topic"]  # the second round read all three from the cache
    fragments.topic_changed("test:1")
    fragments.kept(None, "test.shared", lambda: make("topic again"), schools=(), topics=["test:1"])
    assert made[-1] == "topic again"


# --- Changes show at once to the people they concern -------------------------------------------------


def test_a_childs_new_name_shows_to_both_guardians(world, parent, client):
    second = f.UserFactory(full_name="Trần Văn Bình")
    f.GuardianshipFactory(child=world.child, guardian=second)
    other = signed_in(client.__class__(), second)
    assert "Nguyễn Minh Khôi" in family(other)
    world.child.full_name = "Nguyễn Minh Khang"
    world.child.save()
    assert "Nguyễn Minh Khang" in family(parent) and "Nguyễn Minh Khôi" not in family(parent)
    assert "Nguyễn Minh Khang" in family(other)


def test_a_teacher_given_the_class_shows_and_one_taken_off_it_goes(world, parent):
    newcomer = f.StaffFactory(school=world.school, role="teacher", user__full_name="Đỗ Thị Mai")
    newcomer.classrooms.add(world.classroom)
    assert "Đỗ Thị Mai" in family(parent)
    world.classroom.teachers.remove(newcomer)
    assert "Đỗ Thị Mai" not in family(parent)


def test_a_teachers_new_name_and_phone_show_on_the_family_cards(world, parent):
    world.teacher.full_name = "Hoàng Thị Lan"
    world.teacher.save()
    assert "Hoàng Thị Lan" in family(parent)


def test_a_co_guardians_new_name_shows_and_a_sign_in_renews_nothing(world, parent, client):
    second = f.UserFactory(full_name="Trần Văn Bình")
    f.GuardianshipFactory(child=world.child, guardian=second)
    assert "Trần Văn Bình" in family(parent)
    other = signed_in(client.__class__(), second)  # signing in saves the account's last_login only
    assert queries(parent) <= 1
    second.full_name = "Trần Văn Bảo"
    second.save()
    assert "Trần Văn Bảo" in family(parent)
    assert other is not None


def test_a_new_pick_up_person_and_a_class_move_show_at_once(world, parent):
    assert "1 person may pick up" not in family(parent)
    PickupPerson.objects.create(
        school=world.school, child=world.child, full_name="Bà Ngoại", relationship="grandmother", phone="0912345678"
    )
    page = family(parent)
    assert "1 person may pick up" in page
    child_enrol(child=world.child, classroom=world.other_classroom, starts_on=world.child.date_of_birth)
    world.child.save()
    assert "Chồi 1" in family(parent)


def test_the_schools_new_name_shows(world, parent):
    world.school.name = "Sao Mai Xanh"
    world.school.save()
    assert "Sao Mai Xanh" in family(parent)


def test_a_follower_accepted_and_one_ended_by_a_service_show_at_once(world, parent):
    assert "Bà nội" in family(parent)
    grandpa = f.UserFactory(full_name="Nguyễn Văn Ông")
    f.FamilyViewerFactory(
        child=world.child, viewer=grandpa, invited_by=world.parent, name="Ông ngoại Tư", relationship="Ông ngoại"
    )
    assert "Ông ngoại Tư" in family(parent)
    # The grandmother becomes a guardian: the service ends her follow with update(), no signal.
    from parents.services import _end_following_as_guardian

    _end_following_as_guardian(child_id=world.child.pk, user=world.family_viewer)
    assert not FamilyViewer.objects.current().filter(viewer=world.family_viewer).exists()
    assert "Bà nội" not in family(parent)


def test_an_erased_guardian_and_an_erased_teacher_leave_the_cards(world, parent, client):
    second = f.UserFactory(full_name="Trần Văn Bình")
    f.GuardianshipFactory(child=world.child, guardian=second)
    assert "Trần Văn Bình" in family(parent) and "teacher" in family(parent).lower()
    parent_personal_data._guardianships_end(second, now=world.child.created_at)
    assert "Trần Văn Bình" not in family(parent)
    teacher_name = world.teacher.full_name
    assert teacher_name in family(parent)
    school_personal_data.erase_person(world.teacher, now=world.child.created_at)
    assert teacher_name not in family(parent)


def test_an_erased_child_shows_erased(world, parent):
    school_personal_data.erase_child(world.child, now=world.child.created_at)
    assert "Nguyễn Minh Khôi" not in family(parent)


def test_a_new_child_in_another_school_shows(world, parent):
    child = f.ChildFactory(classroom=world.foreign_classroom, full_name="Nguyễn Hải Đăng")
    f.GuardianshipFactory(child=child, guardian=world.parent)
    assert "Nguyễn Hải Đăng" in family(parent)


# --- And to nobody else --------------------------------------------------------------------------


def test_a_change_at_one_school_renews_no_part_of_another_schools_families(world, parent, foreign):
    world.child.full_name = "Nguyễn Minh Khang"
    world.child.save()
    world.teacher.full_name = "Hoàng Thị Lan"
    world.teacher.save()
    assert queries(foreign) <= 1  # still kept
    page = family(foreign)
    assert "Ngô Bảo Ngọc" in page and "Nguyễn Minh Khang" not in page


def test_a_persons_change_renews_their_own_parts_only(world, parent, foreign):
    fragments.people_changed([world.parent.pk])
    assert queries(foreign) <= 1
    assert queries(parent) > 1


# --- A class's page ----------------------------------------------------------------------------


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_class_page_is_kept_and_shows_a_new_family_and_pick_up_person_at_once(world, client):
    url = f"/classes/{world.classroom.pk}/"
    teacher = signed_in(client, world.teacher)
    principal = signed_in(client.__class__(), world.principal)
    assert "Nguyễn Minh Khôi" in page(teacher, url) and "Nguyễn Minh Khôi" in page(principal, url)
    assert queries(teacher, url) == session_query()  # the class, its links and its roster are kept
    newcomer = f.UserFactory(full_name="Phan Văn Tài")
    f.GuardianshipFactory(child=world.child, guardian=newcomer)
    PickupPerson.objects.create(
        school=world.school, child=world.child, full_name="Cô Út", relationship="aunt", phone="0912345679"
    )
    for client_ in (teacher, principal):
        html = page(client_, url)
        assert "Phan Văn Tài" in html and "Cô Út" in html


def test_a_renamed_class_shows_its_new_name_and_a_class_not_yours_stays_closed(world, client):
    url = f"/classes/{world.classroom.pk}/"
    teacher = signed_in(client, world.teacher)
    other = signed_in(client.__class__(), world.other_teacher)
    page(teacher, url)
    page(other, url, status=404)
    world.classroom.name = "Lá 1A"
    world.classroom.save()
    html = page(teacher, url)
    assert "<title>Lá 1A" in html and "<h1>Lá 1A" in html
    page(other, url, status=404)
    page(signed_in(client.__class__(), world.parent), url, status=404)
    world.classroom.teachers.remove(world.teacher.staff_memberships.get())
    page(teacher, url, status=404)  # the teacher's roles are forgotten with the class taken away


# --- A child's activity feed -------------------------------------------------------------------


def test_the_feed_keeps_the_familys_children_and_shows_a_renamed_class_at_once(world, parent):
    url = f"/children/{world.child.pk}/activities/"
    assert "Lá 1" in page(parent, url)
    assert queries(parent, url) == session_query()
    world.classroom.name = "Lá 1A"
    world.classroom.save()
    assert "Lá 1A" in page(parent, url)
    page(parent, f"/children/{world.other_class_child.pk}/activities/", status=404)
    world.child.left_on = world.child.date_of_birth
    world.child.classroom = None
    world.child.save()
    page(parent, url, status=404)  # a child who left has no class feed


# --- The family's menus ------------------------------------------------------------------------


def test_the_menus_page_is_kept_and_shows_a_published_dish_and_one_taken_back_at_once(world, parent):
    from community.services_menus import menu_dish_add, menu_unpublish
    from tests.community.factories_menus import make_menu, this_monday

    menu = make_menu(world.school, days={0: [("lunch", "Cơm trắng", [(1004, 95)])]})
    assert "Cơm trắng" in page(parent, "/menus/")
    assert queries(parent, "/menus/") == session_query()
    menu_dish_add(
        school_id=world.school.pk, band=menu.band, week_start=menu.week_start, day=menu.week_start,
        meal="lunch", name="Canh bí đỏ", by=world.kitchen,
    )  # fmt: skip
    assert "Canh bí đỏ" in page(parent, "/menus/")
    menu_unpublish(school_id=world.school.pk, band=menu.band, week_start=this_monday(), by=world.kitchen)
    assert "Cơm trắng" not in page(parent, "/menus/")
    page(signed_in(parent.__class__(), world.former_parent), "/menus/", status=404)  # no child at school


# --- A work's page (/w/<token>) ---------------------------------------------------------------


def test_the_work_is_kept_for_each_person_and_a_consent_withdrawn_or_a_follow_ended_shows_at_once(world, parent):
    from parents.services import family_viewer_revoke
    from portfolio.build import work_qr_build
    from tests.portfolio.printing_makers import work_make

    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="portfolio_photos", granted=True)
    work = work_make(child=world.child, by=world.teacher, title="Ngôi nhà của em", photos=1)
    work_qr_build(work_id=work.pk)
    work.refresh_from_db()
    url = f"/w/{work.token}"
    grandma = signed_in(parent.__class__(), world.family_viewer)
    for client_ in (parent, grandma):
        for _visit in range(3):  # the first visits learn the code's school and keep the work
            assert "/media/" in page(client_, url)
    assert queries(parent, url) == session_query()
    work.title = "Ngôi nhà mơ ước"
    work.save()
    assert "Ngôi nhà mơ ước" in page(parent, url) and "Ngôi nhà mơ ước" in page(grandma, url)
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="portfolio_photos", granted=False)
    assert "/media/" not in page(parent, url) and "/media/" not in page(grandma, url)
    family_viewer_revoke(viewer=FamilyViewer.objects.get(viewer=world.family_viewer), by=world.parent)
    page(grandma, url, status=404)
    assert "Ngôi nhà mơ ước" in page(parent, url)


# --- A leader's home ---------------------------------------------------------------------------


def children_stat(html: str) -> int:
    return int(re.search(r'<div class="stat"><b>(\d+)</b>children</div>', html).group(1))


def test_the_leaders_home_is_kept_and_shows_new_children_and_files_at_once(world, client, foreign):
    from mediafiles.models import Audience, Kind, MediaFile, State

    url = f"/schools/{world.school.slug}/manage/"
    principal = signed_in(client, world.principal)
    other_principal = signed_in(client.__class__(), world.other_principal)
    page(other_principal, f"/schools/{world.other_school.slug}/manage/")
    before = page(principal, url)
    assert queries(principal, url) == session_query()  # the features' panels keep what they read too
    f.ChildFactory(classroom=world.classroom, full_name="Lý Gia Bảo")
    assert children_stat(page(principal, url)) == children_stat(before) + 1
    MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.teacher,
        audience=Audience.STAFF,
        kind=Kind.VIDEO,
        state=State.READY,
        original_name="a.mp4",
        size=10,
        received=10,
        stored_bytes=3 * 1024 * 1024,
        original="schools/x/a.mp4",
    )
    assert re.search(r"<b>3[.,]0\sMB</b>", page(principal, url))
    assert queries(other_principal, f"/schools/{world.other_school.slug}/manage/") == session_query()  # still kept


def test_a_breach_shows_on_the_kept_home_at_once(world, client):
    import datetime

    from django.utils import timezone

    from privacy.models import Breach

    url = f"/schools/{world.school.slug}/manage/"
    principal = signed_in(client, world.principal)
    page(principal, url)
    Breach.objects.create(
        school=world.other_school, title="Hoa Sen", found_at=timezone.now(), people_affected=1, reported_by=None
    )
    assert queries(principal, url) == session_query()  # another school's breach renews nothing here
    Breach.objects.create(
        school=world.school,
        title="Gửi nhầm ảnh",
        found_at=timezone.now() - datetime.timedelta(hours=5),
        data_affected="Ảnh của trẻ",
        people_affected=3,
        consequences="Ảnh bị lộ.",
        measures="Đã thu hồi.",
        reported_by=world.principal,
    )
    breach = Breach.objects.get(school=world.school)
    assert "Gửi nhầm ảnh" in page(principal, url)
    breach.status = Breach.Status.CLOSED
    breach.save()
    assert "Gửi nhầm ảnh" not in page(principal, url)


def test_a_school_renamed_and_moved_shows_at_its_new_address_only(world, client):
    principal = signed_in(client, world.principal)
    page(principal, "/schools/sao-mai/manage/")
    world.school.name, world.school.slug = "Sao Mai Xanh", "sao-mai-xanh"
    world.school.save()
    assert "<h1>Sao Mai Xanh</h1>" in page(principal, "/schools/sao-mai-xanh/manage/")
    page(principal, "/schools/sao-mai/manage/", status=404)
    page(signed_in(client.__class__(), world.other_principal), "/schools/sao-mai-xanh/manage/", status=404)


# --- Every bulk change of what kept parts show renews them ---------------------------------------

# update() and bulk_create() send no signal: a function that changes rows of a model kept parts show
# must say which schools or topics changed (fragments.schools_changed, topic_changed), unless no kept part
# shows what it changes.
NOT_SHOWN = {
    ("accounts/tasks.py", "staff_welcome_send"): "the date a welcome was sent shows on no kept part",
    ("mediafiles/services.py", "media_upload_append"): "the bytes received of an upload: no figure counts them",
    ("mediafiles/services.py", "media_process"): "a file's processing attempts and activity: shown nowhere",
    ("mediafiles/services.py", "media_uploads_sweep"): "a lost processing requeued: its state stays",
    ("portfolio/services.py", "work_opened"): "the family's first opening shows on no kept part; the person's "
    "kept work (views_works.py) is renewed with their generation",
}
BULK = ("update", "bulk_create", "bulk_update")


def _bulk_writes():
    """(file, function, model, line) of each bulk write on a model that kept parts show."""
    shown = {model.__name__ for model in fragments.shown_models()}
    root = pathlib.Path(settings.BASE_DIR)
    skip = {".venv", "tests", "migrations", "bench", "node_modules", "staticfiles", "media", "locale"}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if skip & set(relative.parts):
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
            renews = any(
                getattr(call.func, "attr", getattr(call.func, "id", None)) in ("schools_changed", "topic_changed")
                for call in calls
            )
            for call in calls:
                if not (isinstance(call.func, ast.Attribute) and call.func.attr in BULK):
                    continue
                node, chain = call.func.value, []
                while isinstance(node, ast.Call | ast.Attribute):
                    if isinstance(node, ast.Attribute):
                        chain.append(node.attr)
                    node = node.func if isinstance(node, ast.Call) else node.value
                if isinstance(node, ast.Name) and node.id in shown and "objects" in chain:
                    yield str(relative), function.name, node.id, call.lineno, renews


def test_every_bulk_change_of_what_kept_parts_show_renews_them():
    found = list(_bulk_writes())
    assert any(model == "Guardianship" for _file, _fn, model, _line, _renews in found)  # the scan finds them
    silent = [
        f"{file}:{line} {function}() changes {model} rows"
        for file, function, model, line, renews in found
        if not renews and (file, function) not in NOT_SHOWN
    ]
    assert silent == []


def test_the_models_kept_parts_show_include_the_family_cards():
    names = {model._meta.label for model in fragments.shown_models()}
    assert {
        "schools.Child",
        "schools.Classroom",
        "schools.StaffMembership",
        "schools.PickupPerson",
        "schools.School",
        "parents.Guardianship",
        "parents.FamilyViewer",
    } <= names
