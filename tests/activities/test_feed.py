"""A family sees the home activities of each child's class, newest first, paged, light enough for a cheap phone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ActivityView
from tests.activities.makers import activity_make, answer_make, clip_make, photo_make
from tests.conftest import requires_binary

pytestmark = pytest.mark.django_db


def feed(client, child, page: int | None = None):
    suffix = f"?page={page}" if page else ""
    return client.get(f"/children/{child.pk}/activities/{suffix}")


def test_the_feed_shows_the_class_activities_newest_first_and_nothing_else(client, world):
    now = timezone.now()
    older = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        title="Đếm hạt đậu",
        published_at=now - datetime.timedelta(days=2),
    )
    newer = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Gấp thuyền")
    activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], title="Bản nháp", published=False
    )
    activity_make(school=world.school, by=world.other_teacher, classrooms=[world.other_classroom], title="Lớp khác")
    client.force_login(world.parent)

    page = feed(client, world.child).content.decode()

    assert page.index(newer.title) < page.index(older.title)
    assert "Bản nháp" not in page and "Lớp khác" not in page
    # The sibling's class (Mầm 1) has no activity: its feed is empty.
    assert "Gấp thuyền" not in feed(client, world.sibling).content.decode()


def test_another_family_cannot_open_the_feed(client, world):
    client.force_login(world.other_parent)
    assert feed(client, world.child).status_code == 404


def test_the_feed_is_paged(client, world):
    start = timezone.now() - datetime.timedelta(days=30)
    for n in range(12):
        activity_make(
            school=world.school,
            by=world.teacher,
            classrooms=[world.classroom],
            title=f"Hoạt động số {n:02d}",
            published_at=start + datetime.timedelta(days=n),
        )
    client.force_login(world.parent)
    first = feed(client, world.child).content.decode()
    assert "Hoạt động số 11" in first and "Hoạt động số 02" in first and "Hoạt động số 01" not in first
    assert 'rel="next"' in first
    second = feed(client, world.child, page=2).content.decode()
    assert "Hoạt động số 01" in second and "Hoạt động số 00" in second and "Hoạt động số 11" not in second


def _queries(client, child) -> tuple[int, int]:
    """Queries of the feed with none of its cards cached yet, and once they are."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert feed(client, child).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert feed(client, child).status_code == 200
    return len(cold), len(warm)


def test_the_feed_runs_the_same_number_of_queries_with_1_and_100_activities(client, world, classmate, classmate_parent):
    video = photo_make(school=world.school, by=world.teacher)
    first = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], photos=[video])
    answer_make(activity=first, child=world.child, by=world.parent)
    client.force_login(world.parent)
    feed(client, world.child)  # a first request warms up sessions and caches
    with_one = _queries(client, world.child)

    for n in range(99):
        activity = activity_make(
            school=world.school,
            by=world.teacher,
            classrooms=[world.classroom],
            title=f"Hoạt động {n}",
            photos=[photo_make(school=world.school, by=world.teacher)] if n % 10 == 0 else [],
        )
        if n % 3 == 0:
            answer_make(activity=activity, child=world.child, by=world.parent)
        if n % 2 == 0:
            answer_make(activity=activity, child=classmate, by=classmate_parent)
            ActivityView.objects.create(school=world.school, activity=activity, child=world.child)
    with_hundred = _queries(client, world.child)

    assert with_one == with_hundred
    cold, warm = with_hundred
    # Once the page is cached, its activities cost no query at all: the session, the user, the
    # family's children, the child, the menu's roles and the bell remain.
    assert cold <= 10 and warm <= 6


def _static_size(path: str) -> int:
    with open(finders.find(path), "rb") as fh:
        return len(fh.read())


def test_the_feed_stays_light_for_a_slow_phone(client, world):
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    for n in range(10):
        activity_make(
            school=world.school,
            by=world.teacher,
            classrooms=[world.classroom],
            title=f"Hoạt động {n}",
            instructions="Hướng dẫn rất dài cho phụ huynh. " * 40,
            video=clip_make(school=world.school, by=world.teacher) if n < 2 else None,
            photos=[] if n < 2 else [photo_make(school=world.school, by=world.teacher)],
        )
    client.force_login(world.parent)
    html = feed(client, world.child).content.decode()

    scripts = re.findall(r'<script[^>]+src="/static/([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    weight = len(html.encode()) + sum(_static_size(p) for p in scripts + styles)
    assert weight < 100 * 1024, weight
    # Videos load nothing until played; photos only when scrolled to.
    assert html.count("<video") == 2 and html.count('preload="none"') == 2
    assert html.count('loading="lazy"') == 8


def test_opening_an_activity_records_that_the_family_viewed_it_for_each_child(client, world):
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom, world.sibling.classroom]
    )
    client.force_login(world.parent)
    assert client.get(f"/activities/{activity.pk}/").status_code == 200
    client.get(f"/activities/{activity.pk}/")
    views = ActivityView.objects.filter(activity=activity)
    assert sorted(views.values_list("child_id", flat=True)) == sorted([world.child.pk, world.sibling.pk])
    assert {v.guardian for v in views} == {world.parent}

    client.force_login(world.teacher)
    client.get(f"/activities/{activity.pk}/")
    assert views.count() == 2


def test_a_changed_activity_shows_its_new_text_in_every_language(client, world):
    from activities.models import Activity

    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Tên cũ")
    client.force_login(world.parent)
    assert "Tên cũ" in feed(client, world.child).content.decode()
    # A principal fixes the title in the admin: the next feed shows it, not the card kept from before.
    activity = Activity.objects.get(pk=activity.pk)
    activity.title, activity.domain = "Tên mới", "language"
    activity.save()
    page = feed(client, world.child).content.decode()
    assert "Tên mới" in page and "Tên cũ" not in page
    client.cookies.load({"django_language": "en"})
    english = feed(client, world.child).content.decode()
    assert "Language development" in english and "Tên mới" in english


def test_the_cached_feed_follows_answers_openings_feedback_and_new_activities(
    client, world, django_capture_on_commit_callbacks
):
    from activities import services
    from activities.models import Activity

    first = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Thứ nhất")
    client.force_login(world.parent)
    page = feed(client, world.child).content.decode()
    assert 'class="card activity unread"' in page and "/answer/" in page

    client.get(f"/activities/{first.pk}/")  # opened: no longer marked new
    assert 'class="card activity unread"' not in feed(client, world.child).content.decode()

    photo = photo_make(school=world.school, by=world.parent)
    answer = services.answer_create(activity=first, child=world.child, by=world.parent, media=photo.pk)
    page = feed(client, world.child).content.decode()
    assert "/answer/" not in page and "badge ok" in page

    services.answer_feedback(answer=answer, by=world.teacher, sticker="heart")
    assert "sticker-heart" in feed(client, world.child).content.decode()

    second = photo_make(school=world.school, by=world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_create(
            school=world.school,
            by=world.teacher,
            title="Thứ hai",
            instructions="…",
            domain="language",
            age_group="la",
            classrooms=[world.classroom],
            photos=[second.pk],
            publish=True,
        )
    page = feed(client, world.child).content.decode()
    assert page.index("Thứ hai") < page.index("Thứ nhất")

    Activity.objects.get(title="Thứ hai").delete()  # a principal takes it down in the admin
    assert "Thứ hai" not in feed(client, world.child).content.decode()
