"""The page behind a work's QR label, /w/<token>: what the family and the staff see, who gets the
plain 404, the sign-in and back, the queries it costs and the "opened" mark."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.build import work_qr_build
from portfolio.models import Work, WorkOpen, new_token
from portfolio.services import work_code_replace
from tests import factories as f
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db

TITLE = "Vườn ươm của những bạn nhỏ"
NOTE = "Khôi tự chọn màu và kể cho cả lớp nghe về khu vườn."
DESCRIPTION = "Tranh sáp màu trên giấy A3."
# The page's budget: session, user, the family's children, the menu's roles, the bell, the work (with
# its consents and the viewer's earlier opening), the earlier works and the photos; for the staff, the
# read log's row (schools.ChildRead).
MAX_QUERIES = 8
STAFF_READ_LOG = 1


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def consent(world, purpose: str = "portfolio_photos", granted: bool = True, child=None, guardian=None):
    return f.ConsentFactory(
        child=child or world.child, guardian=guardian or world.parent, purpose=purpose, granted=granted
    )


def ready(work: Work) -> Work:
    work_qr_build(work_id=work.pk)
    work.refresh_from_db()
    return work


@pytest.fixture
def work(world) -> Work:
    return ready(
        work_make(child=world.child, by=world.teacher, title=TITLE, teacher_note=NOTE, description=DESCRIPTION)
    )


def page(client, user, token: str):
    client.force_login(user)
    return client.get(f"/w/{token}")


# --- What the family sees ---------------------------------------------------------------------------


def test_the_parent_sees_the_work_with_the_childs_given_name_only(client, world, work):
    response = page(client, world.parent, work.token)
    html = response.content.decode()
    assert response.status_code == 200
    assert TITLE in html and NOTE in html and DESCRIPTION in html
    assert "Aesthetic" in html or "aesthetic" in html.lower()
    assert '<time datetime="2026-11-20">' in html
    assert "By Khôi" in html and "Nguyễn Minh Khôi" not in html
    assert "being prepared" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_page_says_preparing_until_the_qr_images_are_made(client, world):
    work = work_make(child=world.child, by=world.teacher, title=TITLE)
    assert "being prepared" in page(client, world.parent, work.token).content.decode()
    work_qr_build(work_id=work.pk)
    assert "being prepared" not in client.get(f"/w/{work.token}").content.decode()


def test_the_page_says_preparing_while_a_photo_is_processed(client, world, work):
    consent(world)
    photo = work_make(child=world.child, by=world.teacher, photos=1).photos.get()
    photo.work = work
    photo.save()
    photo.media.state = "processing"
    photo.media.save(update_fields=["state"])
    assert "being prepared" in page(client, world.parent, work.token).content.decode()


def test_earlier_works_of_the_same_domain_are_listed_newest_first(client, world, work):
    older = work_make(child=world.child, by=world.teacher, title="Bông hoa", made_on=datetime.date(2026, 10, 1))
    oldest = work_make(child=world.child, by=world.teacher, title="Ông mặt trời", made_on=datetime.date(2026, 9, 1))
    work_make(child=world.child, by=world.teacher, title="Con thuyền giấy", domain="cognitive")
    work_make(child=world.child, by=world.teacher, title="Ngày mai", made_on=datetime.date(2026, 11, 21))
    work_make(child=world.sibling, by=world.teacher, title="Tranh của An", classroom=world.classroom)
    html = page(client, world.parent, work.token).content.decode()
    assert html.index("Bông hoa") < html.index("Ông mặt trời")
    assert f'href="/w/{older.token}"' in html and f'href="/w/{oldest.token}"' in html
    for absent in ("Con thuyền giấy", "Ngày mai", "Tranh của An"):
        assert absent not in html


@pytest.mark.parametrize("persona", ["family_viewer", "teacher", "principal", "vice_principal", "nurse"])
def test_the_family_viewer_and_the_staff_who_see_the_child_see_the_work(client, world, work, persona):
    response = page(client, world.persona(persona), work.token)
    assert response.status_code == 200 and TITLE in response.content.decode()


# --- The plain 404 ----------------------------------------------------------------------------------------


def not_found_bodies(client, world, work) -> dict[str, tuple[int, bytes]]:
    other = ready(work_make(child=world.other_class_child, by=world.other_teacher))
    revoked = work.token
    work_code_replace(work=Work.objects.get(pk=work.pk), by=world.teacher)
    client.force_login(world.other_parent)
    answers = {}
    for name, token in {
        "malformed": "abc",
        "too long": new_token() + "x",
        "bad character": new_token()[:-1] + "!",
        "unknown": new_token(),
        "another family's": work.token,  # the other parent's: Khôi is not theirs
        "revoked": revoked,
    }.items():
        response = client.get(f"/w/{quote(token)}")
        answers[name] = (response.status_code, response.content)
    client.force_login(world.teacher)
    response = client.get(f"/w/{other.token}")
    answers["another class's"] = (response.status_code, response.content)
    return answers


def test_malformed_unknown_others_and_revoked_codes_get_the_same_plain_404(client, world, work):
    answers = not_found_bodies(client, world, work)
    assert {status for status, _body in answers.values()} == {404}
    assert len({body for _status, body in answers.values()}) == 1, answers
    assert TITLE.encode() not in answers["revoked"][1]


def test_a_malformed_code_is_a_404_even_without_signing_in(client):
    for token in ("abc", new_token() + "x", "a" * 42 + "."):
        assert client.get(f"/w/{quote(token)}").status_code == 404


def test_the_unknown_code_costs_the_same_queries_as_another_familys(client, world, work):
    client.force_login(world.other_parent)
    counts = []
    for token in (new_token(), work.token, new_token()):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/w/{token}").status_code == 404
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


# --- Signing in and back ------------------------------------------------------------------------------------


@pytest.mark.parametrize("known", [True, False])
def test_a_visitor_not_signed_in_is_sent_to_sign_in_and_back_known_code_or_not(client, work, known):
    token = work.token if known else new_token()
    response = client.get(f"/w/{token}")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/w/{token}"


def test_the_parent_signs_in_and_lands_on_the_work(client, world, work):
    login = client.get(f"/w/{work.token}")["Location"]
    response = client.post(login, {"login": world.parent.email, "password": f.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"/w/{work.token}"
    assert response.status_code == 200 and TITLE in response.content.decode()


# --- Queries ------------------------------------------------------------------------------------------------


def queries_of(client, token: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/w/{token}")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["parent", "family_viewer", "teacher", "principal", "nurse"])
def test_the_page_costs_a_fixed_number_of_queries_with_one_photo_and_with_many(client, world, persona):
    consent(world)
    consent(world, "voice_recordings")
    client.force_login(world.persona(persona))
    small = ready(work_make(child=world.child, by=world.teacher, photos=1, voice=True))
    big = ready(
        work_make(
            child=world.sibling, by=world.teacher, photos=6, voice=True, classroom=world.classroom, domain="cognitive"
        )
    )
    big.child = world.child
    big.save()
    for day in range(1, 7):
        work_make(
            child=world.child, by=world.teacher, photos=2, domain="cognitive", made_on=datetime.date(2026, 9, day)
        )
    client.get(f"/w/{small.token}")  # the first visits write the "opened" marks
    client.get(f"/w/{big.token}")
    cache.clear()  # the content rendered anew: every read
    client.get("/notifications/")  # the person's cached values back in place
    one, many = queries_of(client, small.token), queries_of(client, big.token)
    budget = MAX_QUERIES + (STAFF_READ_LOG if persona not in ("parent", "family_viewer") else 0)
    assert one == many <= budget, (one, many)
    # Then kept rendered: the earlier works and the photos are not read again.
    assert queries_of(client, small.token) == queries_of(client, big.token) == one - 2
    # And from the next visit the work itself is kept for the person (coordination/lib/fragments.py).
    assert queries_of(client, small.token) == queries_of(client, big.token) == one - 3
    assert big.photos.count() == 6 and "/media/" in client.get(f"/w/{big.token}").content.decode()


def test_the_first_visit_adds_only_the_opened_mark(client, world, work):
    client.force_login(world.parent)
    with CaptureQueriesContext(connection) as first:
        client.get(f"/w/{work.token}")
    writes = [q["sql"] for q in first.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 2, writes  # the mark, and the family's first opening on the work
    first_count = len(first)  # now: the next request empties the connection's log
    cache.clear()
    client.get("/notifications/")  # the person's cached values back in place
    assert first_count == queries_of(client, work.token) + 2


# --- Opened -------------------------------------------------------------------------------------------------


def test_opened_is_written_once_per_viewer_and_work(client, world, work):
    page(client, world.parent, work.token)
    first = Work.objects.get(pk=work.pk).family_opened_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/w/{work.token}")
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"] or "UPDATE" in q["sql"]]
    page(client, world.family_viewer, work.token)
    assert list(WorkOpen.objects.order_by("pk").values_list("user_id", "by_family")) == [
        (world.parent.pk, True),
        (world.family_viewer.pk, True),
    ]
    assert Work.objects.get(pk=work.pk).family_opened_at == first


def test_the_staff_opening_it_is_not_the_familys(client, world, work):
    html = page(client, world.teacher, work.token).content.decode()
    assert "The family has not opened this page yet." in html
    assert WorkOpen.objects.get().by_family is False
    assert Work.objects.get(pk=work.pk).family_opened_at is None
    page(client, world.nurse, work.token)
    assert Work.objects.get(pk=work.pk).family_opened_at is None


def test_the_teacher_sees_when_the_family_opened_it_and_the_family_does_not(client, world, work):
    parent_html = page(client, world.parent, work.token).content.decode()
    assert "Seen by the family" not in parent_html
    html = page(client, world.teacher, work.token).content.decode()
    assert "The family first opened this page on" in html
    nurse_html = page(client, world.nurse, work.token).content.decode()
    assert "Seen by the family" not in nurse_html  # the nurse sees the work, does not manage it


# --- The content kept rendered ---------------------------------------------------------------------------


def test_the_kept_content_follows_new_photos_new_earlier_works_and_edits(client, world, work):
    from portfolio.services import work_update

    consent(world)
    client.force_login(world.parent)
    assert "<picture" not in client.get(f"/w/{work.token}").content.decode()
    photo = work_make(child=world.child, by=world.teacher, photos=1, made_on=datetime.date(2026, 12, 1))
    moved = photo.photos.get()
    moved.work = work
    moved.save()
    photo.delete()
    html = client.get(f"/w/{work.token}").content.decode()
    assert f"/media/{moved.media_id}/preview" in html
    work_make(child=world.child, by=world.teacher, title="Bông hoa", made_on=datetime.date(2026, 10, 1))
    assert "Bông hoa" in client.get(f"/w/{work.token}").content.decode()
    work_update(
        work=Work.objects.get(pk=work.pk),
        by=world.teacher,
        title="Khu vườn mùa xuân",
        domain="aesthetic",
        made_on=work.made_on,
        teacher_note="Ghi chú mới của cô.",
    )
    html = client.get(f"/w/{work.token}").content.decode()
    assert "Khu vườn mùa xuân" in html and "Ghi chú mới của cô." in html and TITLE not in html
    work_update(
        work=Work.objects.get(pk=work.pk),
        by=world.teacher,
        title="Khu vườn mùa xuân",
        domain="aesthetic",
        made_on=work.made_on,
        remove_photos=[moved.pk],
    )
    assert f"/media/{moved.media_id}/" not in client.get(f"/w/{work.token}").content.decode()


def test_a_page_still_being_prepared_is_not_kept(client, world):
    work = work_make(child=world.child, by=world.teacher, title=TITLE)
    client.force_login(world.parent)
    assert "being prepared" in client.get(f"/w/{work.token}").content.decode()
    Work.objects.filter(pk=work.pk).update(qr_png="portfolio/qr.png", qr_token=work.token)
    assert "being prepared" not in client.get(f"/w/{work.token}").content.decode()


def test_the_single_lookup_gives_the_same_values_as_the_orm(world):
    """The lookup is plain SQL: its values go through the backend's converters like the ORM's (SQLite,
    the embedded default, gives UUIDs, dates and times as text)."""
    import uuid

    from portfolio.selectors import work_for_token

    made = ready(work_make(child=world.child, by=world.teacher, title=TITLE, voice=True))
    work = work_for_token(token=made.token, user=world.parent)
    fresh = Work.objects.select_related("child__school", "classroom", "voice").get(pk=made.pk)
    assert isinstance(work.voice.pk, uuid.UUID) and work.voice.pk == fresh.voice.pk
    assert isinstance(work.made_on, datetime.date) and work.made_on == fresh.made_on
    assert work.created_at == fresh.created_at and work.created_at.tzinfo is not None
    assert work.child.date_of_birth == fresh.child.date_of_birth and work.child.school.pk == fresh.child.school.pk
    assert work.voice.url("video") == fresh.voice.url("video")
    assert (work.token_is_current, work.viewer_opened) == (True, False)
