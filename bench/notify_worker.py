"""A real Celery worker process for the notification benchmark and the worker-kill test.

The worker runs in a session (and process group) of its own, so that it can be
killed whole, the main process and its pool children together, by the group id
that is its own PID. Nothing else is ever signalled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.production_env import database_url_with_password, secret_key

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def celery_command(*, concurrency: int = 2, queues: str = "notifications,default", name: str = "notify") -> list[str]:
    beside_python = Path(sys.executable).with_name("celery")
    program = [str(beside_python)] if beside_python.exists() else [sys.executable, "-m", "celery"]
    return [
        *program,
        "-A",
        "coordination",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "-Q",
        queues,
        "-n",
        f"{name}-{os.getpid()}@%h",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def worker_env(*, database_url: str, broker_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    """This process's environment with the worker's database, broker and SMTP server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.pop("EMAIL_BACKEND", None)
    env.setdefault("SECRET_KEY", secret_key())
    env.update(
        DJANGO_SETTINGS_MODULE="coordination.settings",
        # A worker with DEBUG=0 starts only with a database password (coordination/lib/deploy.py).
        DATABASE_URL=database_url_with_password(database_url),
        REDIS_URL=broker_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        # An SMTP host makes the settings choose Django's SMTP backend.
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def group_pids(pgid: int) -> list[int]:
    """The live processes of one process group (the worker and its pool children)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            pids.append(int(entry.name))
    return pids


def memory_of(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) in bytes summed over the processes; PSS shares the pages that the pool's fork keeps common."""
    rss = pss = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                    break
    return rss, pss


@dataclass
class MemoryPeak:
    """Samples a worker's group every `interval` seconds in a thread until stopped."""

    pgid: int
    interval: float = 0.2
    peak_rss: int = 0
    peak_pss: int = 0
    peak_processes: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = group_pids(self.pgid)
            rss, pss = memory_of(pids)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> MemoryPeak:
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


class Worker:
    """`with Worker(env, log_path) as worker:` starts it; leaving stops it (TERM, then KILL of its group)."""

    def __init__(self, env: dict[str, str], log_path: Path, **command):
        self.env = env
        self.log_path = log_path
        self.command = celery_command(**command)
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> Worker:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def log_tail(self, size: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the worker says it is ready (it consumes from then on), or fail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker stopped with code {self.process.returncode}:\n{self.log_tail()}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.1)
        raise RuntimeError(f"the worker was not ready after {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the worker's whole process group: main process and pool children at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        # The pool children are reaped by nobody once the main process is gone:
        # wait until the group has no live member left.
        deadline = time.monotonic() + 10
        while group_pids(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self, timeout: float = 20) -> None:
        """Warm shutdown by SIGTERM to the main process; whatever is left of the group is killed."""
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                os.kill(self.process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=timeout)
        finally:
            self.kill()

    def __enter__(self) -> Worker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
