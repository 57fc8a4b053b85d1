"""Each child's portfolio timeline: works and approved home-activity answers, newest first, grouped by
month, filtered by domain and school year, for the family and the child's staff only."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Answer
from portfolio import timeline
from tests import factories as f
from tests.activities.makers import activity_make, answer_make
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(child) -> str:
    return f"/children/{child.pk}/portfolio/"


def answer_on(world, day: datetime.date, *, title="Gấp thuyền giấy", domain="aesthetic", sharing="approved"):
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], title=title, domain=domain
    )
    answer = answer_make(activity=activity, child=world.child, by=world.parent, note="Bé tự gấp", sharing=sharing)
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Answer.objects.filter(pk=answer.pk).update(created_at=noon)
    return answer


def titles(response) -> list[str]:
    return [item.title for month in response.context["page"].months for item in month.items]


def test_works_and_approved_answers_newest_first_by_month(client, world):
    october = work_make(
        child=world.child, by=world.teacher, title="Bức tranh mùa thu", made_on=datetime.date(2026, 10, 5)
    )
    november = work_make(
        child=world.child, by=world.teacher, title="Con thuyền giấy", made_on=datetime.date(2026, 11, 20)
    )
    answer = answer_on(world, datetime.date(2026, 11, 2), title="Đếm hạt đậu", domain="cognitive")
    answer_on(world, datetime.date(2026, 11, 3), title="Chưa duyệt", sharing="offered")
    work_make(child=world.sibling, by=world.teacher, title="Của em An", classroom=world.classroom)

    client.force_login(world.parent)
    response = client.get(url(world.child))

    assert response.status_code == 200
    assert titles(response) == ["Con thuyền giấy", "Đếm hạt đậu", "Bức tranh mùa thu"]
    months = response.context["page"].months
    assert [m.first_day for m in months] == [datetime.date(2026, 11, 1), datetime.date(2026, 10, 1)]
    html = response.content.decode()
    assert "November 2026" in html and "October 2026" in html
    assert f'href="/w/{november.token}"' in html and f'href="/w/{october.token}"' in html
    assert f"/children/{world.child.pk}/shared-answers/#answer-{answer.pk}" in html
    assert "Chưa duyệt" not in html and "Của em An" not in html
    # The guardians' albums and summary are linked.
    assert f"/children/{world.child.pk}/albums/" in html and f"/children/{world.child.pk}/ready-for-school/" in html


def test_photos_and_voice_follow_the_consents(client, world):
    work = work_make(child=world.child, by=world.teacher, title="Bức tranh gia đình", photos=2, voice=True)
    photo = work.photos.first().media
    client.force_login(world.parent)

    html = client.get(url(world.child)).content.decode()
    assert photo.thumbnail_url not in html and "Voice note" not in html

    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="portfolio_photos")
    html = client.get(url(world.child)).content.decode()
    assert photo.thumbnail_url in html and "2 photos" in html and "Voice note" not in html

    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="voice_recordings")
    assert "Voice note" in client.get(url(world.child)).content.decode()


def test_filters_by_domain_and_school_year(client, world):
    this_year = world.classroom.school_year
    last_year = f.SchoolYearFactory(
        school=world.school,
        name="2025–2026",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 5, 31),
        is_current=False,
    )
    old_class = f.ClassroomFactory(school=world.school, school_year=last_year, name="Chồi 1", age_group="choi")
    work_make(
        child=world.child,
        by=world.teacher,
        title="Năm ngoái",
        made_on=datetime.date(2026, 3, 2),
        classroom=old_class,
        domain="physical",
    )
    work_make(child=world.child, by=world.teacher, title="Năm nay", made_on=datetime.date(2026, 11, 2))
    answer_on(world, datetime.date(2026, 11, 3), title="Kể chuyện", domain="language")
    client.force_login(world.parent)

    response = client.get(url(world.child))
    assert [y.pk for y in response.context["page"].years] == [this_year.pk, last_year.pk]
    assert titles(response) == ["Kể chuyện", "Năm nay", "Năm ngoái"]
    assert titles(client.get(url(world.child), {"year": last_year.pk})) == ["Năm ngoái"]
    assert titles(client.get(url(world.child), {"year": this_year.pk})) == ["Kể chuyện", "Năm nay"]
    assert titles(client.get(url(world.child), {"domain": "language"})) == ["Kể chuyện"]
    assert titles(client.get(url(world.child), {"domain": "physical", "year": this_year.pk})) == []
    # Someone else's year or a made-up domain is no filter.
    other_year = f.SchoolYearFactory(school=world.other_school, name="2024–2025", is_current=False)
    assert len(titles(client.get(url(world.child), {"year": other_year.pk, "domain": "x"}))) == 3


def test_pages(client, world, monkeypatch):
    monkeypatch.setattr(timeline, "PER_PAGE", 3)
    for n in range(4):
        work_make(child=world.child, by=world.teacher, title=f"Tác phẩm {n}", made_on=datetime.date(2026, 11, 10 + n))
    answer_on(world, datetime.date(2026, 11, 1), title="Ở nhà")
    client.force_login(world.parent)
    first = client.get(url(world.child))
    assert titles(first) == ["Tác phẩm 3", "Tác phẩm 2", "Tác phẩm 1"]
    assert 'rel="next"' in first.content.decode()
    second = client.get(url(world.child), {"page": 2})
    assert titles(second) == ["Tác phẩm 0", "Ở nhà"]
    assert 'rel="next"' not in second.content.decode() and 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("persona", ["parent", "family_viewer", "teacher", "principal", "nurse"])
def test_the_family_and_the_childs_staff_see_it(client, world, persona):
    work_make(child=world.child, by=world.teacher, title="Bức tranh gia đình")
    client.force_login(getattr(world, persona))
    response = client.get(url(world.child))
    assert response.status_code == 200 and "Bức tranh gia đình" in response.content.decode()
    # Albums are the guardians'.
    assert (f"/children/{world.child.pk}/albums/" in response.content.decode()) == (persona == "parent")


@pytest.mark.parametrize("persona", ["other_parent", "other_teacher", "foreign_teacher", "former_parent", "officer"])
def test_everyone_else_gets_the_404(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(world.child)).status_code == 404
    assert client.get("/children/999999/portfolio/").status_code == 404


def test_a_revoked_family_viewer_loses_it(client, world):
    from parents.models import FamilyViewer

    FamilyViewer.objects.filter(viewer=world.family_viewer).update(revoked_at=timezone.now())
    client.force_login(world.family_viewer)
    assert client.get(url(world.child)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(url(world.child))
    assert response.status_code == 302 and "login" in response["Location"]


def _fill(world, first: int, last: int) -> None:
    for n in range(first, last):
        work_make(
            child=world.child,
            by=world.teacher,
            title=f"Tác phẩm {n}",
            made_on=datetime.date(2026, 11, 1 + n),
            photos=1 if n < 3 else 0,
            voice=n == 0,
        )
        answer_on(world, datetime.date(2026, 10, 1 + n), title=f"Ở nhà {n}")


def _queries(client, world) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world.child))
    assert response.status_code == 200
    return len(queries), len(titles(response))


def test_a_fixed_number_of_queries(client, world):
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="portfolio_photos")
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="voice_recordings")
    _fill(world, 0, 1)
    client.force_login(world.parent)
    client.get(url(world.child))  # the session's first page
    one, shown = _queries(client, world)
    assert shown == 2
    _fill(world, 1, 8)
    many, shown = _queries(client, world)
    assert shown == 16
    assert many == one <= 14, one


def test_linked_from_the_cards_on_the_family_home(client, world):
    for person in (world.parent, world.family_viewer):
        client.force_login(person)
        assert url(world.child) in client.get("/family/").content.decode()
    client.force_login(world.other_parent)
    assert url(world.child) not in client.get("/family/").content.decode()


def test_linked_from_the_childs_page_for_the_family(client, world):
    client.force_login(world.parent)
    assert url(world.child) in client.get(f"/children/{world.child.pk}/").content.decode()


@pytest.mark.parametrize("persona", ["teacher", "principal", "nurse"])
def test_linked_from_the_childs_page_for_the_staff(client, world, persona):
    client.force_login(world.persona(persona))
    page = client.get(f"/children/{world.child.pk}/")
    assert page.status_code == 200 and url(world.child) in page.content.decode()


def test_the_staff_see_the_answers_the_nurse_without_the_familys_file(client, world):
    answer = answer_on(world, datetime.date(2026, 11, 2), title="Đếm hạt đậu")
    client.force_login(world.teacher)
    html = client.get(url(world.child)).content.decode()
    assert "Đếm hạt đậu" in html and f"/activities/{answer.activity_id}/participation/" in html
    assert str(answer.media.pk) in html
    client.force_login(world.nurse)
    html = client.get(url(world.child)).content.decode()
    assert "Đếm hạt đậu" in html and str(answer.media.pk) not in html
