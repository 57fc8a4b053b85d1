"""gunicorn as the web service runs it (coordination/gunicorn_conf.py): its workers from the environment,
and /metrics adding up what each worker process counted."""

from __future__ import annotations

import importlib
import socket
import subprocess
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.coordination.processes import ROOT, production_env, program


@pytest.fixture
def config(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))  # restored after, like the rest

    def load(**env):
        for name in ("WEB_CONCURRENCY", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        import coordination.gunicorn_conf as module

        return importlib.reload(module)

    return load


def test_workers_threads_and_restarts_come_from_the_environment(config):
    assert config(WEB_CONCURRENCY="5", GUNICORN_WORKERS="3").workers == 5  # the common name first
    loaded = config(GUNICORN_WORKERS="3", GUNICORN_THREADS="8", GUNICORN_MAX_REQUESTS="1000")
    assert (loaded.workers, loaded.threads, loaded.worker_class) == (3, 8, "gthread")
    assert (loaded.max_requests, loaded.max_requests_jitter) == (1000, 100)
    assert 1 <= config().workers <= 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1", **headers})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (a local address of the test's)
        return response.status, response.read().decode()


def test_metrics_add_up_every_worker_process(tmp_path):
    port = free_port()
    env = production_env(
        tmp_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    server = subprocess.Popen(
        [program("gunicorn"), "--config", "python:coordination.gunicorn_conf", "coordination.wsgi"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _attempt in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                try:
                    server.wait(timeout=0.1)  # paces the attempts; returns at once if gunicorn stopped
                except subprocess.TimeoutExpired:
                    continue
                pytest.fail(f"gunicorn stopped: {server.stdout.read()}")
        else:
            pytest.fail("gunicorn did not listen")

        for n in range(6):
            assert get(port, "/healthz", **{"X-Request-ID": f"req{n}"})[0] == 200
        status, text = get(port, "/metrics")
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()

    assert status == 200
    counts = {
        sample.labels["view"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "coordination_http_request_duration_seconds_count"
    }
    assert counts["healthz"] == 6
    worker_files = {path.name for path in (tmp_path / "metrics").glob("histogram_*.db")}
    assert worker_files, "each worker keeps its counts in the multiprocess directory"
    # gunicorn's access log: one line per request, with nginx's request id.
    assert '"GET /healthz HTTP/1.1" 200' in output
    assert "id=req5" in output
