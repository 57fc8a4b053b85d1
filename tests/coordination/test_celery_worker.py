"""A real Celery worker process, on Redis, does the work that a web request queued.

Everywhere else the suite runs tasks in-process (eagerly); this test proves the
production path end to end: the service queues the task when its transaction
commits, the message goes through Redis, and a separate worker process, using
the same PostgreSQL test database, does the job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection

from bench.production_env import database_url_with_password, secret_key
from coordination.celery import app as celery_app
from schools.models import StaffMembership, StaffRole
from schools.services import staff_member_create
from tests import factories as f
from tests.conftest import requires_postgres, requires_redis

# A Redis database of its own, so that this test neither sees nor leaves
# messages in the queues of anything else using the same server.
WORKER_REDIS_DB = 13
WAIT_SECONDS = 60


def _dedicated_redis_url(url: str) -> str:
    return urlparse(url)._replace(path=f"/{WORKER_REDIS_DB}").geturl()


def _test_database_url() -> str:
    """The database that this test run really uses (pytest-django's test_… copy)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def _celery_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("celery")
    program = [str(beside_python)] if beside_python.exists() else [sys.executable, "-m", "celery"]
    return [
        *program,
        "-A",
        "coordination",
        "worker",
        "--pool=solo",
        "-Q",
        "default",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def _worker_env(broker_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.setdefault("SECRET_KEY", secret_key())
    env.update(
        DJANGO_SETTINGS_MODULE="coordination.settings",
        # A worker with DEBUG=0 starts only with real secrets (coordination/lib/deploy.py).
        DATABASE_URL=database_url_with_password(_test_database_url()),
        DB_CONN_MAX_AGE="0",
        REDIS_URL=broker_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    return env


def _flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def _reset_producer_pools() -> None:
    """Forget broker connections made for another URL (they are cached on the app)."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def queue_on_redis(settings, monkeypatch):
    """Send `.delay()` to the dedicated Redis database instead of running tasks in-process."""
    requires_postgres()
    url = _dedicated_redis_url(requires_redis())
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    # The app reads Django's settings live; values set on its conf shadow them
    # until they are taken out again.
    celery_app.conf.get("broker_url")  # reading loads the configuration
    changes = celery_app.conf.changes
    saved = {key: changes[key] for key in ("broker_url", "task_always_eager") if key in changes}
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    _reset_producer_pools()
    _flush(url)
    yield url
    for key in ("broker_url", "task_always_eager"):
        changes.pop(key, None)
    changes.update(saved)
    _reset_producer_pools()
    _flush(url)


@pytest.mark.worker
def test_worker_sends_the_staff_welcome(transactional_db, queue_on_redis, tmp_path):
    assert not django_settings.CELERY_TASK_ALWAYS_EAGER

    school = f.SchoolFactory()
    principal = f.StaffFactory(school=school, role=StaffRole.PRINCIPAL, user=f.UserFactory(is_staff=True)).user

    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            _celery_command(),
            cwd=django_settings.BASE_DIR,
            env=_worker_env(queue_on_redis),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        membership = staff_member_create(
            school=school,
            by=principal,
            full_name="Đinh Thị Thu",
            role=StaffRole.NURSE,
            email="nurse.new@example.test",
        )

        deadline = time.monotonic() + WAIT_SECONDS
        sent_at = None
        while time.monotonic() < deadline:
            sent_at = StaffMembership.objects.filter(pk=membership.pk).values_list("welcome_sent_at", flat=True).get()
            if sent_at is not None:
                break
            if worker.poll() is not None:
                break
            time.sleep(0.5)

        output = log_path.read_text(errors="replace")[-4000:]
        assert worker.poll() is None, f"the worker stopped with code {worker.returncode}:\n{output}"
        assert sent_at is not None, f"no welcome after {WAIT_SECONDS} s; worker output:\n{output}"
        # The task ran in the worker, not in this process.
        assert mail.outbox == []
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
