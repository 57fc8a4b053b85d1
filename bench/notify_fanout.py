"""Notification benchmark: fan-out through Celery to SMTP, against a bare smtplib loop; worker memory; digests.

Run from the repository root with the project's Python (`make bench` runs it too):

    .venv/bin/python bench/notify_fanout.py [--notices 10000] [--small 1000] [--digest-families 20000]

1. Fan-out rate. 10,000 families want every e-mail at once; one notice is
   fanned out to them with `notice_fan_out`. The batch tasks, then the sending
   tasks (NOTIFY_SEND_BATCH_SIZE deliveries each) go through Redis to a real
   Celery worker process (prefork, two children), which sends the e-mails
   through the portal's two-phase SMTP backend (coordination/lib/mail.py) to a
   local SMTP sink (aiosmtpd on 127.0.0.1, in a process of its own, that only
   logs arrivals). The rate runs from the fan-out call to the last message at
   the sink. The baseline, in the same run: the same 10,000 messages, rendered
   beforehand, sent by a bare `smtplib` loop over one connection to the same sink.
2. Where the time goes: `deliveries_send`, the sending task's service, timed in
   this process over batches of the fan-out's own making, step by step
   (claim, building the e-mails, SMTP up to the bodies, the commit that
   records them sent with their end-of-data marks, the server's replies), with
   its queries per batch; the same with one SMTP connection instead of
   EMAIL_PARALLEL_CONNECTIONS; and how long after its COMMIT has gone to
   PostgreSQL each group's end-of-data marks are all written (the window in
   which a killed worker would lose a message).
3. Memory: peak RSS (and PSS, which counts the pages that the pool's children
   share with the main process once) of the worker's processes, sampled from
   /proc, for a fan-out of 1,000 and of 10,000 notices, each with a fresh worker.
4. Digest build: families with notices waiting for their daily digest, sent by
   `digests_send` with the console e-mail backend (into a counter); the queries
   are captured and counted per batch of NOTIFY_DIGEST_BATCH_SIZE people.

Everything runs on loopback: a dedicated PostgreSQL database (dropped and made
again at the start, dropped at the end unless --keep) and a dedicated Redis
database (flushed before and after). The worker and the sink are stopped by
their PIDs at the end, also on errors. It prints Markdown tables, writes the
figures as JSON to bench/results/ and puts them in BENCHMARKS.md as the
newest entry of its "Notifications" section (unless --no-append).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import shutil
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.notify_sink import Received, free_port  # noqa: E402
from bench.notify_worker import MemoryPeak, Worker, group_pids, memory_of, worker_env  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RESULTS_DIR = ROOT / "bench" / "results"
BENCHMARKS = ROOT / "BENCHMARKS.md"
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-real-deployment"
EMAIL_DOMAIN = "notify.bench.test"
# The digest job's clock: a Monday evening after the default 18:00 digest time, before quiet hours.
DIGEST_NOW = datetime.datetime(2026, 11, 23, 19, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TARGET_RATIO = 0.5
SECTION = "## Notifications"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=10000, help="Notices in the measured fan-out (10000).")
    parser.add_argument("--small", type=int, default=1000, help="Notices in the smaller fan-out, for memory (1000).")
    parser.add_argument("--concurrency", type=int, default=2, help="The worker's pool processes (2).")
    parser.add_argument("--profile", type=int, default=2000, help="Deliveries timed step by step in-process (2000).")
    parser.add_argument("--digest-families", type=int, default=20000, help="Families in the digest build (20000).")
    parser.add_argument("--digest-notices", type=int, default=2, help="Notices each of them waits with (2).")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without a database name (loopback only).",
    )
    parser.add_argument("--database", default="coordination_bench_notify", help="Dedicated database, dropped first.")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11", help="Dedicated Redis database, flushed.")
    parser.add_argument("--max-seconds", type=float, default=900, help="Longest wait for one fan-out (900 s).")
    parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")
    parser.add_argument("--no-append", action="store_true", help="Do not append the figures to BENCHMARKS.md.")
    args = parser.parse_args(argv)
    for name in ("postgres", "redis"):
        if urlparse(getattr(args, name)).hostname not in LOOPBACK:
            parser.error(f"--{name} must point at the loopback interface")
    if "bench" not in args.database:
        parser.error("the database is dropped: its name must contain 'bench'")
    if max(args.small, args.profile) > args.notices:
        parser.error("--small and --profile must not exceed --notices")
    return args


# --- services: database, Redis, the sink ---------------------------------------------------------


def require_service(url: str, default_port: int, what: str) -> None:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=2):
            return
    except OSError as exc:
        raise SystemExit(f"{what} is not reachable at {parsed.hostname}:{parsed.port or default_port}: {exc}") from exc


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(f"{server.rstrip('/')}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if not drop_only:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def environment(database_url: str, redis_url: str, smtp_port: int) -> dict[str, str]:
    env = worker_env(database_url=database_url, broker_url=redis_url, smtp_port=smtp_port)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)
    env.update(DEBUG="0", SECRET_KEY=BENCH_SECRET_KEY, MFA_REQUIRED_ROLES="")
    return env


class SinkLog:
    """Reads the sink process's log as it grows."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[Received] = []
        self._offset = 0
        self._partial = b""

    def refresh(self) -> int:
        with self.path.open("rb") as log:
            log.seek(self._offset)
            chunk = log.read()
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        for line in lines:
            at, recipients, message_id = line.decode("utf-8", "replace").split("\t")
            self.items.append(Received(int(at) / 1e9, tuple(recipients.split(",")), message_id))
        return len(self.items)


@contextlib.contextmanager
def sink_process(scratch: Path):
    port = free_port()
    log_path = scratch / "sink.log"
    log_path.touch()
    out = (scratch / "sink.out").open("ab")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "notify_sink.py"), "--port", str(port), "--log", str(log_path)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the SMTP sink stopped with {process.returncode}; see {scratch / 'sink.out'}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the SMTP sink did not start in 20 s") from None
                time.sleep(0.1)
        yield port, process.pid, SinkLog(log_path)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        out.close()


def wait_for_messages(sink: SinkLog, target: int, *, worker: Worker | None, max_seconds: float) -> None:
    deadline = time.monotonic() + max_seconds
    while sink.refresh() < target:
        if worker is not None and worker.process.poll() is not None:
            raise SystemExit(f"the worker stopped with code {worker.process.returncode}:\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(sink.items)} of {target} messages after {max_seconds} s")
        time.sleep(0.1)


# --- data ------------------------------------------------------------------------------------------


def families(count: int, *, prefix: str, frequency: str) -> list[int]:
    """`count` people with an e-mail address, a preference row, and now outside their quiet hours."""
    from accounts.models import User
    from notifications.models import Preference

    User.objects.bulk_create(
        [User(email=f"{prefix}-{i:06d}@{EMAIL_DOMAIN}", full_name=f"Gia đình {i}") for i in range(count)],
        batch_size=2000,
    )
    ids = list(
        User.objects.filter(email__startswith=f"{prefix}-", email__endswith=EMAIL_DOMAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    extra = {}
    if frequency == "immediate":
        # An hour of quiet, six hours from now: whenever the benchmark runs, now is outside it.
        from django.utils import timezone

        from notifications.models import local_zone

        local_now = timezone.localtime(timezone.now(), local_zone())
        extra = {
            "quiet_start": (local_now + datetime.timedelta(hours=6)).time().replace(second=0, microsecond=0),
            "quiet_end": (local_now + datetime.timedelta(hours=7)).time().replace(second=0, microsecond=0),
        }
    Preference.objects.bulk_create(
        [Preference(user_id=pk, frequency=frequency, **extra) for pk in ids], batch_size=2000
    )
    return ids


def fan_out(ids: list[int], dedupe_key: str) -> int:
    from notifications import services

    return services.notice_fan_out(
        recipient_ids=ids,
        category="announcement",
        title="Họp phụ huynh đầu năm học",
        body="Kính mời quý phụ huynh dự họp lúc 8 giờ sáng thứ Bảy tại hội trường của trường.",
        url="/family/",
        dedupe_key=dedupe_key,
    )


def deliveries_of(dedupe_key: str):
    from notifications.models import Delivery

    return Delivery.objects.filter(notice__dedupe_key=dedupe_key)


# --- 1 and 3: fan-out through the worker -----------------------------------------------------------


def fan_out_run(n: int, ids: list[int], *, env, sink: SinkLog, scratch: Path, args, label: str = "as-is") -> dict:
    """A fresh worker, one fan-out of n notices, until the sink has n more messages."""
    from notifications.models import Delivery

    dedupe_key = f"bench:fanout:{label}:{n}"
    worker = Worker(env, scratch / f"worker-{label}-{n}.log", concurrency=args.concurrency, name=f"bench-{n}")
    try:
        worker.start()
        worker.wait_ready()
        idle_rss, idle_pss = memory_of(group_pids(worker.pid))
        processes = len(group_pids(worker.pid))
        before = sink.refresh()
        with MemoryPeak(worker.pid) as peak:
            t0 = time.monotonic()
            batches = fan_out(ids[:n], dedupe_key)
            wait_for_messages(sink, before + n, worker=worker, max_seconds=args.max_seconds)
            new = sink.items[before:]
            last, first = max(item.at for item in new), min(item.at for item in new)
            time.sleep(0.5)  # a late duplicate would show here
    finally:
        worker.stop()
    received = sink.refresh() - before
    states = dict(Counter(deliveries_of(dedupe_key).values_list("state", flat=True)))
    seconds = last - t0
    return {
        "label": label,
        "dedupe_key": dedupe_key,
        "notices": n,
        "batches": batches,
        "received": received,
        "distinct_message_ids": len({item.message_id for item in sink.items[before:]}),
        "states": states,
        "all_sent": states == {Delivery.State.SENT: n} and received == n,
        "seconds": round(seconds, 2),
        "first_message_after_s": round(first - t0, 2),
        "msg_per_s": round(n / seconds, 1),
        "worker_processes": processes,
        "idle_rss_mb": round(idle_rss / 2**20, 1),
        "idle_pss_mb": round(idle_pss / 2**20, 1),
        "peak_rss_mb": round(peak.peak_rss / 2**20, 1),
        "peak_pss_mb": round(peak.peak_pss / 2**20, 1),
        "memory_samples": peak.samples,
    }


# --- 1: the smtplib baseline -------------------------------------------------------------------------


def rendered_messages(dedupe_key: str) -> tuple[list[tuple[str, list[str], bytes]], float]:
    """The fan-out's messages as the worker rendered them (same templates, headers and Message-ID)."""
    from notifications import channels

    messages = []
    t0 = time.perf_counter()
    for delivery in deliveries_of(dedupe_key).select_related("notice__recipient", "notice__school").order_by("pk"):
        message = channels.notice_email(delivery=delivery)
        messages.append((message.from_email, message.recipients(), message.message().as_bytes(linesep="\r\n")))
    return messages, time.perf_counter() - t0


def smtplib_run(messages, port: int, sink: SinkLog, max_seconds: float) -> dict:
    before = sink.refresh()
    t0 = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for sender, recipients, data in messages:
            smtp.sendmail(sender, recipients, data)
    wait_for_messages(sink, before + len(messages), worker=None, max_seconds=max_seconds)
    last = max(item.at for item in sink.items[before:])
    seconds = last - t0
    return {"messages": len(messages), "seconds": round(seconds, 2), "msg_per_s": round(len(messages) / seconds, 1)}


# --- 2: where the time goes ---------------------------------------------------------------------------


def profile_deliveries(ids: list[int], key: str, redis_url: str) -> list[int]:
    """New deliveries, made by the fan-out's own batch function, queued for nobody (the broker is flushed)."""
    from notifications import services

    for start in range(0, len(ids), 300):
        services.notices_send_batch(
            recipient_ids=ids[start : start + 300],
            category="announcement",
            titles={"vi": "Thông báo nghỉ lễ", "en": "Holiday notice"},
            bodies={"vi": "Trường nghỉ ngày thứ Hai.", "en": "The school is closed on Monday."},
            url="/family/",
            dedupe_key=key,
            school_id=None,
            urgent=False,
        )
    flush_redis(redis_url)
    return list(deliveries_of(key).order_by("pk").values_list("pk", flat=True))


class StepTimer:
    """Adds up the time spent in a few functions, by wrapping them while it is in use."""

    def __init__(self):
        self.seconds: dict[str, float] = Counter()
        self._wrapped: list[tuple[object, str, object]] = []

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started

        setattr(owner, name, timed)
        self._wrapped.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._wrapped):
            setattr(owner, name, original)
        self._wrapped.clear()


def deliveries_send_timed(ids: list[int]) -> tuple[float, int]:
    """`deliveries_send` over the ids, a sending task's batch at a time: (seconds, queries)."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import services

    size = settings.NOTIFY_SEND_BATCH_SIZE
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for start in range(0, len(ids), size):
            services.deliveries_send(delivery_ids=ids[start : start + size])
        seconds = time.perf_counter() - started
    return seconds, len(captured)


def profile_steps(ids: list[int], redis_url: str) -> dict:
    """`deliveries_send` in this process, step by step; then over one SMTP connection; and the window after COMMIT."""
    from django.conf import settings

    from coordination.lib import mail
    from notifications import channels, services
    from notifications.models import Delivery

    size, parallel = settings.NOTIFY_SEND_BATCH_SIZE, settings.EMAIL_PARALLEL_CONNECTIONS
    timer = StepTimer()
    timer.wrap(services, "deliveries_claim", "claim (UPDATE … RETURNING, SELECT)")
    timer.wrap(channels, "notice_email_data", "e-mails built (texts and MIME once per content)")
    timer.wrap(mail._GroupRun, "send_bodies", "SMTP: MAIL, RCPT, DATA, the bodies")
    timer.wrap(services, "_deliveries_mark_sent", "commit, with the end-of-data marks")
    timer.wrap(mail._GroupRun, "commit_and_end", "(commit and replies)")
    # How long after COMMIT has gone to PostgreSQL the group's end-of-data marks are all written.
    windows = []
    commit_then = services._commit_then

    def commit_then_timed(action):
        def timed_action():
            started = time.perf_counter()
            try:
                action()
            finally:
                windows.append(time.perf_counter() - started)

        return commit_then(timed_action)

    services._commit_then = commit_then_timed
    first = profile_deliveries(ids, "bench:profile:steps", redis_url)
    try:
        seconds, queries = deliveries_send_timed(first)
    finally:
        timer.restore()
        services._commit_then = commit_then
    states = dict(Counter(Delivery.objects.filter(pk__in=first).values_list("state", flat=True)))
    steps = dict(timer.seconds)
    steps["replies to the ends of the messages"] = (
        steps.pop("(commit and replies)") - steps["commit, with the end-of-data marks"]
    )
    steps["the rest (rows read, outcomes, Python)"] = seconds - sum(steps.values())

    settings.EMAIL_PARALLEL_CONNECTIONS = 1
    try:
        second = profile_deliveries(ids, "bench:profile:one-connection", redis_url)
        one_connection, _queries = deliveries_send_timed(second)
    finally:
        settings.EMAIL_PARALLEL_CONNECTIONS = parallel
    windows_us = sorted(w * 1e6 for w in windows)
    return {
        "deliveries": len(first),
        "states": states,
        "batch": size,
        "parallel": parallel,
        "per_delivery_ms": round(seconds / len(first) * 1000, 3),
        "steps_ms": {name: round(value / len(first) * 1000, 3) for name, value in steps.items()},
        "queries_per_batch": round(queries / -(-len(first) // size), 2),
        "one_connection_per_delivery_ms": round(one_connection / len(second) * 1000, 3),
        "end_after_commit_us": {
            "groups": len(windows_us),
            "mean": round(statistics.mean(windows_us), 1) if windows_us else None,
            "p95": round(windows_us[int(len(windows_us) * 0.95)], 1) if windows_us else None,
            "max": round(windows_us[-1], 1) if windows_us else None,
        },
    }


# --- 4: digest build ----------------------------------------------------------------------------------


class CountingStream(io.TextIOBase):
    """Where the console e-mail backend writes: counts, keeps nothing."""

    def __init__(self):
        self.characters = 0

    def write(self, text: str) -> int:
        self.characters += len(text)
        return len(text)


def seed_digests(count: int, per_family: int, prefix: str, now: datetime.datetime) -> tuple[int, float]:
    from notifications.models import Delivery, Notice

    t0 = time.monotonic()
    ids = families(count, prefix=prefix, frequency="daily")
    morning = now.replace(hour=8)
    notices = [
        Notice(
            recipient_id=pk,
            category="activity",
            title=f"Hoạt động ở nhà số {n + 1}",
            body="Cùng con gấp thuyền giấy và kể tên các màu.",
            url="/family/",
            created_at=morning + datetime.timedelta(minutes=n),
            dedupe_key=f"{prefix}:activity:{n}",
        )
        for pk in ids
        for n in range(per_family)
    ]
    Notice.objects.bulk_create(notices, batch_size=5000)
    made = Notice.objects.filter(dedupe_key__startswith=f"{prefix}:").values_list("pk", flat=True).iterator()
    Delivery.objects.bulk_create(
        (Delivery(notice_id=pk, channel="email", digest=True, not_before=morning, created_at=morning) for pk in made),
        batch_size=5000,
    )
    return len(ids), time.monotonic() - t0


def digest_run(count: int, per_family: int, prefix: str) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import services

    now = DIGEST_NOW
    _ids, seed_seconds = seed_digests(count, per_family, prefix, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    stream = CountingStream()
    with contextlib.redirect_stdout(stream), CaptureQueriesContext(connection) as captured:
        t0 = time.monotonic()
        sent = services.digests_send(now=now)
        seconds = time.monotonic() - t0
    # Each batch starts with the query for the next people waiting for a digest.
    per_batch, current = [], None
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and "MIN(" in sql and "GROUP BY" in sql:
            if current is not None:
                per_batch.append(current)
            current = 0
        current = (current or 0) + 1
    if current is not None:
        per_batch.append(current)  # the last one found nobody: one query
    full = per_batch[:-1]
    first_batch = [query["sql"][:90] for query in captured.captured_queries[: per_batch[0] if per_batch else 0]]
    return {
        "families": count,
        "notices_per_family": per_family,
        "batch_size": settings.NOTIFY_DIGEST_BATCH_SIZE,
        "seed_seconds": round(seed_seconds, 1),
        "digests_sent": sent,
        "batches": len(full),
        "queries": len(captured),
        "queries_per_batch": sorted(set(full)),
        "final_query": per_batch[-1] if per_batch else 0,
        "seconds": round(seconds, 1),
        "digests_per_s": round(sent / seconds, 1) if seconds else 0.0,
        "console_mb": round(stream.characters / 2**20, 1),
        "first_batch_sql": first_batch,
    }


# --- report ----------------------------------------------------------------------------------------------


def machine() -> dict:
    import importlib.metadata

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "celery": importlib.metadata.version("celery"),
        "aiosmtpd": importlib.metadata.version("aiosmtpd"),
        "postgresql": postgres,
    }


def tables(report: dict) -> str:
    big = report["fan_out"][-1]
    base = report["smtplib"]
    ratio = report["ratio"]
    lines = [
        "Fan-out rate (from the `notice_fan_out` call to the last message at the sink):",
        "",
        "| sender | messages | seconds | msg/s | ratio to smtplib |",
        "|---|---:|---:|---:|---:|",
        f"| Celery worker, prefork {report['settings']['concurrency']}, via Redis | {big['notices']} "
        f"| {big['seconds']:.1f} | {big['msg_per_s']:.0f} | {ratio:.1%} |",
        f"| bare `smtplib`, one connection, pre-rendered | {base['messages']} | {base['seconds']:.1f} "
        f"| {base['msg_per_s']:.0f} | 100% |",
        "",
        "Worker memory (main process and pool children, sampled every 0.2 s from /proc):",
        "",
        "| notices | batches | received | all sent | idle RSS MB | peak RSS MB | peak PSS MB | msg/s |",
        "|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for run in report["fan_out"]:
        lines.append(
            f"| {run['notices']} | {run['batches']} | {run['received']} | {'yes' if run['all_sent'] else 'NO'} "
            f"| {run['idle_rss_mb']:.0f} | {run['peak_rss_mb']:.0f} | {run['peak_pss_mb']:.0f} "
            f"| {run['msg_per_s']:.0f} |"
        )
    profile = report["profile"]
    lines += [
        "",
        f"Where a delivery's time goes: `deliveries_send` in this process, {profile['deliveries']} deliveries in "
        f"batches of {profile['batch']}, {profile['parallel']} SMTP connections (mean ms per delivery):",
        "",
        "| step | ms | share |",
        "|---|---:|---:|",
    ]
    total = profile["per_delivery_ms"]
    for name, ms in profile["steps_ms"].items():
        lines.append(f"| {name} | {ms:.3f} | {ms / total:.0%} |")
    window = profile["end_after_commit_us"]
    per_task_ms = 1000 * report["settings"]["concurrency"] / big["msg_per_s"]
    lines += [
        f"| **one delivery** ({profile['queries_per_batch']:g} queries a batch of {profile['batch']}) "
        f"| **{total:.3f}** | |",
        "",
        "| for comparison | value |",
        "|---|---:|",
        f"| the same over one SMTP connection, ms per delivery | {profile['one_connection_per_delivery_ms']:.3f} |",
        f"| worker: ms per delivery per pool process ({report['settings']['concurrency']} / rate) "
        f"| {per_task_ms:.3f} |",
        f"| end-of-data marks all written after the group's COMMIT went to PostgreSQL, µs (mean / p95 / max "
        f"of {window['groups']} groups) | {window['mean']} / {window['p95']} / {window['max']} |",
        "",
        "Digest build (`digests_send`, console backend; queries captured and split by batch):",
        "",
        "| families | notices each | batch size | digests | batches | queries per batch | queries in all "
        "| seconds | digests/s |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for run in report["digests"]:
        lines.append(
            f"| {run['families']} | {run['notices_per_family']} | {run['batch_size']} | {run['digests_sent']} "
            f"| {run['batches']} | {', '.join(map(str, run['queries_per_batch']))} (+{run['final_query']} at the end) "
            f"| {run['queries']} | {run['seconds']:.1f} | {run['digests_per_s']:.0f} |"
        )
    return "\n".join(lines)


INTRO = """`bench/notify_fanout.py` (also run by `make bench`): a fan-out of e-mail notices through Celery on
Redis (a real worker process, prefork with two children) to a local SMTP sink (aiosmtpd on
127.0.0.1, its own process), against a bare `smtplib` loop sending the same messages over one
connection; the worker's memory; the digest job's queries per batch. The target for the fan-out
is at least 50 % of the `smtplib` rate. It needs PostgreSQL and Redis on 127.0.0.1.
"""


def benchmarks_update(report: dict, text: str) -> None:
    """Put a dated entry first among those of the "Notifications" section (made at the end if missing)."""
    existing = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else ""
    entry = (
        f"### {report['date']}, {report['machine']['cpus']} cores\n\n"
        f"Command: `{report['command']}` (load average before: {report['loadavg_before']}, "
        f"after: {report['loadavg_after']}; PostgreSQL {report['machine']['postgresql']}, "
        f"Python {report['machine']['python']}, Celery {report['machine']['celery']}).\n\n{text}\n\n"
    )
    lines = existing.splitlines(keepends=True)
    heading = next((i for i, line in enumerate(lines) if line.rstrip("\n") == SECTION), None)
    if heading is None:
        separator = "" if not existing or existing.endswith("\n\n") else "\n"
        BENCHMARKS.write_text(existing + separator + f"{SECTION}\n\n{INTRO}\n" + entry, encoding="utf-8")
        return
    end = next((i for i in range(heading + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    first = next((i for i in range(heading + 1, end) if lines[i].startswith("### ")), end)
    BENCHMARKS.write_text("".join(lines[:first]) + entry + "".join(lines[first:]), encoding="utf-8")


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    database_url = f"{args.postgres.rstrip('/')}/{args.database}"
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="coordination-notify-bench-"))
    require_service(args.postgres, 5432, "PostgreSQL")
    require_service(args.redis, 6379, "Redis")
    print(f"Database {args.database} (made again), Redis {args.redis} (flushed)", flush=True)
    recreate_database(args.postgres, args.database)
    flush_redis(args.redis)
    try:
        with sink_process(scratch) as (port, sink_pid, sink):
            print(f"SMTP sink pid {sink_pid} on 127.0.0.1:{port}", flush=True)
            env = environment(database_url, args.redis, port)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
            )
            os.environ.update(env)
            import django

            django.setup()
            from django.conf import settings as django_settings
            from django.db import connection

            report = {
                "date": datetime.datetime.now().date().isoformat(),
                "started_at": datetime.datetime.now().isoformat(timespec="seconds"),
                "command": " ".join([".venv/bin/python", "bench/notify_fanout.py", *sys.argv[1:]]),
                "machine": machine(),
                "settings": {
                    "concurrency": args.concurrency,
                    "database": args.database,
                    "redis": args.redis,
                    "notify_batch_size": django_settings.NOTIFY_BATCH_SIZE,
                    "notify_send_batch_size": django_settings.NOTIFY_SEND_BATCH_SIZE,
                    "email_parallel_connections": django_settings.EMAIL_PARALLEL_CONNECTIONS,
                    "email_backend": django_settings.EMAIL_BACKEND,
                },
                "loadavg_before": [round(x, 2) for x in os.getloadavg()],
            }
            print(f"Making {args.notices} families who want every e-mail at once", flush=True)
            ids = families(args.notices, prefix="fanout", frequency="immediate")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            connection.close()

            report["fan_out"] = []
            for n in sorted({args.small, args.notices}):
                print(f"Fan-out of {n} notices through the worker", flush=True)
                run = fan_out_run(n, ids, env=env, sink=sink, scratch=scratch, args=args)
                report["fan_out"].append(run)
                print(f"  {run['msg_per_s']:.0f} msg/s, peak RSS {run['peak_rss_mb']:.0f} MB", flush=True)
                if not run["all_sent"]:
                    raise SystemExit(f"the fan-out of {n} did not end with every delivery sent once: {run}")
            flush_redis(args.redis)

            print("The same messages through a bare smtplib loop", flush=True)
            messages, render_seconds = rendered_messages(report["fan_out"][-1]["dedupe_key"])
            report["smtplib"] = smtplib_run(messages, port, sink, args.max_seconds)
            report["smtplib"]["render_seconds_beforehand"] = round(render_seconds, 2)
            del messages
            report["ratio"] = round(report["fan_out"][-1]["msg_per_s"] / report["smtplib"]["msg_per_s"], 4)
            print(f"  {report['smtplib']['msg_per_s']:.0f} msg/s; ratio {report['ratio']:.1%}", flush=True)

            print(f"Timing {args.profile} deliveries step by step", flush=True)
            report["profile"] = profile_steps(ids[: args.profile], args.redis)

            report["digests"] = []
            shapes = [(args.digest_families, args.digest_notices), (max(1, args.digest_families // 10), 5)]
            for number, (count, per_family) in enumerate(shapes):
                print(f"Digests for {count} families with {per_family} notices each", flush=True)
                report["digests"].append(digest_run(count, per_family, f"digest{number}"))
            report["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
            connection.close()
    finally:
        flush_redis(args.redis)
        shutil.rmtree(scratch, ignore_errors=True)
        if not args.keep:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            recreate_database(args.postgres, args.database, drop_only=True)

    report["seconds"] = round(time.monotonic() - started, 1)
    text = tables(report)
    out = RESULTS_DIR / f"notify-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{text}\n\nWritten to {out.relative_to(ROOT)} in {report['seconds']:.0f} s.")
    if not args.no_append:
        benchmarks_update(report, text)
        print(f"Written to {BENCHMARKS.relative_to(ROOT)}, section {SECTION[3:]!r}.")
    ok = all(run["all_sent"] for run in report["fan_out"])
    if report["ratio"] < TARGET_RATIO:
        print(f"The fan-out reached {report['ratio']:.1%} of the smtplib rate (target {TARGET_RATIO:.0%}).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
