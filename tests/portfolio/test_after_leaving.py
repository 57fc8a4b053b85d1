"""After the child leaves: the guardians keep the portfolio for School.portfolio_access_months, are told
30 days before it ends, and lose it the day after. (Huy left Sao Mai on 29/05/2026; Sao Mai keeps the
portfolio 12 months: the last day is 29/05/2027.)"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from notifications.models import Notice
from portfolio import after_leaving, tasks
from portfolio.policies import family_access_ends
from tests import factories as f
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2027, 5, 29)
NOTICE_DAY = datetime.date(2027, 4, 29)


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def at(day: datetime.date):
    # Noon in Vietnam.
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 5, tzinfo=datetime.UTC), tick=False)


def notices(user):
    return list(Notice.objects.filter(recipient=user, dedupe_key__startswith="portfolio:access-ends:"))


def test_the_last_day_follows_the_schools_setting(world):
    assert family_access_ends(world.left_child) == LAST_DAY
    world.school.portfolio_access_months = 3
    world.school.save(update_fields=["portfolio_access_months"])
    world.left_child.refresh_from_db()
    assert family_access_ends(world.left_child) == datetime.date(2026, 8, 29)
    assert family_access_ends(world.child) is None


def test_the_guardians_are_told_once_thirty_days_before_the_end(world):
    second = f.UserFactory(email="father@example.test", full_name="Vương Văn Nam")
    f.GuardianshipFactory(child=world.left_child, guardian=second, relationship="father", is_primary=False)
    pending = f.UserFactory(email="pending@example.test")
    f.GuardianshipFactory(child=world.left_child, guardian=pending, status="pending")

    assert after_leaving.access_ending_notify(today=NOTICE_DAY - datetime.timedelta(days=1)) == 0
    assert notices(world.former_parent) == []

    assert after_leaving.access_ending_notify(today=NOTICE_DAY) == 2
    (notice,) = notices(world.former_parent)
    assert len(notices(second)) == 1
    assert notice.category == "works"
    assert notice.url == f"/children/{world.left_child.pk}/albums/"
    # The subject names the child by the given name only.
    assert "Huy" in notice.title and "Vương" not in notice.title and "29/05/2027" in notice.title
    assert "album" in notice.body

    # Later days (and a second run the same day) add nothing, up to the last day and after.
    for day in (NOTICE_DAY, NOTICE_DAY + datetime.timedelta(days=1), LAST_DAY, LAST_DAY + datetime.timedelta(days=1)):
        assert after_leaving.access_ending_notify(today=day) == 0
    assert len(notices(world.former_parent)) == 1 and len(notices(second)) == 1
    # Nobody else: a pending claim, the families of children who attend, their viewers, the staff.
    for person in (pending, world.parent, world.family_viewer, world.other_parent, world.teacher, world.principal):
        assert notices(person) == []


def test_a_day_the_job_did_not_run_is_caught_up(world):
    assert after_leaving.access_ending_notify(today=NOTICE_DAY + datetime.timedelta(days=3)) == 1
    assert len(notices(world.former_parent)) == 1


def test_too_early_or_too_late_nothing(world):
    assert after_leaving.access_ending_notify(today=datetime.date(2026, 12, 3)) == 0
    assert after_leaving.access_ending_notify(today=LAST_DAY + datetime.timedelta(days=1)) == 0
    assert Notice.objects.count() == 0


def test_the_daily_job_runs_on_the_notifications_queue(world):
    from coordination.celery import app

    entry = app.conf.beat_schedule["portfolio-access-ending"]
    assert (
        entry["task"] == tasks.notify_portfolio_access_ending.name == "portfolio.tasks.notify_portfolio_access_ending"
    )
    assert app.amqp.router.route({}, entry["task"])["queue"].name == "notifications"
    with at(NOTICE_DAY):
        assert tasks.notify_portfolio_access_ending.apply().get() == 1
    assert len(notices(world.former_parent)) == 1


def test_read_only_access_until_the_last_day_then_404(client, world):
    work_make(
        child=world.left_child,
        by=world.teacher,
        title="Bức tranh cuối năm",
        made_on=datetime.date(2026, 5, 20),
        classroom=world.classroom,
    )
    url = f"/children/{world.left_child.pk}/portfolio/"
    with at(LAST_DAY):
        client.force_login(world.former_parent)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Bức tranh cuối năm" in html
        assert "Huy has left the school: the family can still see this portfolio until" in html
        assert f"/children/{world.left_child.pk}/albums/" in html
    with at(LAST_DAY + datetime.timedelta(days=1)):
        client.force_login(world.former_parent)
        assert client.get(url).status_code == 404
    # Other families never.
    client.force_login(world.parent)
    assert client.get(url).status_code == 404
