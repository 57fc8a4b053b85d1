"""How many times a warm daily page talks to Redis: a fixed number, whatever the page shows.

Every round trip to the cache costs about as much as a small query on the loopback, and the pages
families open every day are read far more often than anything on them changes. Warm, each of these
pages reads the session together with the list of keys the page read late on the person's last visit
(kept in the cache per session and address: `percache.ahead_name`), then, in one more trip, the
person's values, whatever the page names ahead from its address (`percache.read_along_request`: the
feed's page and child version, the work's school) and those keys (its kept parts with the generations
of the person's schools, which only the person's values name). No page writes.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from activities.feedcache import PER_PAGE
from activities.services import Publication, activity_publish
from coordination.lib import percache
from portfolio.build import work_qr_build
from reports.area import area_build
from reports.models import Figure
from tests.activities.makers import activity_make, photo_make
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


def test_the_childs_feed_reads_the_cache_twice_with_one_activity_or_a_full_page(world, client):
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/activities/"
    activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    one = warm(client, url)
    for _n in range(PER_PAGE + 2):
        activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    many = warm(client, url)
    assert one == many == ["MGET", "MGET"], (one, many)
    # The list is in the cache, not in this process: another process serving the person reads it too.
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert any("frag:" in name for name in cache.get(percache.ahead_name(session_key, url)))
    # What was read ahead is still checked against what changed since: a new activity shows at once.
    fresh = activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        title="Trồng cây đậu xanh",
        published=False,
        photos=[photo_make(school=world.school, by=world.teacher)],
    )
    assert activity_publish(activity=fresh, by=world.teacher) == Publication.PUBLISHED
    assert fresh.title in client.get(url).content.decode()


def test_a_work_page_reads_the_cache_twice(world, client):
    work = work_make(child=world.child, by=world.teacher, title="Con thuyền giấy")
    work_qr_build(work_id=work.pk)
    work.refresh_from_db()
    client.force_login(world.parent)
    assert warm(client, f"/w/{work.token}") == ["MGET", "MGET"]


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
    assert warm(client, "/reports/area/thuy-nguyen/?period=2026-10") == ["MGET", "MGET"]


@pytest.mark.parametrize("url", ["/family/", "/menus/"])
def test_the_family_home_and_menu_read_the_cache_twice(world, client, url):
    client.force_login(world.parent)
    assert warm(client, url) == ["MGET", "MGET"]


def test_a_guess_no_longer_asked_for_is_dropped_and_a_late_read_is_learned():
    from coordination.lib.percache import _Learned

    learned = _Learned(size=2, per_page=3)
    learned.update((1, "/a/"), guessed=(), asked={"k1"}, late=["k1"])
    assert learned.get((1, "/a/")) == ("k1",)
    # Yesterday's key is not asked for today: it goes, today's comes.
    learned.update((1, "/a/"), guessed=("k1",), asked={"k2"}, late=["k2"])
    assert learned.get((1, "/a/")) == ("k2",)
    learned.update((1, "/a/"), guessed=("k2",), asked=set(), late=[])
    assert learned.get((1, "/a/")) == ()
    # Bounded: the address used least recently goes first, and a page keeps a few keys only.
    learned.update((1, "/a/"), guessed=(), asked=set(), late=["a1", "a2", "a3", "a4"])
    learned.update((2, "/a/"), guessed=(), asked=set(), late=["b"])
    learned.update((3, "/a/"), guessed=(), asked=set(), late=["c"])
    assert learned.get((1, "/a/")) == () and learned.get((3, "/a/")) == ("c",)
    learned.update((4, "/b/"), guessed=(), asked=set(), late=["a1", "a2", "a3", "a4"])
    assert learned.get((4, "/b/")) == ("a1", "a2", "a3")


def test_the_transparency_board_read_by_nobody_signed_in_reads_the_cache_once(world, client):
    # No session and no person: the school by its address and the kept campaigns, learnt from the
    # visit before, in one round trip (the anonymous empty page makes none).
    assert warm(client, f"/schools/{world.school.slug}/transparency/") == ["MGET"]
    # A change of the school shows at once all the same.
    world.school.name = "Trường Mầm non Hoa Sen"
    world.school.save()
    assert "Trường Mầm non Hoa Sen" in client.get(f"/schools/{world.school.slug}/transparency/").content.decode()
