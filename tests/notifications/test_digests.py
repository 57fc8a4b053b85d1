"""Daily and weekly digests: one e-mail with everything pending, once per period, in a few queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.models import Delivery, DigestRun
from notifications.selectors import preference_for
from tests import factories as f
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db
State = Delivery.State


def tell(user, n, run_on_commit, **extra):
    return run_on_commit(
        services.notice_send,
        recipient=user,
        category=extra.pop("category", "activity"),
        title=f"Hoạt động số {n}",
        body=f"Nội dung {n}",
        url=f"/family/?activity={n}",
        dedupe_key=f"activity:{n}",
        **extra,
    )


def test_daily_digest_at_18_00_lists_every_pending_notice_once(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 8, 0))
    parent = f.UserFactory(email="hoa@example.test")  # daily at 18:00 by default
    for n in (1, 2, 3):
        tell(parent, n, run_on_commit)
        clock.shift(hours=1)
    assert mailoutbox == []

    clock.to(at(2026, 3, 2, 17, 45))
    assert services.digests_send() == 0

    clock.to(at(2026, 3, 2, 18, 0))
    assert services.digests_send() == 1
    [message] = mailoutbox
    assert message.to == ["hoa@example.test"]
    text, html = message.body, message.alternatives[0][0]
    for n in (1, 2, 3):
        assert f"Hoạt động số {n}" in text and f"Hoạt động số {n}" in html
    assert "http://127.0.0.1:8000/family/?activity=2" in text
    assert set(Delivery.objects.values_list("state", flat=True)) == {State.SENT}
    run = DigestRun.objects.get()
    assert run.period_key == "daily:2026-03-02" and run.notice_count == 3 and run.sent_at

    clock.to(at(2026, 3, 2, 18, 15))
    assert services.digests_send() == 0
    assert len(mailoutbox) == 1


def test_a_notice_after_the_digest_waits_for_the_next_one(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 17, 0))
    parent = f.UserFactory()
    tell(parent, 1, run_on_commit)
    clock.to(at(2026, 3, 2, 18, 0))
    services.digests_send()

    clock.to(at(2026, 3, 2, 18, 5))
    tell(parent, 2, run_on_commit)
    clock.to(at(2026, 3, 2, 20, 0))
    assert services.digests_send() == 0

    clock.to(at(2026, 3, 3, 18, 0))
    assert services.digests_send() == 1
    assert len(mailoutbox) == 2 and "Hoạt động số 2" in mailoutbox[1].body and "số 1" not in mailoutbox[1].body


def test_nothing_pending_means_no_digest(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 18, 0))
    f.UserFactory()
    assert services.digests_send() == 0
    assert mailoutbox == [] and not DigestRun.objects.exists()


def test_weekly_digest_on_the_chosen_day(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 9, 0))  # a Monday
    parent = f.UserFactory()
    prefer(parent, frequency="weekly", digest_weekday=6)  # Sunday, 18:00
    tell(parent, 1, run_on_commit)
    clock.to(at(2026, 3, 5, 9, 0))
    tell(parent, 2, run_on_commit)

    for day in (2, 3, 4, 5, 6, 7):
        clock.to(at(2026, 3, day, 18, 0))
        assert services.digests_send() == 0, day

    clock.to(at(2026, 3, 8, 18, 0))  # Sunday
    assert services.digests_send() == 1
    assert "Hoạt động số 1" in mailoutbox[0].body and "Hoạt động số 2" in mailoutbox[0].body
    assert DigestRun.objects.get().period_key == "weekly:2026-03-08"
    clock.to(at(2026, 3, 8, 20, 0))
    assert services.digests_send() == 0


def test_a_missed_weekly_digest_goes_out_at_the_next_run(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 9, 0))
    parent = f.UserFactory()
    prefer(parent, frequency="weekly", digest_weekday=6)
    tell(parent, 1, run_on_commit)
    clock.to(at(2026, 3, 9, 7, 0))  # beat was down all Sunday evening
    assert services.digests_send() == 1


def test_urgent_notices_bypass_the_digest(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory()
    tell(parent, 1, run_on_commit)
    tell(parent, 2, run_on_commit, category="announcement", urgent=True)
    assert len(mailoutbox) == 1 and "Hoạt động số 2" in mailoutbox[0].subject

    clock.to(at(2026, 3, 2, 18, 0))
    services.digests_send()
    assert len(mailoutbox) == 2
    assert "Hoạt động số 1" in mailoutbox[1].body and "Hoạt động số 2" not in mailoutbox[1].body


def test_urgent_never_uses_a_channel_switched_off(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory()
    prefer(parent, email_off=["announcement"])
    notice = tell(parent, 1, run_on_commit, category="announcement", urgent=True)
    assert not notice.deliveries.exists() and mailoutbox == []


def test_a_digest_inside_quiet_hours_waits_for_the_morning(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory()
    prefer(parent, digest_time=datetime.time(22, 0))
    tell(parent, 1, run_on_commit)

    clock.to(at(2026, 3, 2, 22, 0))
    assert services.digests_send() == 0
    clock.to(at(2026, 3, 3, 6, 30))
    assert services.digests_send() == 1
    assert DigestRun.objects.get().period_key == "daily:2026-03-02"


def test_the_query_count_does_not_grow_with_the_number_of_people(clock, run_on_commit, mailoutbox):
    def digest_queries(people: int) -> int:
        clock.to(at(2026, 3, 2, 10, 0))
        users = [f.UserFactory() for _ in range(people)]
        for user in users:
            for n in (1, 2):
                tell(user, n, run_on_commit)
        clock.to(at(2026, 3, 2, 18, 0))
        with CaptureQueriesContext(connection) as queries:
            assert services.digests_send() == people
        Delivery.objects.all().delete()
        DigestRun.objects.all().delete()
        return len(queries)

    assert digest_queries(1) == digest_queries(6)


def test_batches_of_people(clock, run_on_commit, mailoutbox, settings):
    settings.NOTIFY_DIGEST_BATCH_SIZE = 2
    clock.to(at(2026, 3, 2, 10, 0))
    users = [f.UserFactory() for _ in range(5)]
    for user in users:
        tell(user, 1, run_on_commit)
    clock.to(at(2026, 3, 2, 18, 0))
    assert services.digests_send() == 5
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)


def test_two_digest_jobs_at_once_send_one_email(clock, run_on_commit, mailoutbox):
    """The second job finds the (person, period) already claimed."""
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory()
    tell(parent, 1, run_on_commit)
    clock.to(at(2026, 3, 2, 18, 0))
    DigestRun.objects.create(
        user=parent, period_key="daily:2026-03-02", slot_at=at(2026, 3, 2, 18, 0), claim_token="0" * 32
    )
    assert services.digests_send() == 0
    assert mailoutbox == []
    assert Delivery.objects.get().state == State.QUEUED


def test_a_failed_digest_is_tried_again_then_given_up(clock, run_on_commit, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_retries.HalfBrokenEmailBackend"
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory(email="broken@example.test")
    tell(parent, 1, run_on_commit)

    clock.to(at(2026, 3, 2, 18, 0))
    assert services.digests_send() == 0
    delivery = Delivery.objects.get()
    assert delivery.state == State.QUEUED and delivery.attempts == 1
    assert "mailbox temporarily full" in delivery.last_error
    assert not DigestRun.objects.exists()  # the period stays open for the next run

    for _ in range(settings.NOTIFY_MAX_ATTEMPTS):
        clock.shift(minutes=15)
        services.digests_send()
    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP and delivery.attempts == settings.NOTIFY_MAX_ATTEMPTS


def test_switching_to_immediate_sends_what_waited_for_the_digest(clock, run_on_commit, mailoutbox, client):
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory()
    tell(parent, 1, run_on_commit)
    assert mailoutbox == []
    preference = preference_for(user=parent)
    run_on_commit(
        services.preference_update,
        user=parent,
        channels={},
        frequency="immediate",
        digest_time=preference.digest_time,
        digest_weekday=preference.digest_weekday,
        quiet_start=preference.quiet_start,
        quiet_end=preference.quiet_end,
        language="vi",
    )
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().state == State.SENT
