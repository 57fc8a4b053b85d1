"""A worker killed at any moment loses no e-mail and sends none twice.

A real Celery worker process (prefork, two children) sends a fan-out of 2,000
e-mails through a local SMTP server that records every message. Part-way, the
worker is killed with SIGKILL (main process and pool children together), a new
one is started and the sweeper runs until every delivery is settled. Every
family must have received exactly one message, counted strictly at the SMTP
server: one transaction each, not deduplicated by Message-ID.

It holds because an e-mail is recorded as sent after its body has gone to the
server and before its end-of-data mark (coordination/lib/mail.py): a worker
killed before that leaves the server a message without its end, which the
server drops, and the delivery is sent again later; killed after it, the
server gets the whole message and the database says it was sent. The other
two tests put the kill exactly on each side of that point.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter
from urllib.parse import quote, urlparse

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from bench.notify_sink import SmtpSink
from bench.notify_worker import Worker, worker_env
from coordination.celery import app as celery_app
from notifications import services
from notifications.models import Delivery, Notice, Preference, local_zone
from tests.conftest import requires_postgres, requires_redis

pytestmark = pytest.mark.worker

State = Delivery.State
# A Redis database of its own (the staff-welcome worker test uses 13).
WORKER_REDIS_DB = 12
# A claim older than this is presumed dead: short here, so that the test does
# not wait five minutes for the dead worker's deliveries.
LEASE_SECONDS = 5
GRACE_SECONDS = 2
SETTLE_SECONDS = 60
UNSETTLED = [State.QUEUED, State.SENDING, State.FAILED]


def _test_database_url() -> str:
    """The database that this test run really uses (pytest-django's test_… copy)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def _flush(url: str) -> None:
    client = _redis(url)
    try:
        client.flushdb()
    finally:
        client.close()


def _reset_producer_pools() -> None:
    """Forget broker connections made for another URL, on the app and in kombu's pools.

    kombu keeps one producer pool per broker URL for the whole process: closing
    only the app's connection pool would leave a producer pool on a closed one
    for the next test that uses the same URL ("Acquire on closed pool").
    """
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(settings, monkeypatch):
    """Tasks queued by this process go to a Redis database of their own, flushed before and after."""
    requires_postgres()
    url = urlparse(requires_redis())._replace(path=f"/{WORKER_REDIS_DB}").geturl()
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    celery_app.conf.get("broker_url")  # reading loads the configuration
    changes = celery_app.conf.changes
    saved = {key: changes[key] for key in ("broker_url", "task_always_eager") if key in changes}
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.NOTIFY_LEASE_SECONDS = LEASE_SECONDS
    settings.NOTIFY_SWEEP_GRACE_SECONDS = GRACE_SECONDS
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    _reset_producer_pools()
    _flush(url)
    yield url
    for key in ("broker_url", "task_always_eager"):
        changes.pop(key, None)
    changes.update(saved)
    _reset_producer_pools()
    _flush(url)


def families(count: int) -> list[int]:
    """People who want each e-mail at once, at an hour outside their quiet hours."""
    User.objects.bulk_create(
        [User(email=f"family{i:04d}@kill.example.test", full_name=f"Gia đình {i}") for i in range(count)]
    )
    ids = list(User.objects.filter(email__endswith="@kill.example.test").values_list("pk", flat=True))
    # Quiet hours are an hour long, six hours from now: whatever the time of
    # day the test runs at, now is outside them.
    local_now = timezone.localtime(timezone.now(), local_zone())
    quiet_start = (local_now + datetime.timedelta(hours=6)).time().replace(second=0, microsecond=0)
    quiet_end = (local_now + datetime.timedelta(hours=7)).time().replace(second=0, microsecond=0)
    Preference.objects.bulk_create(
        [Preference(user_id=pk, frequency="immediate", quiet_start=quiet_start, quiet_end=quiet_end) for pk in ids]
    )
    if Preference.objects.get(user_id=ids[0]).is_quiet_at(timezone.now()):
        pytest.fail("the families' quiet hours would hold the e-mails back")
    return ids


def fan_out(ids: list[int]) -> int:
    # Outside a transaction: the batch tasks go to Redis at once.
    return services.notice_fan_out(
        recipient_ids=ids,
        category="announcement",
        title="Họp phụ huynh đầu năm",
        body="Thứ Bảy, 8 giờ, tại hội trường.",
        url="/family/",
        dedupe_key="announcement:worker-kill",
    )


def wait_for(condition, *, seconds: float, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if worker.process.poll() is not None:
            pytest.fail(f"the worker stopped with code {worker.process.returncode}:\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not after {seconds} s; worker output:\n{worker.log_tail()}")
        time.sleep(0.05)


def contradictions(sink: SmtpSink) -> list[Delivery]:
    """Deliveries still 'sending' although the server has their whole message: what the ordering rules out.

    Asked a moment after the kill: a COMMIT that the dead worker had already
    sent is still applied by PostgreSQL.
    """
    time.sleep(0.5)
    at_sink = {item.message_id for item in sink.received()}
    return [d for d in Delivery.objects.filter(state=State.SENDING) if d.message_id in at_sink]


def kill_environment(broker_url: str, sink: SmtpSink, **extra: str) -> dict[str, str]:
    return worker_env(
        database_url=_test_database_url(),
        broker_url=broker_url,
        smtp_port=sink.port,
        NOTIFY_LEASE_SECONDS=str(LEASE_SECONDS),
        NOTIFY_SWEEP_GRACE_SECONDS=str(GRACE_SECONDS),
        **extra,
    )


def settle(broker_url: str, worker: Worker) -> int:
    """Sweep, as beat would, whenever the queue has run dry, until nothing is left to send; returns the sweeps."""
    client = _redis(broker_url)
    sweeps, last_sweep = 0, 0.0
    deadline = time.monotonic() + SETTLE_SECONDS
    try:
        while Delivery.objects.filter(state__in=UNSETTLED).exists():
            if worker.process.poll() is not None:
                pytest.fail(f"the new worker stopped with code {worker.process.returncode}:\n{worker.log_tail()}")
            if time.monotonic() > deadline:
                states = Counter(Delivery.objects.values_list("state", flat=True))
                pytest.fail(f"not settled after {SETTLE_SECONDS} s: {dict(states)}\n{worker.log_tail()}")
            # Only when the broker has nothing left for the notifications queue:
            # what is still in it is on its way and needs no sweeping.
            if client.llen("notifications") == 0 and time.monotonic() - last_sweep >= 1:
                services.deliveries_sweep()
                sweeps, last_sweep = sweeps + 1, time.monotonic()
            time.sleep(0.2)
    finally:
        client.close()
    return sweeps


def tally(sink: SmtpSink, emails: set[str]) -> dict:
    raw = [recipient for item in sink.received() for recipient in item.recipients]
    per_recipient = Counter(raw)
    return {
        "raw": len(raw),
        "distinct_message_ids": len({item.message_id for item in sink.received()}),
        "missing": sorted(emails - set(per_recipient)),
        "twice_or_more": {r: n for r, n in per_recipient.items() if n > 1},
        "strangers": sorted(set(per_recipient) - emails),
        "states": dict(Counter(Delivery.objects.values_list("state", flat=True))),
        "attempts": dict(Counter(Delivery.objects.values_list("attempts", flat=True))),
    }


def describe(report: dict, contradicting: list[Delivery] | None = None) -> str:
    lines = [
        f"raw messages {report['raw']}, distinct Message-IDs {report['distinct_message_ids']}",
        f"missing {len(report['missing'])}: {report['missing'][:10]}",
        f"received more than once {len(report['twice_or_more'])}: {dict(list(report['twice_or_more'].items())[:10])}",
        f"delivery states {report['states']}, attempts {report['attempts']}",
    ]
    if contradicting:
        lines.append(
            "left 'sending' by the killed worker although the server has the whole message "
            f"(the end went before the commit?): {[(d.pk, d.message_id) for d in contradicting]}"
        )
    return "\n".join(lines)


def assert_exactly_once(report: dict, recipients: int, contradicting: list[Delivery] | None = None) -> None:
    assert report["strangers"] == []
    assert report["missing"] == [], describe(report, contradicting)
    assert report["twice_or_more"] == {}, describe(report, contradicting)
    assert report["raw"] == report["distinct_message_ids"] == recipients, describe(report, contradicting)
    # Nothing left waiting or half-sent.
    assert set(report["states"]) == {State.SENT}, describe(report, contradicting)


def test_a_killed_worker_loses_and_doubles_no_e_mail(transactional_db, broker, tmp_path):
    recipients, kill_after = 2000, 400
    ids = families(recipients)
    emails = set(User.objects.filter(pk__in=ids).values_list("email", flat=True))

    with SmtpSink() as sink:
        env = kill_environment(broker, sink)
        first = Worker(env, tmp_path / "first-worker.log", concurrency=2, name="kill-first")
        second = Worker(env, tmp_path / "second-worker.log", concurrency=2, name="kill-second")
        try:
            first.start()
            assert fan_out(ids) == 7  # batches of 300
            notices = Notice.objects.filter(dedupe_key="announcement:worker-kill")
            # The kill is about deliveries: every batch has made its notices by then (a batch task
            # killed half-way waits in Redis for the broker's visibility timeout, an hour).
            wait_for(
                lambda: sink.count() >= kill_after and notices.count() == recipients,
                seconds=60,
                worker=first,
                what=f"{kill_after} e-mails and all {recipients} notices "
                f"(another run of this test sharing Redis database {WORKER_REDIS_DB}?)",
            )
            first.kill()
            at_kill = sink.count()
            contradicting = contradictions(sink)
            sending = Delivery.objects.filter(state=State.SENDING).count()
            print(f"\nkilled after {at_kill} e-mails; {sending} deliveries left 'sending'")

            second.start()
            sweeps = settle(broker, second)
            second.stop()
            time.sleep(0.5)  # nothing should come after the last delivery settled; give it the chance to
        finally:
            first.kill()
            second.stop()

        report = tally(sink, emails)
    print(describe(report, contradicting), f"\nsweeps {sweeps}")

    assert contradicting == [], describe(report, contradicting)
    assert_exactly_once(report, recipients, contradicting)
    assert at_kill < recipients  # the kill really interrupted the fan-out


def test_a_worker_killed_before_the_end_of_its_messages_leaves_nothing_at_the_server(
    transactional_db, broker, tmp_path
):
    """Killed with the bodies at the server and nothing committed: the server drops them; they go once, later."""
    recipients = 40
    ids = families(recipients)
    emails = set(User.objects.filter(pk__in=ids).values_list("email", flat=True))
    pause = tmp_path / "pause"
    pause.mkdir()
    backend = "tests.notifications.pausing_backend.PausingEmailBackend"

    with SmtpSink() as sink:
        # The third group of four of the single pool process stops just before its commit.
        env = kill_environment(broker, sink, EMAIL_BACKEND=backend, EMAIL_PARALLEL_CONNECTIONS="4")
        first = Worker(dict(env, PAUSE_DIR=str(pause), PAUSE_AT_GROUP="3"), tmp_path / "first.log", concurrency=1)
        second = Worker(dict(env, PAUSE_AT_GROUP="0"), tmp_path / "second.log", concurrency=1, name="kill-second")
        try:
            first.start()
            fan_out(ids)
            wait_for((pause / "paused").exists, seconds=60, worker=first, what="the worker stopping before a commit")
            paused = set((pause / "paused").read_text().split())
            first.kill()
            time.sleep(0.5)  # what the dead worker's connections carried has reached the server by now
            at_server = {r for item in sink.received() for r in item.recipients}
            held = Delivery.objects.filter(notice__recipient__email__in=paused)
            assert len(paused) == 4 and not paused & at_server, sorted(paused & at_server)
            assert set(held.values_list("state", flat=True)) == {State.SENDING}  # claimed, never recorded sent

            second.start()
            settle(broker, second)
            second.stop()
            time.sleep(0.5)
        finally:
            first.kill()
            second.stop()

        report = tally(sink, emails)
    print(describe(report))
    assert_exactly_once(report, recipients)
    assert set(held.values_list("attempts", flat=True)) == {2}  # once cut short, once whole


def test_a_worker_killed_after_the_end_of_a_message_does_not_send_it_again(transactional_db, broker, tmp_path):
    """Killed while waiting for the server's "250": the message is recorded sent already, and is not sent again."""
    recipients, held = 40, 10
    ids = families(recipients)
    emails = set(User.objects.filter(pk__in=ids).values_list("email", flat=True))

    # The server records the 10th message and holds its "250" back.
    with SmtpSink(hold_at=held, hold_seconds=30) as sink:
        env = kill_environment(broker, sink)
        first = Worker(env, tmp_path / "first-worker.log", concurrency=1, name="window-first")
        second = Worker(env, tmp_path / "second-worker.log", concurrency=1, name="window-second")
        try:
            first.start()
            fan_out(ids)
            wait_for(sink.handler.holding.is_set, seconds=60, worker=first, what="the held message")
            first.kill()
            sink.release()
            held_id = sink.received()[held - 1].message_id
            contradicting = contradictions(sink)
            # The server has it and the database says so, although the worker never heard the "250".
            [delivery] = [d for d in Delivery.objects.all() if d.message_id == held_id]
            assert delivery.state == State.SENT, describe(tally(sink, emails), contradicting)

            second.start()
            settle(broker, second)
            second.stop()
            time.sleep(0.5)
        finally:
            first.kill()
            second.stop()

        report = tally(sink, emails)
    print(describe(report, contradicting))
    assert contradicting == []
    assert_exactly_once(report, recipients, contradicting)
