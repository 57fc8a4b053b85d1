"""gunicorn's settings for the portal: `gunicorn --config python:coordination.gunicorn_conf coordination.wsgi`.

Every value comes from the environment (docker-compose.yml, .env.example):

- WEB_CONCURRENCY (or GUNICORN_WORKERS): worker processes; default twice the CPUs plus one, at most 8;
- GUNICORN_THREADS: threads per process (gthread workers: a slow phone holds a thread, not a process);
- GUNICORN_TIMEOUT: seconds a request may take before its worker is replaced;
- GUNICORN_MAX_REQUESTS: requests after which a worker is replaced (with up to a tenth more, at
  random, so that the workers do not all restart at once); 0: never;
- GUNICORN_BIND: where to listen (0.0.0.0:8000, behind nginx).

/metrics adds up what every worker process counted: prometheus-client's multiprocess mode keeps
each process's numbers in files under PROMETHEUS_MULTIPROC_DIR, emptied here when gunicorn starts,
a dead worker's live gauges dropped when it exits.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, 8)


def workers_from_env() -> int:
    return max(1, _int("WEB_CONCURRENCY", _int("GUNICORN_WORKERS", default_workers())))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = workers_from_env()
worker_class = "gthread"
threads = max(1, _int("GUNICORN_THREADS", 4))
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps its connections to gunicorn open between requests.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The heartbeat files in memory, not on the container's disk: each container has its own /dev/shm.
MEMORY_DIR = Path("/dev/shm")  # noqa: S108
worker_tmp_dir = str(MEMORY_DIR) if MEMORY_DIR.is_dir() else None
# The access log on stdout: the client as nginx saw it (X-Forwarded-For), the time taken in
# microseconds and nginx's request id, which the portal's own log lines of the request carry too.
accesslog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s" id=%({x-request-id}i)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Where each worker process keeps its numbers for /metrics: given, or a directory of this start's own.
METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
    prefix="coordination-metrics-", dir=worker_tmp_dir
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR


def on_starting(server) -> None:
    """The numbers of a previous run are not this one's: start from an empty directory."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
