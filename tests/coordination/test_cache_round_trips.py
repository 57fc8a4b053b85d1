"""How many times a warm daily page talks to Redis: a fixed number, whatever the page shows.

Every round trip to the cache costs about as much as a small query on the loopback, and the pages
families open every day are read far more often than anything on them changes. Warm, each of these
pages reads the session, then the person's values together with whatever the page names ahead from
its address (`percache.read_along_request`): the feed's page and child version, the work's school.
The feed and the work page then read their kept parts with the generations of the person's schools
in one more trip: those keys name the schools, which only the person's values tell. No page writes.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.utils import timezone

from activities.feedcache import PER_PAGE
from portfolio.build import work_qr_build
from reports.area import area_build
from reports.models import Figure
from tests.activities.makers import activity_make
from tests.conftest import requires_redis
from tests.portfolio.printing_makers import work_make
from tests.reports.area_fixtures import fake_section  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _redis_cache():
    requires_redis()
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("the cache is Redis only with REDIS_URL set")


@contextmanager
def round_trips():
    """The commands sent to Redis inside the block, a pipeline counted as one."""
    import redis
    from redis.client import Pipeline

    sent: list[str] = []
    execute_command, execute = redis.Redis.execute_command, Pipeline.execute

    def one(self, *args, **options):
        sent.append(str(args[0]))
        return execute_command(self, *args, **options)

    def pipeline(self, *args, **options):
        sent.append("PIPELINE " + " ".join(str(command[0][0]) for command in self.command_stack))
        return execute(self, *args, **options)

    redis.Redis.execute_command, Pipeline.execute = one, pipeline
    try:
        yield sent
    finally:
        redis.Redis.execute_command, Pipeline.execute = execute_command, execute


def warm(client, url: str) -> list[str]:
    for _visit in range(2):  # the first fills the cache, the second keeps what the page reads ahead
        assert client.get(url).status_code == 200
    with round_trips() as sent:
        assert client.get(url).status_code == 200
    return sent


def test_the_childs_feed_reads_the_cache_three_times_with_one_activity_or_a_full_page(world, client):
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/activities/"
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    one = warm(client, url)
    for _n in range(PER_PAGE + 2):
        activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    many = warm(client, url)
    assert one == many == ["GET", "MGET", "MGET"], (one, many)


def test_a_work_page_reads_the_cache_three_times(world, client):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy")
    work_qr_build(work_id=work.pk)
    work.refresh_from_db()
    client.force_login(world.parent)
    assert warm(client, f"/w/{work.token}") == ["GET", "MGET", "MGET"]


@pytest.mark.usefixtures("fake_section")
def test_the_commune_dashboard_reads_the_cache_twice(world, client):
    Figure.objects.create(
        school=world.school,
        month=datetime.date(2026, 10, 1),
        section="reports",
        metric="posted",
        group="",
        value=12,
        computed_at=timezone.now(),
    )
    area_build(province=world.school.authority.province, year_start=2026)
    client.force_login(world.officer)
    assert warm(client, "/reports/area/thuy-nguyen/?period=2026-10") == ["GET", "MGET"]


@pytest.mark.parametrize("url", ["/family/", "/menus/"])
def test_the_family_home_and_menu_read_the_cache_a_fixed_number_of_times(world, client, url):
    client.force_login(world.parent)
    sent = warm(client, url)
    assert sent[0] == "GET" and len(sent) <= 3, sent
