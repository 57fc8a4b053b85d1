"""A failing e-mail server or SMS gateway: attempts are counted, errors readable, retries back off, then give up."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Delivery
from tests import factories as f
from tests.notifications.conftest import at, prefer, with_phone

pytestmark = pytest.mark.django_db
State = Delivery.State
BROKEN_ADDRESS = "broken@example.test"


class HalfBrokenEmailBackend(LocmemEmailBackend):
    """Refuses mail to one address, as a mail server does with a full mailbox; delivers the rest."""

    def send_messages(self, messages):
        if any(BROKEN_ADDRESS in message.to for message in messages):
            raise ConnectionRefusedError("451 4.2.2 mailbox temporarily full")
        return super().send_messages(messages)


class DownSmsGateway:
    calls = 0

    def send(self, *, to, body):
        DownSmsGateway.calls += 1
        raise OSError("gateway unreachable")


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.HalfBrokenEmailBackend"
    mail.outbox = []
    return mail.outbox


def tell(users, run_on_commit, **extra):
    return [
        run_on_commit(
            services.notice_send,
            recipient=user,
            category=extra.get("category", "feedback"),
            title="Cô giáo đã nhận xét bài của bé",
            body="",
            dedupe_key="feedback:7",
            urgent=extra.get("urgent", False),
        )
        for user in users
    ]


def retry_until_done(clock, run_on_commit, settings, rounds):
    """Let time pass and the sweeper run, as beat does every minute."""
    for _ in range(rounds):
        clock.shift(seconds=settings.NOTIFY_RETRY_MAX_SECONDS + settings.NOTIFY_SWEEP_GRACE_SECONDS)
        run_on_commit(services.deliveries_sweep)


def test_a_failing_mail_server_is_retried_with_backoff_then_given_up(broken_mail, clock, run_on_commit, settings):
    clock.to(at(2026, 3, 2, 9, 0))
    broken = f.UserFactory(email=BROKEN_ADDRESS)
    prefer(broken, frequency="immediate")
    [notice] = tell([broken], run_on_commit)

    delivery = notice.deliveries.get()
    assert delivery.state == State.FAILED and delivery.attempts == 1
    assert delivery.last_error == "ConnectionRefusedError: 451 4.2.2 mailbox temporarily full"
    first_wait = delivery.not_before - at(2026, 3, 2, 9, 0)
    assert first_wait == datetime.timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS)

    clock.shift(seconds=settings.NOTIFY_RETRY_BASE_SECONDS + settings.NOTIFY_SWEEP_GRACE_SECONDS)
    run_on_commit(services.deliveries_sweep)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.state == State.FAILED
    second_wait = delivery.not_before - timezone.now()
    assert second_wait == 2 * first_wait  # exponential backoff

    retry_until_done(clock, run_on_commit, settings, rounds=settings.NOTIFY_MAX_ATTEMPTS)
    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP
    assert delivery.attempts == settings.NOTIFY_MAX_ATTEMPTS
    assert "mailbox temporarily full" in delivery.last_error
    assert broken_mail == []


def test_other_recipients_still_get_theirs(broken_mail, clock, run_on_commit):
    clock.to(at(2026, 3, 2, 9, 0))
    broken, fine = f.UserFactory(email=BROKEN_ADDRESS), f.UserFactory(email="fine@example.test")
    for user in (broken, fine):
        prefer(user, frequency="immediate")

    tell([broken, fine], run_on_commit)

    assert [m.to for m in broken_mail] == [["fine@example.test"]]
    assert Delivery.objects.get(notice__recipient=fine).state == State.SENT
    assert Delivery.objects.get(notice__recipient=broken).state == State.FAILED


def test_a_failing_sms_gateway_is_retried_then_given_up(settings, clock, run_on_commit, mailoutbox):
    settings.SMS_BACKEND = f"{__name__}.DownSmsGateway"
    DownSmsGateway.calls = 0
    clock.to(at(2026, 3, 2, 9, 0))
    parent = with_phone(f.UserFactory())
    prefer(parent, frequency="immediate")

    [notice] = tell([parent], run_on_commit, category="pickup")
    sms = notice.deliveries.get(channel="sms")
    assert sms.state == State.FAILED and sms.last_error == "OSError: gateway unreachable"
    # The e-mail of the same notice is not held back by the SMS.
    assert notice.deliveries.get(channel="email").state == State.SENT and len(mailoutbox) == 1

    retry_until_done(clock, run_on_commit, settings, rounds=settings.NOTIFY_MAX_ATTEMPTS)
    sms.refresh_from_db()
    assert sms.state == State.GIVEN_UP and DownSmsGateway.calls == settings.NOTIFY_MAX_ATTEMPTS


def test_the_attempt_limit_is_a_setting(broken_mail, settings, clock, run_on_commit):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    clock.to(at(2026, 3, 2, 9, 0))
    broken = f.UserFactory(email=BROKEN_ADDRESS)
    prefer(broken, frequency="immediate")
    [notice] = tell([broken], run_on_commit)

    retry_until_done(clock, run_on_commit, settings, rounds=1)
    delivery = notice.deliveries.get()
    assert delivery.state == State.GIVEN_UP and delivery.attempts == 2


def test_an_address_that_disappeared_is_given_up_at_once(clock, run_on_commit, settings):
    clock.to(at(2026, 3, 2, 9, 0))
    parent = f.UserFactory()
    prefer(parent, frequency="immediate")
    notice = services.notice_send(recipient=parent, category="feedback", title="t", body="", dedupe_key="k")
    parent.email = None
    parent.phone = "+84912345678"
    parent.save()

    run_on_commit(services.delivery_send, delivery_id=notice.deliveries.get().pk)
    delivery = notice.deliveries.get()
    assert delivery.state == State.GIVEN_UP and delivery.attempts == 1
    assert "no e-mail address" in delivery.last_error


def test_the_backoff_doubles_and_is_capped(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    settings.NOTIFY_RETRY_MAX_SECONDS = 600
    assert [services.retry_delay(n) for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_worker_queues_the_failed_ones_again_for_when_their_backoff_ends(broken_mail, clock, settings, monkeypatch):
    clock.to(at(2026, 3, 2, 9, 0))
    broken, fine = f.UserFactory(email=BROKEN_ADDRESS), f.UserFactory(email="fine@example.test")
    ids = []
    for user in (broken, fine):
        prefer(user, frequency="immediate")
        notice = services.notice_send(recipient=user, category="feedback", title="t", body="", dedupe_key="k")
        ids.append(notice.deliveries.get().pk)  # queued: its task is not run
    queued = []
    monkeypatch.setattr(
        tasks.notify_deliver_batch, "apply_async", lambda args, countdown: queued.append((args, countdown))
    )

    counts = tasks._send_and_schedule_retries(SimpleNamespace(is_eager=False), ids)

    assert counts == {State.FAILED: 1, State.SENT: 1}
    assert queued == [(([ids[0]],), settings.NOTIFY_RETRY_BASE_SECONDS)]
