"""HTTP benchmark: the family and principal home pages, a ward's and the province's dashboards, a child's
activity feed, a work's page (the QR label's address) and an empty signed-in page with the site's header
and menu, against /healthz, at 10 and 500 schools.

Run from the repository root with the project's Python (this is what `make bench` does):

    .venv/bin/python bench/run_http.py [--fresh] [--scales 10,500] [--concurrency 8] ...

For each scale it fills a dedicated PostgreSQL database of its own
(`coordination_bench_<schools>`, kept for the next run) with `seed_scale`,
starts gunicorn on a free loopback port, signs in a sample guardian and a
sample principal by creating their sessions directly in the database, and
loads each page with the same number of connections. Every response must be
200 and show what the page is about (the children's names, the school's
figures). It prints a Markdown table and writes the figures as JSON to
bench/results/. gunicorn is stopped by its PID at the end, also on errors.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scale  # noqa: E402
from bench.loadgen import LOOPBACK, LoadResult, combine, run_load  # noqa: E402
from bench.production_env import database_url_with_password  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
# Only for the benchmark's own processes: the sessions made here must be valid in gunicorn.
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-real-deployment"
# The cache, as in production: a Redis database of the benchmark's own (emptied at the start of each scale).
BENCH_REDIS_URL = "redis://127.0.0.1:6379/7"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10,500", help="Numbers of schools to measure at, ascending (10,500).")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without a database name (loopback only).",
    )
    parser.add_argument(
        "--database",
        default="coordination_bench",
        help="Prefix of the dedicated databases, one per scale: <prefix>_<schools> (coordination_bench).",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="Drop and recreate each scale's database first (otherwise it is reused)."
    )
    parser.add_argument("--concurrency", type=int, default=8, help="Connections per page (8).")
    parser.add_argument("--seconds", type=float, default=20, help="Measuring time per page, over all rounds (20 s).")
    parser.add_argument("--requests", type=int, default=50000, help="Measured requests per page, at most (50000).")
    parser.add_argument("--rounds", type=int, default=5, help="The pages take turns this many times (5).")
    parser.add_argument("--warmup", type=int, default=100, help="Unmeasured requests per page first (100).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2).")
    parser.add_argument("--children-per-school", type=int, default=150)
    parser.add_argument(
        "--seed-only",
        action="store_true",
        help="Fill (or complete) each scale's database and build its figures, then stop without measuring.",
    )
    parser.add_argument(
        "--redis",
        default=BENCH_REDIS_URL,
        help=f"Redis database for the cache, emptied at each scale ({BENCH_REDIS_URL}; '' for the in-process cache).",
    )
    args = parser.parse_args(argv)
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if urlparse(args.postgres).hostname not in LOOPBACK:
        parser.error("--postgres must point at the loopback interface")
    if args.redis and urlparse(args.redis).hostname not in LOOPBACK:
        parser.error("--redis must point at the loopback interface")
    if args.fresh and "bench" not in args.database:
        parser.error("--fresh drops the database: its name must contain 'bench'")
    return args


# --- the database ------------------------------------------------------------


def ensure_database(server: str, name: str, *, fresh: bool) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(f"{server.rstrip('/')}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            if fresh:
                print(f"Dropping database {name}")
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"Creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def database_name(prefix: str, schools: int) -> str:
    return f"{prefix}_{schools}"


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


def use_database(name: str) -> None:
    """Points this process's Django connection at another scale's database."""
    from django.conf import settings
    from django.db import connection

    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name


def environment(url: str, scratch: str, redis_url: str = "") -> dict[str, str]:
    """Production settings, minus what a loopback benchmark cannot or should not use.

    With `redis_url` the cache is in Redis as in production (shared by the workers); Celery's tasks
    still run in-process: there is no worker to take them."""
    env = dict(os.environ)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    env.update(
        # The portal's settings, with the benchmark's probe page (a signed-in empty page) added to its URLs.
        DJANGO_SETTINGS_MODULE="bench.http_settings",
        DEBUG="0",
        # Plain HTTP on the loopback: no redirect to HTTPS (on by default with DEBUG=0).
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url_with_password(url),
        SECRET_KEY=BENCH_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        MFA_REQUIRED_ROLES="",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        # /healthz writes and deletes a file in MEDIA_ROOT; nothing is collected into STATIC_ROOT.
        MEDIA_ROOT=str(Path(scratch) / "media"),
        STATIC_ROOT=str(Path(scratch) / "static"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # The synthetic report section (bench/report_sections.py) gives the authorities' dashboards figures.
        BENCH_REPORT_SECTION="1",
    )
    if redis_url:
        env.update(REDIS_URL=redis_url, CACHE_KEY_PREFIX="bench", CELERY_BROKER_URL="", CELERY_TASK_ALWAYS_EAGER="1")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- in-process Django: sessions, expected content, query counts --------------


def session_cookie(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# Children's works: every child of every scale school gets WORKS_PER_CHILD works in one domain, each
# with a photo (its files are never read: the page only links to them) and ready QR images. The sample
# family's child in Lá 1 gets more, with several photos, a voice note and the family's consents, so
# that the measured work page shows photos, the voice player and earlier works.
WORKS_PER_CHILD = 2
SAMPLE_WORKS = 8
SAMPLE_PHOTOS = 3
WORK_TITLES = ["Bức tranh gia đình", "Vườn ươm của những bạn nhỏ", "Con thuyền giấy", "Ngôi nhà của em"]


def figures_are_current() -> bool:
    """Whether every school has this month's report figures (a reused database needs no new build)."""
    from django.utils import timezone

    from reports.models import Figure
    from schools.models import School

    month = timezone.localdate().replace(day=1)
    built = Figure.objects.filter(month=month).values("school_id").distinct().count()
    return built >= School.objects.count()


def seed_works(batch_schools: int = 20) -> int:
    """Add works to the scale schools that have none (so a reused database is completed, not doubled)."""
    import uuid

    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from accounts.models import User
    from mediafiles.models import Audience, Kind, MediaFile, State
    from parents.models import ConsentPurpose, ConsentRecord
    from portfolio.models import Work, WorkPhoto, new_token
    from schools.models import Child, School

    schools = list(
        School.objects.filter(slug__startswith="scale-")
        .filter(~Exists(Work.objects.filter(school_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    today = now.date()
    guardian = User.objects.get(email=scale.SAMPLE_GUARDIAN)
    sample_child = Child.objects.filter(guardianships__guardian=guardian, classroom__name="Lá 1").first()

    def media(school_id: int, kind: str = Kind.IMAGE) -> MediaFile:
        pk = uuid.uuid4()
        image = kind == Kind.IMAGE
        return MediaFile(
            id=pk,
            school_id=school_id,
            audience=Audience.STAFF,
            kind=kind,
            state=State.READY,
            original_name="tranh.jpg" if image else "giong-noi.m4a",
            content_type="image/jpeg" if image else "audio/mp4",
            size=300_000 if image else 200_000,
            received=300_000 if image else 200_000,
            width=1280 if image else None,
            height=960 if image else None,
            duration=None if image else 12.0,
            original=f"bench/{pk}/original",
            rendition="" if image else f"bench/{pk}/voice.m4a",
            thumbnail=f"bench/{pk}/thumb.jpg" if image else "",
            thumbnail_webp=f"bench/{pk}/thumb.webp" if image else "",
            preview=f"bench/{pk}/preview.jpg" if image else "",
            preview_webp=f"bench/{pk}/preview.webp" if image else "",
            ready_at=now,
        )

    added = 0
    for start in range(0, len(schools), batch_schools):
        part = schools[start : start + batch_schools]
        children = Child.objects.filter(school_id__in=part, classroom__isnull=False).values_list(
            "pk", "school_id", "classroom_id"
        )
        files, works, photos = [], [], []
        for child_id, school_id, classroom_id in children:
            sample = child_id == sample_child.pk
            for n in range(SAMPLE_WORKS if sample else WORKS_PER_CHILD):
                token = new_token()
                voice = media(school_id, Kind.AUDIO) if sample and n == 0 else None
                work = Work(
                    school_id=school_id,
                    child_id=child_id,
                    classroom_id=classroom_id,
                    title=WORK_TITLES[n % len(WORK_TITLES)],
                    teacher_note="Bé tự chọn màu và kể cho cả lớp nghe về bức tranh.",
                    domain="aesthetic",
                    made_on=today - datetime.timedelta(days=7 * n + 1),
                    voice=voice,
                    token=token,
                    qr_svg=f"bench/qr/{token}.svg",
                    qr_png=f"bench/qr/{token}.png",
                    qr_token=token,
                )
                works.append(work)
                files.extend([voice] if voice else [])
                for position in range(SAMPLE_PHOTOS if sample else 1):
                    photo = media(school_id)
                    files.append(photo)
                    photos.append(WorkPhoto(school_id=school_id, work=work, media=photo, position=position))
        with transaction.atomic():
            MediaFile.objects.bulk_create(files, batch_size=5000)
            Work.objects.bulk_create(works, batch_size=5000)
            WorkPhoto.objects.bulk_create(photos, batch_size=5000)
            if sample_child.school_id in part:
                ConsentRecord.objects.bulk_create(
                    ConsentRecord(
                        school_id=sample_child.school_id,
                        child=sample_child,
                        guardian=guardian,
                        purpose=purpose,
                        granted=True,
                        text_version="bench",
                        text="bench",
                    )
                    for purpose in (ConsentPurpose.PORTFOLIO_PHOTOS, ConsentPurpose.VOICE_RECORDINGS)
                )
        added += len(works)
    return added


def data_size() -> dict[str, int]:
    from accounts.models import User
    from parents.models import Guardianship
    from portfolio.models import Work
    from schools.models import Child, School

    return {
        "schools": School.objects.count(),
        "children": Child.objects.count(),
        "guardianships": Guardianship.objects.count(),
        "users": User.objects.count(),
        "works": Work.objects.count(),
    }


def pages() -> list[dict]:
    """The pages to measure, who sees them, and what each response must contain."""
    from django.contrib.auth import get_user_model
    from django.utils.html import escape

    from schools.models import Child, School

    User = get_user_model()
    guardian = User.objects.get(email=scale.SAMPLE_GUARDIAN)
    principal = User.objects.get(email=scale.SAMPLE_PRINCIPAL)
    ward_officer = User.objects.get(email=scale.officer_email(1))
    province_officer = User.objects.get(email=scale.PROVINCE_OFFICER)
    school = School.objects.get(slug=scale.school_slug(scale.SAMPLE_SCHOOL))
    names = sorted(Child.objects.filter(guardianships__guardian=guardian).values_list("full_name", flat=True))
    if len(names) < 2:
        raise SystemExit(f"{scale.SAMPLE_GUARDIAN} should have two children; was the database seeded by seed_scale?")
    children = Child.objects.filter(school=school, left_on__isnull=True).count()
    # The feed of the sample family's child in Lá 1, which must show the class's newest activity.
    from activities.models import Activity

    feed_child = (
        Child.objects.filter(guardianships__guardian=guardian, classroom__name="Lá 1")
        .select_related("classroom")
        .first()
    )
    teacher = User.objects.get(staff_memberships__classrooms=feed_child.classroom_id)
    newest = (
        Activity.objects.filter(links__classroom=feed_child.classroom, state=Activity.State.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("title", flat=True)
        .first()
    )
    if newest is None:
        raise SystemExit("the scale schools have no home activities; run with --fresh to seed them")
    from portfolio.models import Work

    work, earlier = Work.objects.filter(child=feed_child, voice__isnull=False).first(), None
    if work is not None:
        earlier = Work.objects.filter(child=feed_child, made_on__lt=work.made_on).order_by("-made_on").first()
    if work is None or earlier is None:
        raise SystemExit("the sample child has no works; was the database seeded by seed_works?")
    return [
        {"name": "healthz", "path": "/healthz", "cookie": "", "expect": [b'"status": "ok"']},
        {
            "name": "family home",
            "path": "/family/",
            "cookie": session_cookie(guardian),
            "expect": [escape(name).encode() for name in names],
        },
        {
            "name": "principal home",
            "path": f"/schools/{school.slug}/manage/",
            "cookie": session_cookie(principal),
            "expect": [escape(school.name).encode(), f"<b>{children}</b>".encode()],
        },
        # The authorities' dashboards for this month: a ward of twenty schools, and the whole province.
        {
            "name": "commune dashboard",
            "path": f"/reports/area/{scale.ward_slug(1)}/",
            "cookie": session_cookie(ward_officer),
            "expect": [escape(school.name).encode(), b'data-row="commune"', b"<svg"],
        },
        {
            "name": "provincial dashboard",
            "path": f"/reports/area/{scale.PROVINCE_SLUG}/",
            "cookie": session_cookie(province_officer),
            # The ward of the sample school, with its total (a large province lists its communes only).
            "expect": [escape(school.authority.name).encode(), b'data-row="province"', b"<svg"],
        },
        {
            "name": "family activity feed",
            "path": f"/children/{feed_child.pk}/activities/",
            "cookie": session_cookie(guardian),
            "expect": [escape(feed_child.full_name).encode(), escape(newest).encode()],
        },
        # The floor of every signed-in page: the site's header and menu, nothing else (bench/views.py).
        {
            "name": "empty page",
            "path": "/bench/empty",
            "cookie": session_cookie(guardian),
            "expect": [b"<h1>Bench</h1>", b'action="/accounts/logout/"'],
        },
        # The same layout for someone not signed in: the floor of every public page.
        {
            "name": "anonymous empty page",
            "path": "/bench/empty-anonymous",
            "cookie": "",
            "expect": [b"<h1>Bench</h1>", b'href="/accounts/login/"'],
        },
        # A teacher's class: the roster of Lá 1 with each child's families.
        {
            "name": "teacher class page",
            "path": f"/classes/{feed_child.classroom_id}/",
            "cookie": session_cookie(teacher),
            "expect": [escape(feed_child.full_name).encode(), escape(feed_child.classroom.name).encode()],
        },
        # The family's weekly menus (the scale schools publish none: the page says so).
        {
            "name": "menu page",
            "path": "/menus/",
            "cookie": session_cookie(guardian),
            "expect": [b'action="/accounts/logout/"', b"<h1"],
        },
        # The school's public transparency board, for anyone (the scale schools have no campaigns).
        {
            "name": "transparency board",
            "path": f"/schools/{school.slug}/transparency/",
            "cookie": "",
            "expect": [escape(school.name).encode()],
        },
        # The page behind a QR label: the family's child's newest work, with its photos, voice note
        # and earlier works (seed_works). Opened once before, as a family rereads it.
        {
            "name": "work page",
            "path": f"/w/{work.token}",
            "cookie": session_cookie(guardian),
            "expect": [
                escape(work.title).encode(),
                escape(feed_child.given_name).encode(),
                b"<picture",
                b"<audio",
                f'href="/w/{earlier.token}"'.encode(),
            ],
        },
    ]


def profile(page: dict) -> dict:
    """Queries, their time and the HTML size of one response, rendered in-process with the same session."""
    from django.db import connection
    from django.test import Client

    queries: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - t0, sql))

    client = Client(HTTP_COOKIE=page["cookie"]) if page["cookie"] else Client()
    client.get(page["path"])  # the first request also loads templates and translations
    with connection.execute_wrapper(timed):
        response = client.get(page["path"])
    body = response.content
    if response.status_code != 200 or not all(part in body for part in page["expect"]):
        raise SystemExit(f"{page['path']} answered {response.status_code} without the expected content")
    slowest = max(queries, default=(0.0, ""))
    timings = []
    for _ in range(20):
        t0 = time.perf_counter()
        client.get(page["path"])
        timings.append(time.perf_counter() - t0)
    return {
        # One request in this process, without HTTP or concurrency: the page's own cost.
        "render_ms": round(statistics.median(timings) * 1000, 2),
        "queries": len(queries),
        "db_ms": round(sum(seconds for seconds, _ in queries) * 1000, 2),
        "html_bytes": len(body),
        "slowest_query_ms": round(slowest[0] * 1000, 2),
        "slowest_query": slowest[1][:300],
    }


# --- gunicorn ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn's master by its PID; it stops its own workers."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log_path: Path):
    port = free_port()
    binary = Path(sys.executable).parent / "gunicorn"
    command = [
        str(binary if binary.exists() else shutil.which("gunicorn") or "gunicorn"),
        "coordination.wsgi",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start in 30 s; see {log_path}") from None
                time.sleep(0.2)
        yield port, process.pid
    finally:
        stop(process)


# --- the run -------------------------------------------------------------------


def measure(port: int, targets: list[dict], args) -> list[dict]:
    """Warm every page up, then load them in turn, round after round, so that a change in the
    machine's background load during the run touches every page alike."""

    def load(page: dict, max_requests: int, max_seconds: float) -> LoadResult:
        headers = {"User-Agent": "coordination-bench", "Accept-Language": "vi"}
        if page["cookie"]:
            headers["Cookie"] = page["cookie"]
        expect = page["expect"]
        return run_load(
            "127.0.0.1",
            port,
            page["path"],
            headers=headers,
            check=lambda body: all(part in body for part in expect),
            concurrency=args.concurrency,
            max_requests=max_requests,
            max_seconds=max_seconds,
        )

    for page in targets:
        warm = load(page, args.warmup, 30)
        if warm.failures:
            raise SystemExit(f"{page['path']} failed during warm-up: {warm.failure_samples}")
    rounds: list[list[LoadResult]] = [[] for _ in targets]
    for _ in range(args.rounds):
        for page, results in zip(targets, rounds, strict=True):
            results.append(load(page, math.ceil(args.requests / args.rounds), args.seconds / args.rounds))
    measured = []
    for results in rounds:
        total = combine(results).as_dict()
        total["rounds_req_per_s"] = [r.req_per_s for r in results]
        measured.append(total)
    return measured


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "postgresql": postgres,
    }


# (page, against, target): the issues' targets, each a median over rounds at 500 schools.
RATIO_TARGETS = [
    ("empty page", "healthz", 0.45),
    ("anonymous empty page", "healthz", 0.60),
    ("family home", "empty page", 0.75),
    ("family activity feed", "empty page", 0.85),
    ("teacher class page", "empty page", 0.70),
    ("principal home", "empty page", 0.70),
    ("work page", "empty page", 0.80),
    ("menu page", "empty page", 0.80),
    ("commune dashboard", "empty page", 0.70),
    ("provincial dashboard", "empty page", 0.50),
    ("transparency board", "anonymous empty page", 0.70),
]


def ratio_table(report: dict) -> str:
    lines = ["| schools | page | against | median (range) | target | met |", "|---:|---|---|---:|---:|---|"]
    for run in report["runs"]:
        for row in run.get("ratios", []):
            spread = f"{min(row['rounds']):.2f}–{max(row['rounds']):.2f}"
            met = "yes" if row["median"] >= row["target"] else "no"
            lines.append(
                f"| {run['rows']['schools']} | {row['page']} | {row['against']} | {row['median']:.2f} ({spread}) "
                f"| {row['target']:.2f} | {met} |"
            )
    return "\n".join(lines)


def table(report: dict) -> str:
    lines = [
        "| schools | page | requests | req/s | p50 ms | p95 ms | ratio to /healthz: median (range) "
        "| queries | DB ms | render ms | HTML KB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in report["runs"]:
        for page in run["pages"]:
            load = page["load"]
            ratios = page["rounds_ratio_to_healthz"]
            spread = f"{min(ratios):.2f}–{max(ratios):.2f}"
            lines.append(
                f"| {run['rows']['schools']} | `{page['path']}` | {load['requests']} | {load['req_per_s']:.0f} "
                f"| {load['p50_ms']:.1f} | {load['p95_ms']:.1f} | {page['ratio_to_healthz']:.2f} ({spread}) "
                f"| {page['queries']} | {page['db_ms']:.1f} | {page['render_ms']:.1f} "
                f"| {page['html_bytes'] / 1024:.1f} |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    # Let `kill <pid>` of this script run the clean-up below, like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    started = time.monotonic()
    # One database per scale, kept between runs: a reused one is completed, never shrunk, so that a
    # smaller scale never measures a bigger database, and 5,000 schools need not be seeded every run.
    names = {schools: database_name(args.database, schools) for schools in args.scales}
    for name in names.values():
        ensure_database(args.postgres, name, fresh=args.fresh)

    scratch = tempfile.mkdtemp(prefix="coordination-bench-")
    (Path(scratch) / "static").mkdir()
    env = environment(database_url(args.postgres, names[args.scales[0]]), scratch, redis_url=args.redis)
    try:
        # This process renders pages too (to count queries), with the test client's host allowed.
        os.environ.update(env, ALLOWED_HOSTS="127.0.0.1,testserver")
        import django

        django.setup()
        from django.db import connection

        report = {
            "started_at": now.isoformat(timespec="seconds"),
            "command": " ".join([".venv/bin/python", "bench/run_http.py", *sys.argv[1:]]),
            "machine": machine(),
            "settings": {
                "concurrency": args.concurrency,
                "max_requests": args.requests,
                "max_seconds": args.seconds,
                "warmup": args.warmup,
                "rounds": args.rounds,
                "gunicorn_workers": args.workers,
                "databases": list(names.values()),
            },
            "runs": [],
        }
        failed = False
        for schools in args.scales:
            print(f"\n== {schools} schools, database {names[schools]} ==", flush=True)
            env = environment(database_url(args.postgres, names[schools]), scratch, redis_url=args.redis)
            use_database(names[schools])
            # Migrate before every scale: the code may have gained migrations since the last one.
            manage(env, "migrate", "--noinput", "-v", "0")
            timings = {}
            t0 = time.monotonic()
            manage(env, "seed_scale", "--schools", str(schools), "--children-per-school", str(args.children_per_school))
            timings["seed_scale"] = round(time.monotonic() - t0, 1)
            t0 = time.monotonic()
            works_added = seed_works()
            timings["seed_works"] = round(time.monotonic() - t0, 1)
            if works_added:
                print(f"  added {works_added} children's works in {timings['seed_works']:.0f} s", flush=True)
            # The last four months' figures and the authorities' published tables, as the nightly job leaves
            # them; a reused database built since its last seeding keeps its own.
            if works_added or not figures_are_current():
                t0 = time.monotonic()
                manage(env, "reports_build", "--months", "4")
                timings["reports_build"] = round(time.monotonic() - t0, 1)
            print(f"  seeding and the reports' build took {timings} s", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # so that autovacuum does not start during the measurement
                cursor.execute("SELECT pg_database_size(current_database())")
                size_mb = round(cursor.fetchone()[0] / 1024**2)
            run = {
                "schools": schools,
                "database": names[schools],
                "database_mb": size_mb,
                "rows": data_size(),
                "seed_seconds": timings,
                "pages": [],
            }
            if run["rows"]["schools"] > schools:
                print(
                    f"  {names[schools]} already holds {run['rows']['schools']} schools, more than {schools}: "
                    "these figures are for that size (use --fresh to start from an empty database).",
                    flush=True,
                )
            if args.seed_only:
                report["runs"].append(run)
                continue
            if args.redis:
                from django.core.cache import cache

                cache.clear()  # the benchmark's own Redis database: nothing cached from an earlier run
            targets = pages()
            profiles = [profile(page) for page in targets]
            connection.close()
            log_path = RESULTS_DIR / f"gunicorn-{stamp}-{schools}.log"
            with gunicorn(env, args.workers, log_path) as (port, pid):
                print(f"gunicorn pid {pid} on 127.0.0.1:{port}", flush=True)
                # The machine's load average before and after: other work on it shows here.
                run["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
                loads = measure(port, targets, args)
                run["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
            print(f"  load average before {run['loadavg_before']}, after {run['loadavg_after']}", flush=True)
            baseline = loads[0]
            for page, page_profile, load in zip(targets, profiles, loads, strict=True):
                failed |= bool(load["failures"])
                # Each round's ratio to the baseline measured just before it; their median
                # is not moved by a burst of background load during one round.
                ratios = [
                    round(mine / base, 3) if base else 0.0
                    for mine, base in zip(load["rounds_req_per_s"], baseline["rounds_req_per_s"], strict=True)
                ]
                run["pages"].append(
                    {
                        "name": page["name"],
                        "path": page["path"],
                        "load": load,
                        "ratio_to_healthz": round(statistics.median(ratios), 3),
                        "rounds_ratio_to_healthz": ratios,
                        **page_profile,
                    }
                )
                print(
                    f"  {page['path']:32} {load['req_per_s']:7.1f} req/s  p95 {load['p95_ms']:6.1f} ms  "
                    f"{load['requests']} ok, {load['failures']} failed",
                    flush=True,
                )
            by_name = {page["name"]: page for page in run["pages"]}
            # Pages against a floor, round by round, with the issues' targets at 500 schools: the signed-in
            # pages against the signed-in empty page, the public ones against the anonymous empty page.
            run["ratios"] = []
            for name, base, target in RATIO_TARGETS:
                if name not in by_name or base not in by_name:
                    continue
                page_rounds = by_name[name]["load"]["rounds_req_per_s"]
                base_rounds = by_name[base]["load"]["rounds_req_per_s"]
                ratios = [round(w / e, 3) if e else 0.0 for w, e in zip(page_rounds, base_rounds, strict=True)]
                median = round(statistics.median(ratios), 3)
                run["ratios"].append(
                    {"page": name, "against": base, "median": median, "rounds": ratios, "target": target}
                )
                print(
                    f"  {name} / {base}: {median:.2f} (target {target:.2f}; rounds {ratios})",
                    flush=True,
                )
            report["runs"].append(run)

        report["seconds"] = round(time.monotonic() - started, 1)
        out = RESULTS_DIR / f"http-{stamp}.json"
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\n{table(report)}\n\n{ratio_table(report)}\n")
        print(f"Written to {out.relative_to(ROOT)} in {report['seconds']:.0f} s.")
        if failed:
            print("Some responses were not 200 or lacked the expected content.", file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
