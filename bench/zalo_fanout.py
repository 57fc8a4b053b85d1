"""Zalo benchmark: a fan-out by Zalo (ZNS) through Celery to the local ZNS server, against bare HTTP loops.

Run from the repository root with the project's Python (`make bench` runs it too):

    .venv/bin/python bench/zalo_fanout.py [--notices 10000] [--small 1000] [--profile 2000]

1. Fan-out rate. 10,000 families chose Zalo for announcements (e-mail and SMS
   off, every notice at once, now outside their quiet hours); one notice is
   fanned out to them with `notice_fan_out`. The batch tasks, then the sending
   tasks (NOTIFY_SEND_BATCH_SIZE deliveries each) go through Redis to a real
   Celery worker process (prefork, two children), which sends them with the
   HTTP backend (notifications/zalo.py: one keep-alive connection per batch)
   to the local ZNS server (notifications/zns_local.py), run in a process of
   its own. The rate runs from the fan-out call until every delivery is
   recorded SENT in the database. The baselines, in the same run, post the same
   requests (the same JSON bodies, built beforehand from the fan-out's own
   deliveries, with the access token header) to the same server: a bare
   `urllib.request` loop (a connection per request), and a bare `http.client`
   loop over one keep-alive connection.
2. Memory: peak RSS (and PSS, which counts the pages that the pool's children
   share with the main process once) of the worker's processes, sampled from
   /proc, for a fan-out of 1,000 and of 10,000 notices, each with a fresh worker.
3. Where the time goes: `deliveries_send`, the sending task's service, timed in
   this process over deliveries made by the fan-out's own batch function, step
   by step (claim, templates, access token, template data, HTTP, the UPDATE that
   records them sent), with its queries per batch.

Everything runs on loopback: a dedicated PostgreSQL database (dropped and made
again at the start, dropped at the end unless --keep), a dedicated Redis
database (flushed before and after) and the local ZNS server on a free port.
The worker and the server are stopped by their PIDs at the end, also on
errors. It prints Markdown tables, writes the figures as JSON to bench/results/
and puts them in BENCHMARKS.md as the newest entry of its "Zalo" section
(unless --no-append).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from unittest import mock
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import notify_fanout  # noqa: E402
from bench.notify_fanout import (  # noqa: E402
    LOOPBACK,
    StepTimer,
    deliveries_of,
    deliveries_send_timed,
    environment,
    fan_out,
    flush_redis,
    profile_deliveries,
    recreate_database,
    require_service,
)
from bench.notify_sink import free_port  # noqa: E402
from bench.notify_worker import MemoryPeak, Worker, group_pids, memory_of  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
TARGET_RATIO = 0.5
SECTION = "## Zalo"
TEMPLATE_ID = "100001"  # one of the ids the local server approves by default
APP_ID, APP_SECRET = "local-app", "local-secret"  # the local server's defaults
# Redis databases other work on this machine uses: never flushed by this script.
REDIS_RESERVED = {3, 8, 9, 10, 11, 12, 13}

# The local ZNS server in a process of its own (standard library only, no Django): it prints its
# URL and a refresh token, then appends "monotonic_ns<TAB>messages<TAB>distinct tracking ids" to
# the log each time the number of messages it accepted has changed (checked every 20 ms).
ZNS_PROCESS = """
import sys, time
from notifications.zns_local import LocalZns

zns = LocalZns().start()
_access, refresh = zns.issue_tokens()
print(zns.url, refresh, flush=True)
seen, tracking, last = 0, set(), -1
with open(sys.argv[1], "a") as log:
    while True:
        time.sleep(0.02)
        count = len(zns.sent)
        for message in zns.sent[seen:count]:
            tracking.add(message["tracking_id"])
        seen = count
        if count != last:
            log.write(f"{time.monotonic_ns()}\\t{count}\\t{len(tracking)}\\n")
            log.flush()
            last = count
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=10000, help="Notices in the measured fan-out (10000).")
    parser.add_argument("--small", type=int, default=1000, help="Notices in the smaller fan-out, for memory (1000).")
    parser.add_argument("--concurrency", type=int, default=2, help="The worker's pool processes (2).")
    parser.add_argument("--profile", type=int, default=2000, help="Deliveries timed step by step in-process (2000).")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without a database name (loopback only).",
    )
    parser.add_argument("--database", default="coordination_bench_zalo", help="Dedicated database, dropped first.")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="Dedicated Redis database, flushed.")
    parser.add_argument("--max-seconds", type=float, default=600, help="Longest wait for one fan-out (600 s).")
    parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")
    parser.add_argument("--no-append", action="store_true", help="Do not append the figures to BENCHMARKS.md.")
    args = parser.parse_args(argv)
    for name in ("postgres", "redis"):
        if urlparse(getattr(args, name)).hostname not in LOOPBACK:
            parser.error(f"--{name} must point at the loopback interface")
    if "bench" not in args.database:
        parser.error("the database is dropped: its name must contain 'bench'")
    redis_db = (urlparse(args.redis).path or "/0").strip("/") or "0"
    if not redis_db.isdigit() or int(redis_db) in REDIS_RESERVED:
        parser.error(f"--redis is flushed: choose a database other than {sorted(REDIS_RESERVED)}")
    if max(args.small, args.profile) > args.notices or min(args.small, args.profile) < 1:
        parser.error("--small and --profile must be between 1 and --notices")
    return args


# --- the local ZNS server ---------------------------------------------------------------------------


class ZnsLog:
    """Reads the server process's log: how many messages it accepted, and when."""

    def __init__(self, path: Path):
        self.path = path
        self.lines: list[tuple[float, int, int]] = []
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
            at, count, distinct = line.decode().split("\t")
            self.lines.append((int(at) / 1e9, int(count), int(distinct)))
        return self.count

    @property
    def count(self) -> int:
        return self.lines[-1][1] if self.lines else 0

    @property
    def distinct(self) -> int:
        return self.lines[-1][2] if self.lines else 0

    def reached(self, target: int) -> float | None:
        """When the server had `target` messages (to the log's 20 ms), or None."""
        return next((at for at, count, _d in self.lines if count >= target), None)


@contextlib.contextmanager
def zns_process(scratch: Path):
    """The local ZNS server in its own process: yields (url, refresh token, pid, log)."""
    log_path = scratch / "zns.log"
    log_path.touch()
    out_path = scratch / "zns.out"
    with out_path.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", ZNS_PROCESS, str(log_path)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=out,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 20
        line = b""
        while not line.endswith(b"\n"):
            if process.poll() is not None:
                raise SystemExit(f"the local ZNS server stopped with {process.returncode}; see {out_path}")
            if time.monotonic() > deadline:
                raise SystemExit("the local ZNS server did not start in 20 s")
            readable, _w, _x = select.select([process.stdout], [], [], 0.1)
            if readable:
                line += process.stdout.readline()
        url, refresh = line.decode().split()
        yield url, refresh, process.pid, ZnsLog(log_path)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        process.stdout.close()


def zalo_env(url: str) -> dict[str, str]:
    return {
        "ZALO_BACKEND": "notifications.zalo.HttpZaloBackend",
        "ZALO_API_URL": url,
        "ZALO_OAUTH_URL": url,
        "ZALO_APP_ID": APP_ID,
        "ZALO_APP_SECRET": APP_SECRET,
        "ZALO_HTTP_TIMEOUT": "10",
    }


# --- data ------------------------------------------------------------------------------------------


def families(count: int) -> list[int]:
    """`count` people with a verified number and no e-mail, Zalo chosen for announcements, now outside quiet hours."""
    from django.utils import timezone

    from accounts.models import User
    from notifications.models import Preference, default_channels, local_zone

    User.objects.bulk_create(
        [
            User(email=None, phone=f"+8490{i:07d}", phone_verified=True, full_name=f"Gia đình {i}", language="vi")
            for i in range(count)
        ],
        batch_size=2000,
    )
    ids = list(User.objects.filter(phone__startswith="+8490").order_by("pk").values_list("pk", flat=True))
    channels = default_channels()
    channels["announcement"] = {"email": False, "sms": "off", "zalo": True}
    # An hour of quiet, six hours from now: whenever the benchmark runs, now is outside it.
    local_now = timezone.localtime(timezone.now(), local_zone())
    quiet = {
        "quiet_start": (local_now + datetime.timedelta(hours=6)).time().replace(second=0, microsecond=0),
        "quiet_end": (local_now + datetime.timedelta(hours=7)).time().replace(second=0, microsecond=0),
    }
    Preference.objects.bulk_create(
        [Preference(user_id=pk, frequency="immediate", channels=channels, **quiet) for pk in ids], batch_size=2000
    )
    return ids


def zalo_setup(refresh_token: str) -> None:
    """The announcements' approved template (kind, title, school, link) and the Official Account's refresh token."""
    from notifications.models import ZaloAccount, ZaloTemplate, ZaloTemplateParam

    Source = ZaloTemplateParam.Source
    template = ZaloTemplate.objects.create(category="announcement", template_id=TEMPLATE_ID, approved=True)
    for name, source, length in (
        ("kind", Source.KIND, 30),
        ("title", Source.TITLE, 60),
        ("school", Source.SCHOOL, 40),
        ("link", Source.LINK, 100),
    ):
        ZaloTemplateParam.objects.create(template=template, name=name, source=source, max_length=length)
    ZaloAccount.objects.create(pk=1, refresh_token=refresh_token)


def sent_count(dedupe_key: str) -> int:
    from notifications.models import Delivery

    return deliveries_of(dedupe_key).filter(state=Delivery.State.SENT).count()


# --- 1 and 2: fan-out through the worker -----------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the live processes, from /proc (a process gone meanwhile counts nothing)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def wait_all_sent(dedupe_key: str, n: int, *, worker: Worker, zns: ZnsLog, t0: float, max_seconds: float) -> float:
    """Until the n deliveries are SENT: the moment it was seen (polled every 50 ms)."""
    deadline = t0 + max_seconds
    while True:
        done = sent_count(dedupe_key)
        now = time.monotonic()
        if done >= n:
            return now
        if worker.process.poll() is not None:
            raise SystemExit(f"the worker stopped with code {worker.process.returncode}:\n{worker.log_tail()}")
        if now > deadline:
            raise SystemExit(f"only {done} of {n} deliveries sent after {max_seconds} s; server has {zns.refresh()}")
        time.sleep(0.05)


def fan_out_run(n: int, ids: list[int], *, env, zns: ZnsLog, zns_pid: int, scratch: Path, args) -> dict:
    """A fresh worker, one fan-out of n notices, until the n deliveries are SENT."""
    from notifications.models import Delivery

    dedupe_key = f"bench:zalo:{n}"
    worker = Worker(env, scratch / f"worker-{n}.log", concurrency=args.concurrency, name=f"bench-zalo-{n}")
    try:
        worker.start()
        worker.wait_ready()
        idle_rss, idle_pss = memory_of(group_pids(worker.pid))
        processes = len(group_pids(worker.pid))
        before = zns.refresh()
        worker_cpu, server_cpu = cpu_seconds(group_pids(worker.pid)), cpu_seconds([zns_pid])
        with MemoryPeak(worker.pid) as peak:
            t0 = time.monotonic()
            batches = fan_out(ids[:n], dedupe_key)
            done = wait_all_sent(dedupe_key, n, worker=worker, zns=zns, t0=t0, max_seconds=args.max_seconds)
            worker_cpu = cpu_seconds(group_pids(worker.pid)) - worker_cpu
            server_cpu = cpu_seconds([zns_pid]) - server_cpu
            time.sleep(0.5)  # a late duplicate would show here
    finally:
        worker.stop()
    zns.refresh()
    at_server = zns.reached(before + n)
    states = dict(Counter(deliveries_of(dedupe_key).values_list("state", flat=True)))
    received = zns.count - before
    seconds = done - t0
    return {
        "dedupe_key": dedupe_key,
        "notices": n,
        "batches": batches,
        "received": received,
        "states": states,
        "all_sent": states == {Delivery.State.SENT: n} and received == n,
        "seconds": round(seconds, 2),
        "last_at_server_after_s": round(at_server - t0, 2) if at_server else None,
        "msg_per_s": round(n / seconds, 1),
        "worker_cpu_ms_per_msg": round(worker_cpu / n * 1000, 3),
        "server_cpu_ms_per_msg": round(server_cpu / n * 1000, 3),
        "worker_processes": processes,
        "idle_rss_mb": round(idle_rss / 2**20, 1),
        "idle_pss_mb": round(idle_pss / 2**20, 1),
        "peak_rss_mb": round(peak.peak_rss / 2**20, 1),
        "peak_pss_mb": round(peak.peak_pss / 2**20, 1),
        "memory_samples": peak.samples,
    }


# --- 1: the baselines --------------------------------------------------------------------------------


def request_bodies(dedupe_key: str) -> tuple[list[bytes], str, float]:
    """The fan-out's requests as the worker made them (same fields and values), and a valid access token."""
    from notifications import zalo
    from notifications.channels import delivery_address, user_language
    from notifications.models import ZaloAccount

    template = zalo.templates_approved()["announcement"]
    bodies = []
    t0 = time.perf_counter()
    deliveries = deliveries_of(dedupe_key).select_related("notice__recipient", "notice__school").order_by("pk")
    for delivery in deliveries:
        notice = delivery.notice
        payload = {
            "phone": zalo.zalo_phone(delivery_address(delivery)),
            "template_id": template.template_id,
            "template_data": zalo.template_data(notice, template, language=user_language(notice.recipient)),
            "tracking_id": str(delivery.pk),
        }
        bodies.append(json.dumps(payload, ensure_ascii=False).encode())
    seconds = time.perf_counter() - t0
    return bodies, ZaloAccount.objects.get(pk=1).access_token, seconds


def headers_for(token: str) -> dict[str, str]:
    return {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8", "access_token": token}


def urllib_loop(bodies: list[bytes], url: str, token: str) -> tuple[float, int]:
    """One `urllib.request` POST per message, each on a new connection: (seconds, refusals)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    headers = headers_for(token)
    refused = 0
    t0 = time.monotonic()
    for body in bodies:
        request = urllib.request.Request(f"{url}/message/template", data=body, headers=headers, method="POST")
        with opener.open(request, timeout=10) as response:
            refused += json.loads(response.read())["error"] != 0
    return time.monotonic() - t0, refused


def keep_alive_loop(bodies: list[bytes], url: str, token: str) -> tuple[float, int]:
    """The same POSTs with `http.client` over one keep-alive connection: (seconds, refusals)."""
    parts = urlparse(url)
    headers = headers_for(token)
    refused = 0
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        t0 = time.monotonic()
        for body in bodies:
            connection.request("POST", "/message/template", body=body, headers=headers)
            refused += json.loads(connection.getresponse().read())["error"] != 0
        return time.monotonic() - t0, refused
    finally:
        connection.close()


def baseline_run(name: str, loop, bodies: list[bytes], url: str, token: str, zns: ZnsLog, zns_pid: int) -> dict:
    before = zns.refresh()
    client_cpu, server_cpu = time.process_time(), cpu_seconds([zns_pid])
    seconds, refused = loop(bodies, url, token)
    client_cpu, server_cpu = time.process_time() - client_cpu, cpu_seconds([zns_pid]) - server_cpu
    time.sleep(0.1)
    received = zns.refresh() - before
    n = len(bodies)
    return {
        "sender": name,
        "messages": n,
        "refused": refused,
        "received": received,
        "seconds": round(seconds, 2),
        "msg_per_s": round(n / seconds, 1),
        "client_cpu_ms_per_msg": round(client_cpu / n * 1000, 3),
        "server_cpu_ms_per_msg": round(server_cpu / n * 1000, 3),
    }


# --- 3: where the time goes ---------------------------------------------------------------------------


def profile_steps(ids: list[int], redis_url: str) -> dict:
    """`deliveries_send` in this process over Zalo deliveries, step by step, with its queries per batch."""
    from django.conf import settings

    from notifications import services, zalo
    from notifications.models import Delivery

    key = "bench:zalo:profile"
    started = time.perf_counter()
    pks = profile_deliveries(ids, key, redis_url)
    made = time.perf_counter() - started
    timer = StepTimer()
    timer.wrap(services, "deliveries_claim", "claim (UPDATE … RETURNING, SELECT with the notices)")
    timer.wrap(zalo, "templates_approved", "approved templates (two queries a batch)")
    timer.wrap(zalo, "access_token", "access token (one query a batch)")
    timer.wrap(zalo, "template_data", "template data (the parameters, the link)")
    timer.wrap(zalo.HttpZaloBackend, "_request", "HTTP: request and answer")
    timer.wrap(zalo.HttpZaloBackend, "send", "(send)")
    timer.wrap(services, "_zalo_mark_sent", "recorded sent (one UPDATE a batch)")
    try:
        seconds, queries = deliveries_send_timed(pks)
    finally:
        timer.restore()
    states = dict(Counter(Delivery.objects.filter(pk__in=pks).values_list("state", flat=True)))
    steps = dict(timer.seconds)
    steps["JSON of the request and answer"] = steps.pop("(send)") - steps["HTTP: request and answer"]
    steps["the rest (rows read, backend, outcomes, Python)"] = seconds - sum(steps.values())
    size = settings.NOTIFY_SEND_BATCH_SIZE
    return {
        "deliveries": len(pks),
        "states": states,
        "batch": size,
        "per_delivery_ms": round(seconds / len(pks) * 1000, 3),
        "steps_ms": {name: round(value / len(pks) * 1000, 3) for name, value in steps.items()},
        "queries_per_batch": round(queries / -(-len(pks) // size), 2),
        "made_per_notice_ms": round(made / len(pks) * 1000, 3),
    }


# --- report ----------------------------------------------------------------------------------------------


def machine() -> dict:
    found = notify_fanout.machine()
    found.pop("aiosmtpd", None)
    return found


def tables(report: dict) -> str:
    big = report["fan_out"][-1]
    urllib_base, keep_alive = report["urllib"], report["keep_alive"]
    lines = [
        "Fan-out rate (from the `notice_fan_out` call until every delivery is SENT in the database):",
        "",
        "| sender | messages | seconds | msg/s | worker's ratio to it |",
        "|---|---:|---:|---:|---:|",
        f"| Celery worker, prefork {report['settings']['concurrency']}, via Redis, HTTP backend | {big['notices']} "
        f"| {big['seconds']:.1f} | {big['msg_per_s']:.0f} | |",
        f"| bare `urllib.request` loop, a connection per request, bodies built beforehand | "
        f"{urllib_base['messages']} | {urllib_base['seconds']:.1f} | {urllib_base['msg_per_s']:.0f} "
        f"| **{report['ratio_urllib']:.1%}** |",
        f"| bare `http.client` loop, one keep-alive connection, the same bodies | {keep_alive['messages']} "
        f"| {keep_alive['seconds']:.1f} | {keep_alive['msg_per_s']:.0f} | {report['ratio_keep_alive']:.1%} |",
        "",
        "Worker memory (main process and pool children, sampled every 0.2 s from /proc):",
        "",
        "| notices | batches | received | all sent | idle RSS MB | peak RSS MB | peak PSS MB | seconds | msg/s |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for run in report["fan_out"]:
        lines.append(
            f"| {run['notices']} | {run['batches']} | {run['received']} | {'yes' if run['all_sent'] else 'NO'} "
            f"| {run['idle_rss_mb']:.0f} | {run['peak_rss_mb']:.0f} | {run['peak_pss_mb']:.0f} "
            f"| {run['seconds']:.1f} | {run['msg_per_s']:.0f} |"
        )
    profile = report.get("profile")
    if profile:
        lines += [
            "",
            f"Where a delivery's time goes: `deliveries_send` in this process, {profile['deliveries']} Zalo "
            f"deliveries in batches of {profile['batch']}, one keep-alive connection a batch (mean ms per delivery):",
            "",
            "| step | ms | share |",
            "|---|---:|---:|",
        ]
        total = profile["per_delivery_ms"]
        for name, ms in profile["steps_ms"].items():
            lines.append(f"| {name} | {ms:.3f} | {ms / total:.0%} |")
        per_task_ms = 1000 * report["settings"]["concurrency"] / big["msg_per_s"]
        lines += [
            f"| **one delivery** ({profile['queries_per_batch']:g} queries a batch of {profile['batch']}) "
            f"| **{total:.3f}** | |",
            "",
            "| for comparison | ms per message |",
            "|---|---:|",
            f"| the fan-out's batch function, notice and delivery made (`notices_send_batch`, in this process) "
            f"| {profile['made_per_notice_ms']:.3f} |",
            f"| worker: wall time per pool process ({report['settings']['concurrency']} / rate) | {per_task_ms:.3f} |",
            f"| worker: CPU, all its processes, during the fan-out of {big['notices']} "
            f"| {big['worker_cpu_ms_per_msg']:.3f} |",
            f"| local ZNS server: CPU during the fan-out / the `urllib` loop / the keep-alive loop "
            f"| {big['server_cpu_ms_per_msg']:.3f} / {urllib_base['server_cpu_ms_per_msg']:.3f} "
            f"/ {keep_alive['server_cpu_ms_per_msg']:.3f} |",
            f"| bare `urllib.request` loop: wall time / its own CPU | {1000 / urllib_base['msg_per_s']:.3f} "
            f"/ {urllib_base['client_cpu_ms_per_msg']:.3f} |",
            f"| bare `http.client` keep-alive loop: wall time / its own CPU | {1000 / keep_alive['msg_per_s']:.3f} "
            f"/ {keep_alive['client_cpu_ms_per_msg']:.3f} |",
        ]
    return "\n".join(lines)


INTRO = """`bench/zalo_fanout.py` (also run by `make bench`): a fan-out of notices by Zalo (ZNS) through
Celery on Redis (a real worker process, prefork with two children, the HTTP backend) to the local
ZNS server (`notifications/zns_local.py`, its own process on 127.0.0.1), timed until every delivery
is recorded SENT, against bare loops posting the same requests (the same JSON bodies and access
token) to the same server: `urllib.request`, a connection per request, and `http.client` over one
keep-alive connection; the worker's memory for 1,000 and 10,000 notices; where a delivery's time
goes in `deliveries_send`. The target for the fan-out is at least 50 % of the `urllib.request`
rate, with flat worker memory. It needs PostgreSQL and Redis on 127.0.0.1; it makes the database
`coordination_bench_zalo` afresh and drops it at the end (`--keep` keeps it), uses Redis database 14
unless `--redis` names another (flushed before and after), takes about a minute on 2 cores,
writes its figures as JSON to `bench/results/zalo-<time>.json` and puts a dated entry first in this
section (`--no-append` does not). `--help` lists the sizes it takes.
"""


def benchmarks_update(report: dict, text: str) -> None:
    """The notification benchmark's writer, for this section."""
    with mock.patch.object(notify_fanout, "SECTION", SECTION), mock.patch.object(notify_fanout, "INTRO", INTRO):
        notify_fanout.benchmarks_update(report, text)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    database_url = f"{args.postgres.rstrip('/')}/{args.database}"
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="coordination-zalo-bench-"))
    require_service(args.postgres, 5432, "PostgreSQL")
    require_service(args.redis, 6379, "Redis")
    print(f"Database {args.database} (made again), Redis {args.redis} (flushed)", flush=True)
    recreate_database(args.postgres, args.database)
    flush_redis(args.redis)
    try:
        with zns_process(scratch) as (url, refresh_token, zns_pid, zns):
            print(f"Local ZNS pid {zns_pid} on {url}", flush=True)
            # No e-mail goes out; the SMTP port only completes the worker's settings.
            env = environment(database_url, args.redis, free_port())
            env.update(zalo_env(url))
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
                "command": " ".join([".venv/bin/python", "bench/zalo_fanout.py", *sys.argv[1:]]),
                "machine": machine(),
                "settings": {
                    "concurrency": args.concurrency,
                    "database": args.database,
                    "redis": args.redis,
                    "notify_batch_size": django_settings.NOTIFY_BATCH_SIZE,
                    "notify_send_batch_size": django_settings.NOTIFY_SEND_BATCH_SIZE,
                    "zalo_backend": django_settings.ZALO_BACKEND,
                    "template_id": TEMPLATE_ID,
                },
                "loadavg_before": [round(x, 2) for x in os.getloadavg()],
            }
            print(f"Making {args.notices} families who chose Zalo for announcements", flush=True)
            ids = families(args.notices)
            zalo_setup(refresh_token)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            connection.close()

            report["fan_out"] = []
            for n in sorted({args.small, args.notices}):
                print(f"Fan-out of {n} notices by Zalo through the worker", flush=True)
                run = fan_out_run(n, ids, env=env, zns=zns, zns_pid=zns_pid, scratch=scratch, args=args)
                report["fan_out"].append(run)
                print(f"  {run['msg_per_s']:.0f} msg/s, peak RSS {run['peak_rss_mb']:.0f} MB", flush=True)
                if not run["all_sent"]:
                    raise SystemExit(f"the fan-out of {n} did not end with every delivery sent once: {run}")
            report["server_distinct_tracking_ids"] = zns.distinct
            flush_redis(args.redis)

            bodies, token, build_seconds = request_bodies(report["fan_out"][-1]["dedupe_key"])
            print(f"The same {len(bodies)} requests through a bare urllib loop", flush=True)
            report["urllib"] = baseline_run("urllib.request", urllib_loop, bodies, url, token, zns, zns_pid)
            print(f"  {report['urllib']['msg_per_s']:.0f} msg/s", flush=True)
            print("The same requests through a bare http.client keep-alive loop", flush=True)
            report["keep_alive"] = baseline_run(
                "http.client keep-alive", keep_alive_loop, bodies, url, token, zns, zns_pid
            )
            print(f"  {report['keep_alive']['msg_per_s']:.0f} msg/s", flush=True)
            report["bodies_built_beforehand_s"] = round(build_seconds, 2)
            report["mean_body_bytes"] = round(sum(map(len, bodies)) / len(bodies), 1)
            del bodies
            rate = report["fan_out"][-1]["msg_per_s"]
            report["ratio_urllib"] = round(rate / report["urllib"]["msg_per_s"], 4)
            report["ratio_keep_alive"] = round(rate / report["keep_alive"]["msg_per_s"], 4)
            print(
                f"  ratio to urllib {report['ratio_urllib']:.1%}, to keep-alive {report['ratio_keep_alive']:.1%}",
                flush=True,
            )

            print(f"Timing {args.profile} deliveries step by step", flush=True)
            report["profile"] = profile_steps(ids[: args.profile], args.redis)
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
    out = RESULTS_DIR / f"zalo-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{text}\n\nWritten to {out.relative_to(ROOT)} in {report['seconds']:.0f} s.")
    if not args.no_append:
        benchmarks_update(report, text)
        print(f"Written to BENCHMARKS.md, section {SECTION[3:]!r}.")
    baselines_ok = all(
        b["refused"] == 0 and b["received"] == b["messages"] for b in (report["urllib"], report["keep_alive"])
    )
    ok = all(run["all_sent"] for run in report["fan_out"]) and baselines_ok
    if report["ratio_urllib"] < TARGET_RATIO:
        print(f"The fan-out reached {report['ratio_urllib']:.1%} of the urllib rate (target {TARGET_RATIO:.0%}).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
