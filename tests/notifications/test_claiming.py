"""Two workers never send the same delivery; a dead worker's delivery is taken over after its lease."""

import datetime
import threading

import pytest
from django.db import connection

from notifications import services
from notifications.models import Delivery, Notice
from tests import factories as f
from tests.conftest import requires_postgres
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db
State = Delivery.State


@pytest.fixture
def delivery(clock):
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory()
    prefer(parent, frequency="immediate")
    # Not run on commit: the delivery stays queued, as if its task were in the broker.
    notice = services.notice_send(recipient=parent, category="feedback", title="t", body="b", dedupe_key="k")
    return notice.deliveries.get()


def test_a_second_claim_of_the_same_delivery_does_nothing(delivery):
    first = services.delivery_claim(delivery_id=delivery.pk)
    second = services.delivery_claim(delivery_id=delivery.pk)

    assert first is not None and first.state == State.SENDING and first.attempts == 1
    assert second is None
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1


def test_an_expired_lease_can_be_reclaimed(delivery, clock, settings):
    first = services.delivery_claim(delivery_id=delivery.pk)
    clock.shift(seconds=settings.NOTIFY_LEASE_SECONDS - 1)
    assert services.delivery_claim(delivery_id=delivery.pk) is None

    clock.shift(seconds=2)
    second = services.delivery_claim(delivery_id=delivery.pk)
    assert second is not None and second.attempts == 2 and second.claimed_at > first.claimed_at


def test_the_first_worker_cannot_finish_what_was_taken_over(delivery, clock, settings):
    first = services.delivery_claim(delivery_id=delivery.pk)
    clock.shift(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
    second = services.delivery_claim(delivery_id=delivery.pk)

    assert services._still_ours(first).update(state=State.SENT) == 0
    assert services._still_ours(second).update(state=State.SENT) == 1


def test_a_delivery_is_not_claimed_before_it_is_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(not_before=delivery.not_before + datetime.timedelta(minutes=5))
    assert services.delivery_claim(delivery_id=delivery.pk) is None


def test_a_sent_delivery_is_never_claimed_again(delivery, mailoutbox):
    assert services.delivery_send(delivery_id=delivery.pk).state == State.SENT
    assert services.delivery_send(delivery_id=delivery.pk).state == "skipped"
    assert len(mailoutbox) == 1


def test_the_sweeper_resends_what_a_dead_worker_held(delivery, clock, settings, mailoutbox, run_on_commit):
    services.delivery_claim(delivery_id=delivery.pk)  # the worker dies here, before sending
    clock.shift(seconds=30)
    assert services.deliveries_sweep() == 0

    clock.shift(seconds=settings.NOTIFY_LEASE_SECONDS)
    assert run_on_commit(services.deliveries_sweep) == 1
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 2
    assert len(mailoutbox) == 1


def test_the_same_message_id_on_every_attempt(delivery, clock, settings, mailoutbox):
    """A worker killed after sending: the second copy carries the same Message-ID, so it can be dropped."""
    claimed = services.delivery_claim(delivery_id=delivery.pk)
    from notifications.channels import deliver

    deliver(claimed)  # sent, then the worker is killed before recording it
    clock.shift(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
    services.delivery_send(delivery_id=delivery.pk)

    assert len(mailoutbox) == 2
    assert mailoutbox[0].extra_headers["Message-ID"] == mailoutbox[1].extra_headers["Message-ID"]
    assert Delivery.objects.get(pk=delivery.pk).state == State.SENT


def test_a_worker_dying_on_the_last_attempt_gives_up(delivery, clock, settings):
    Delivery.objects.filter(pk=delivery.pk).update(attempts=settings.NOTIFY_MAX_ATTEMPTS - 1)
    services.delivery_claim(delivery_id=delivery.pk)
    clock.shift(seconds=settings.NOTIFY_LEASE_SECONDS + 1)

    services.deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP and "last attempt" in delivery.last_error


def test_the_sweeper_leaves_fresh_deliveries_to_their_task(delivery, clock, settings):
    assert services.deliveries_sweep() == 0  # just queued: its task is on the way
    clock.shift(seconds=settings.NOTIFY_SWEEP_GRACE_SECONDS + 1)
    assert services.deliveries_sweep() == 1  # its task was lost


def test_racing_workers_on_postgres_claim_once(transactional_db):
    """Eight threads, each with its own connection, claim the same delivery at the same moment."""
    requires_postgres()
    notice = Notice.objects.create(recipient=f.UserFactory(), category="feedback", title="t", dedupe_key="k")
    delivery = Delivery.objects.create(notice=notice, channel="email")
    start = threading.Barrier(8)
    winners = []

    def worker():
        try:
            start.wait()
            if services.delivery_claim(delivery_id=delivery.pk) is not None:
                winners.append(threading.get_ident())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(winners) == 1
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1
