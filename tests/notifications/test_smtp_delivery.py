"""E-mails through the portal's SMTP backend: each delivery is recorded as sent before its message ends.

Deliveries go a batch at a time over a real SMTP server on 127.0.0.1; what
one recipient's server answers is recorded on that delivery alone.
"""

from __future__ import annotations

import datetime
import email
import time
from email import policy

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from notifications import channels, services
from notifications.models import Delivery, DigestRun, Notice
from tests import factories as f
from tests.conftest import requires_postgres
from tests.notifications.conftest import at, prefer
from tests.notifications.smtp_server import SmtpServer

pytestmark = pytest.mark.django_db
State = Delivery.State


@pytest.fixture
def server(settings):
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "coordination.lib.mail.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_PARALLEL_CONNECTIONS = 3
        yield server


def deliveries(*emails: str, title="Họp phụ huynh đầu năm") -> list[Delivery]:
    """Queued e-mail deliveries of one notice each (their tasks are not run)."""
    made = []
    for address in emails:
        parent = f.UserFactory(email=address)
        prefer(parent, frequency="immediate")
        notice = services.notice_send(
            recipient=parent, category="announcement", title=title, body="Thứ Bảy, 8 giờ.", dedupe_key="meeting"
        )
        made.append(notice.deliveries.get())
    return made


def wait_a_moment() -> None:
    time.sleep(0.3)  # for a message the server should not have, to show up if it does


def test_a_batch_goes_over_smtp_with_each_delivery_s_message_id(server, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    batch = deliveries(*[f"family{i}@example.test" for i in range(7)])

    outcome = services.deliveries_send(delivery_ids=[d.pk for d in batch])

    assert outcome.counts() == {State.SENT: 7}
    assert sorted(item.message_id for item in server.received()) == sorted(d.message_id for d in batch)
    for delivery in batch:
        delivery.refresh_from_db()
        assert delivery.state == State.SENT and delivery.attempts == 1 and delivery.sent_at is not None


def test_the_message_on_the_wire_is_the_message_django_builds(server, clock, settings):
    """Copies of one content are flattened once; each must still be the e-mail notice_email() describes."""
    settings.SITE_URL = "https://portal.example.org"
    clock.to(at(2026, 3, 2, 10, 0))
    one, other = deliveries("hoa@example.test", "lan@example.test")

    to, data = channels.notice_email_data(delivery=other)
    wire = email.message_from_bytes(data, policy=policy.default)
    built = email.message_from_bytes(
        channels.notice_email(delivery=other).message().as_bytes(linesep="\r\n"), policy=policy.default
    )

    assert to == "lan@example.test"
    for header in ("Subject", "From", "To", "Message-ID", "Content-Language", "MIME-Version"):
        assert wire[header] == built[header], header
    assert wire["Message-ID"] == other.message_id != one.message_id
    assert wire["Date"]
    assert [part.get_content() for part in wire.iter_parts()] == [part.get_content() for part in built.iter_parts()]


def test_a_refused_recipient_fails_alone(server, clock, settings):
    clock.to(at(2026, 3, 2, 10, 0))
    server.handler.refuse_rcpt["full@example.test"] = "452 4.2.2 mailbox full"
    server.handler.refuse_rcpt["gone@example.test"] = "550 5.1.1 no such user"
    fine, full, gone = deliveries("fine@example.test", "full@example.test", "gone@example.test")

    services.deliveries_send(delivery_ids=[fine.pk, full.pk, gone.pk])

    for delivery in (fine, full, gone):
        delivery.refresh_from_db()
    assert fine.state == State.SENT
    # Mailbox full: tried again after the backoff; no such user: given up at once.
    assert full.state == State.FAILED and "452" in full.last_error and full.sent_at is None
    assert full.not_before == timezone.now() + datetime.timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS)
    assert gone.state == State.GIVEN_UP and "no such user" in gone.last_error
    assert [item.recipients for item in server.received()] == [("fine@example.test",)]


@pytest.mark.parametrize(
    ("reply", "state"), [("451 4.3.0 try again later", State.FAILED), ("554 5.7.1 rejected as spam", State.GIVEN_UP)]
)
def test_a_refusal_at_the_end_undoes_the_sent_mark(server, clock, reply, state):
    clock.to(at(2026, 3, 2, 10, 0))
    server.handler.refuse_data["spam@example.test"] = reply
    refused, fine = deliveries("spam@example.test", "fine@example.test")

    outcome = services.deliveries_send(delivery_ids=[refused.pk, fine.pk])

    refused.refresh_from_db()
    assert refused.state == state and refused.sent_at is None and reply[4:] in refused.last_error
    assert outcome.outcomes[fine.pk].state == State.SENT
    assert [item.recipients for item in server.received()] == [("fine@example.test",)]


def test_a_failed_commit_sends_nothing_and_leaves_the_deliveries_claimable(server, clock, monkeypatch):
    clock.to(at(2026, 3, 2, 10, 0))
    batch = deliveries("hoa@example.test", "lan@example.test")

    def database_gone(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_deliveries_mark_sent_sql", database_gone)
        with pytest.raises(DatabaseError):
            services.deliveries_send(delivery_ids=[d.pk for d in batch])
    wait_a_moment()
    assert server.received() == []
    assert set(Delivery.objects.values_list("state", "attempts")) == {(State.QUEUED, 0)}

    services.deliveries_send(delivery_ids=[d.pk for d in batch])
    assert sorted(item.recipients[0] for item in server.received()) == ["hoa@example.test", "lan@example.test"]


def test_a_delivery_taken_over_meanwhile_is_dropped_before_its_end(server, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    [delivery] = deliveries("hoa@example.test")
    [claimed] = services.deliveries_claim(delivery_ids=[delivery.pk])
    # This worker's lease ran out and another one claimed the delivery.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=claimed.claimed_at + datetime.timedelta(minutes=6))

    connection = channels.email_connection()
    outcomes = list(channels.deliver_all([claimed], connection=connection, commit=services._deliveries_mark_sent))
    connection.close()
    wait_a_moment()

    assert isinstance(outcomes[0][1], channels.TakenOver)
    assert server.received() == []
    assert Delivery.objects.get(pk=delivery.pk).state == State.SENDING  # the other worker's to send


def test_an_unreachable_server_fails_the_batch_without_trying_each(settings, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    with SmtpServer() as gone:
        port = gone.port
    settings.EMAIL_BACKEND = "coordination.lib.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    batch = deliveries("hoa@example.test", "lan@example.test", "mai@example.test")

    outcome = services.deliveries_send(delivery_ids=[d.pk for d in batch])

    assert outcome.counts() == {State.FAILED: 3}
    errors = list(Delivery.objects.order_by("pk").values_list("last_error", flat=True))
    assert "Connection refused" in errors[0] and "not tried" in errors[1] and "not tried" in errors[2]


def test_on_postgres_the_end_goes_while_the_commit_is_on_its_way(transactional_db, server, clock):
    """The e-mails are ended once COMMIT has gone to PostgreSQL and before its answer: not a round trip later."""
    requires_postgres()
    import psycopg2.extensions
    from django.db import connection

    clock.to(at(2026, 3, 2, 10, 0))
    # Made by hand: here a notice's e-mail would be sent at once, on commit.
    batch = [
        Delivery.objects.create(
            notice=Notice.objects.create(recipient=f.UserFactory(), category="events", title="t", dedupe_key="k"),
            channel="email",
        )
        for _ in range(2)
    ]
    claimed = services.deliveries_claim(delivery_ids=[d.pk for d in batch])
    seen = []

    def end(pks):
        seen.append((set(pks), connection.connection.get_transaction_status()))

    recorded = services._deliveries_mark_sent(claimed, end)

    assert recorded == {d.pk for d in batch}
    assert seen == [(recorded, psycopg2.extensions.TRANSACTION_STATUS_ACTIVE)]  # COMMIT still in progress
    assert connection.get_autocommit() and not connection.in_atomic_block
    assert set(Delivery.objects.values_list("state", flat=True)) == {State.SENT}


def test_inside_a_transaction_the_end_follows_the_update(server, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    batch = deliveries("hoa@example.test")
    claimed = services.deliveries_claim(delivery_ids=[batch[0].pk])
    seen = []
    with transaction.atomic():
        recorded = services._deliveries_mark_sent(claimed, seen.append)
    assert seen == [recorded] == [{batch[0].pk}]


# --- Digests over the same two-phase backend ------------------------------------------------------


def digest_waiting(*emails: str) -> list:
    """People with two notices each waiting for their daily digest (18:00)."""
    people = []
    for address in emails:
        parent = f.UserFactory(email=address)
        for n in (1, 2):
            services.notice_send(
                recipient=parent, category="activity", title=f"Hoạt động {n}", body="", dedupe_key=f"activity:{n}"
            )
        people.append(parent)
    return people


def test_digests_are_recorded_before_their_end(server, clock):
    clock.to(at(2026, 3, 2, 9, 0))
    people = digest_waiting(*[f"family{i}@example.test" for i in range(5)])
    clock.to(at(2026, 3, 2, 18, 0))

    assert services.digests_send() == 5

    assert sorted(item.recipients[0] for item in server.received()) == [p.email for p in people]
    assert sorted(item.message_id for item in server.received()) == sorted(
        r.message_id for r in DigestRun.objects.all()
    )
    assert set(DigestRun.objects.values_list("notice_count", flat=True)) == {2}
    assert not DigestRun.objects.filter(sent_at__isnull=True).exists()
    assert set(Delivery.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_digest_job_that_dies_before_the_record_sends_nothing_and_the_next_job_sends_it_once(
    server, clock, monkeypatch
):
    clock.to(at(2026, 3, 2, 9, 0))
    digest_waiting("hoa@example.test", "lan@example.test")
    clock.to(at(2026, 3, 2, 18, 0))

    def database_gone(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    # The job dies at its commit: the bodies went, their ends did not.
    with monkeypatch.context() as patch:
        patch.setattr(services, "_deliveries_mark_sent_sql", database_gone)
        with pytest.raises(DatabaseError):
            services.digests_send()
    wait_a_moment()
    assert server.received() == []
    assert DigestRun.objects.filter(sent_at__isnull=True).count() == 2  # the periods it had claimed

    # Until the sweeper frees them, nobody else sends those periods ...
    assert services.digests_send() == 0
    # ... and once the dead job's lease is over, the next job sends each digest once.
    clock.shift(minutes=6)
    services.deliveries_sweep()
    assert services.digests_send() == 2
    assert sorted(item.recipients[0] for item in server.received()) == ["hoa@example.test", "lan@example.test"]
    assert set(DigestRun.objects.values_list("period_key", "notice_count")) == {("daily:2026-03-02", 2)}
    assert set(Delivery.objects.values_list("state", flat=True)) == {State.SENT}


@pytest.mark.parametrize(
    ("reply", "state"), [("550 5.1.1 No such mailbox", State.GIVEN_UP), ("451 4.3.0 Try later", State.QUEUED)]
)
def test_a_digest_refused_at_its_end_undoes_its_record(server, clock, reply, state):
    clock.to(at(2026, 3, 2, 9, 0))
    digest_waiting("refused@example.test", "fine@example.test")
    clock.to(at(2026, 3, 2, 18, 0))
    server.handler.refuse_data["refused@example.test"] = reply

    assert services.digests_send() == 1

    assert [item.recipients for item in server.received()] == [("fine@example.test",)]
    refused = Delivery.objects.filter(notice__recipient__email="refused@example.test")
    assert set(refused.values_list("state", flat=True)) == {state}
    assert reply.split()[0] in refused.first().last_error
    assert list(DigestRun.objects.values_list("user__email", flat=True)) == ["fine@example.test"]


def test_on_postgres_a_digest_and_its_run_are_one_commit_ended_on_its_way(transactional_db, server, clock):
    requires_postgres()
    import psycopg2.extensions
    from django.db import connection

    clock.to(at(2026, 3, 2, 9, 0))
    digest_waiting("hoa@example.test")
    clock.to(at(2026, 3, 2, 18, 0))
    seen = []
    mark_sent = services._deliveries_mark_sent

    def watched(deliveries, end, also=None):
        def also_watched(pks):
            also(pks)
            seen.append(("run recorded", connection.in_atomic_block or not connection.get_autocommit()))

        def end_watched(pks):
            seen.append(("ended", connection.connection.get_transaction_status()))
            end(pks)

        return mark_sent(deliveries, end_watched, also_watched)

    services._deliveries_mark_sent = watched
    try:
        assert services.digests_send() == 1
    finally:
        services._deliveries_mark_sent = mark_sent
    # The run went in the deliveries' transaction; the ends went while its COMMIT was on its way.
    assert seen == [("run recorded", True), ("ended", psycopg2.extensions.TRANSACTION_STATUS_ACTIVE)]
    assert [item.recipients for item in server.received()] == [("hoa@example.test",)]
    run = DigestRun.objects.get()
    assert run.sent_at is not None and run.notice_count == 2
