"""With DEBUG=0, the web application, the Celery worker and beat refuse to start on a missing or published secret.

Each is started as production starts it, in a process of its own: gunicorn on
coordination.wsgi, the ASGI application, `celery worker` and `celery beat`.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest

from tests.coordination.processes import ROOT, clean_env, production_env, program, run, run_python

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refused(result: subprocess.CompletedProcess, variable: str, process: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"started anyway:\n{output[-3000:]}"
    assert f"The {process} refuses to start with DEBUG=0" in output, output[-3000:]
    assert f"  - {variable} " in output, output[-3000:]
    return output


# --- The web application (WSGI, under gunicorn as in the image) ---------------------------


def gunicorn(env, port: int) -> list[str]:
    return [program("gunicorn"), "coordination.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]


@pytest.mark.parametrize(
    ("variable", "values"),
    [
        ("SECRET_KEY", {"SECRET_KEY": ""}),
        ("SECRET_KEY", {"SECRET_KEY": "change-me-this-default-is-public-and-only-for-a-local-trial"}),
        ("SECRET_KEY", {"SECRET_KEY": "django-insecure-embedded-default-only-for-local-use"}),
        ("DATABASE_URL", {"DATABASE_URL": "postgres://coordination:coordination@127.0.0.1:5432/coordination"}),
        (
            "S3_SECRET_KEY",
            {"S3_BUCKET": "media", "S3_ACCESS_KEY": "portal-7Hq2", "S3_SECRET_KEY": "change-me-minio-secret"},
        ),
    ],
)
def test_wsgi_refuses_to_start(tmp_path, variable, values):
    env = production_env(tmp_path, **values)

    result = run(gunicorn(env, free_port()), env, timeout=START_SECONDS)

    output = refused(result, variable, "web application")
    # No secret is echoed back.
    for value in values.values():
        if len(value) > 20:
            assert value not in output


def test_wsgi_starts_with_real_secrets_and_answers(tmp_path):
    env = production_env(tmp_path)
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            gunicorn(env, port), cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        status = None
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    status = response.status
                break
            except OSError:
                time.sleep(0.3)
        assert server.poll() is None, f"gunicorn stopped:\n{log_path.read_text()[-3000:]}"
        # Plain HTTP reaches /healthz although HTTPS redirects are on: health checks ask so.
        assert status == 200, log_path.read_text()[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- The web application (ASGI) ---------------------------------------------------------

ASGI_HEALTHZ = """
import asyncio
from asgiref.testing import ApplicationCommunicator
from coordination.asgi import application

async def main():
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": "/healthz", "raw_path": b"/healthz", "query_string": b"",
             "root_path": "", "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80)}
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(30)
    print("status", start["status"])

asyncio.run(main())
"""


def test_asgi_refuses_to_start(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://coordination@db.example.org:5432/coordination")

    result = run_python(ASGI_HEALTHZ, env)

    refused(result, "DATABASE_URL", "web application")
    assert "status" not in result.stdout


def test_asgi_starts_with_real_secrets_and_answers(tmp_path):
    env = production_env(tmp_path)

    result = run_python(ASGI_HEALTHZ, env)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "status 200" in result.stdout


# --- The Celery worker and beat ---------------------------------------------------------


def celery(*args: str) -> list[str]:
    return [program("celery"), "-A", "coordination", *args]


WORKER = ("worker", "--loglevel=INFO", "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat")


def test_worker_refuses_to_start(tmp_path):
    env = production_env(
        tmp_path, S3_BUCKET="media", S3_ACCESS_KEY="coordination", S3_SECRET_KEY="2d8Kq-real-enough-secret"
    )

    result = run(celery(*WORKER), env, timeout=START_SECONDS)

    refused(result, "S3_ACCESS_KEY", "Celery worker")


def test_beat_refuses_to_start(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="")

    result = run(celery("beat", "--schedule", str(tmp_path / "schedule")), env, timeout=START_SECONDS)

    refused(result, "SECRET_KEY", "Celery beat")


def test_worker_starts_with_real_secrets(tmp_path):
    # An in-memory broker: the worker gets as far as taking tasks, with no server needed.
    env = production_env(tmp_path, CELERY_BROKER_URL="memory://", CELERY_TASK_ALWAYS_EAGER="0")
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            celery(*WORKER), cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and worker.poll() is None and " ready." not in log_path.read_text():
            time.sleep(0.3)
        output = log_path.read_text()
        assert worker.poll() is None, f"the worker stopped:\n{output[-3000:]}"
        assert " ready." in output, output[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_development_starts_without_any_secret(tmp_path):
    """DEBUG=1 (make run): the built-in development key and SQLite, nothing to set."""
    env = clean_env(DEBUG="1", MEDIA_ROOT=str(tmp_path / "media"))

    result = run_python(
        "from django.conf import settings; import coordination.wsgi; print('started', settings.SECRET_KEY)", env
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "started django-insecure-embedded-default-only-for-local-use" in result.stdout
