"""Upload memory benchmark: a 1 GiB upload through gunicorn must not raise the worker's peak RSS by 64 MB.

Run from the repository root with the project's Python (`make bench` runs it too):

    .venv/bin/python bench/media_upload.py [--size-mb 1024] [--chunk-mb 8]

What it does, all on loopback and in a temporary directory that is removed at the end:

1. Makes a SQLite database (migrated) with a school and a teacher, and a signed-in session.
2. Starts gunicorn as production does (one gthread worker, 4 threads) on a free 127.0.0.1 port,
   with tasks run in-process (the embedded default), so that the completion of the upload
   (content check, SHA-256, storing, and the rendition) runs inside the measured worker too.
3. Warms the worker up with a small upload of the same kind, then reads its peak RSS
   (VmHWM in /proc/<pid>/status): the baseline.
4. Uploads a 1 GiB file the way static/js/upload.js does: POST /media/uploads/, then PATCH
   chunks of --chunk-mb with Upload-Offset, each streamed from the file. The file is a WAV
   header followed by silence, made sparse (so it is written in no time) and short enough
   (8 channels, 56 kHz: 19:58) to pass the staff limits, so that the whole accepting path
   runs, not only the refusal of garbage.
5. Reads the worker's peak RSS again, and samples its RSS every 0.2 s during the upload.

It prints a Markdown table and writes the figures as JSON to bench/results/. gunicorn is
stopped by its PID at the end, also on errors.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
LIMIT_MB = 64
MB = 1024 * 1024


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the uploaded file in MiB (1024).")
    parser.add_argument("--chunk-mb", type=int, default=8, help="chunk size in MiB, the JS client's largest (8).")
    return parser.parse_args(argv)


def wav_sparse(path: Path, size: int) -> float:
    """A WAV file of `size` bytes of silence (sparse on disk); its duration in seconds."""
    channels, rate, bits = 8, 56_000, 16
    byte_rate = channels * rate * bits // 8
    data = size - 44
    header = b"RIFF" + struct.pack("<I", size - 8) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, byte_rate, channels * bits // 8, bits)
    header += b"data" + struct.pack("<I", data)
    with path.open("wb") as fh:
        fh.write(header)
        fh.truncate(size)
    return data / byte_rate


def proc_status(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def worker_pid(master: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise SystemExit("gunicorn started no worker")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path):
    port = free_port()
    binary = Path(sys.executable).parent / "gunicorn"
    command = [str(binary if binary.exists() else shutil.which("gunicorn") or "gunicorn"), "coordination.wsgi"]
    command += ["-w", "1", "-k", "gthread", "--threads", "4", "--timeout", "900", "-b", f"127.0.0.1:{port}"]
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
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def prepare_database(env: dict[str, str]) -> tuple[int, str]:
    """Migrate, add a school and a teacher, and sign the teacher in; (school id, session key)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from accounts.models import User
    from schools.models import Authority, School, StaffMembership

    call_command("migrate", verbosity=0)
    ward = Authority.objects.create(name="Bench", slug="bench", level=Authority.Level.COMMUNE, needs_review=True)
    school = School.objects.create(authority=ward, name="Bench school", slug="bench-school")
    teacher = User.objects.create(email="teacher@bench.test", full_name="Bench teacher")
    StaffMembership.objects.create(school=school, user=teacher, role="teacher")
    session = SessionStore()
    session[SESSION_KEY] = str(teacher.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = teacher.get_session_auth_hash()
    session.create()
    return school.pk, session.session_key


class Client:
    def __init__(self, port: int, session_key: str):
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        self.headers = {
            "Cookie": f"sessionid={session_key}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Accept-Language": "en",
        }

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def upload(self, path: Path, *, school_id: int, kind: str, chunk: int) -> dict:
        size = path.stat().st_size
        payload = json.dumps({"filename": path.name, "size": size, "kind": kind, "school": school_id})
        status, _headers, body = self.request("POST", "/media/uploads/", payload, {"Content-Type": "application/json"})
        if status != 201:
            raise SystemExit(f"starting the upload answered {status}: {body[:300]!r}")
        started = json.loads(body)
        offset, chunks, last_seconds = 0, 0, 0.0
        began = time.monotonic()
        with path.open("rb") as fh:
            while offset < size:
                length = min(chunk, size - offset)
                fh.seek(offset)
                piece = _Window(fh, length)
                t0 = time.monotonic()
                status, headers, body = self.request(
                    "PATCH",
                    started["upload_url"],
                    piece,
                    {
                        "Upload-Offset": str(offset),
                        "Content-Length": str(length),
                        "Content-Type": "application/offset+octet-stream",
                    },
                )
                last_seconds = time.monotonic() - t0
                # 204: go on; after the last chunk 202 (the worker checks it), or 200/422 with tasks in-process.
                if status not in (200, 202, 204, 422):
                    raise SystemExit(f"chunk at {offset} answered {status}: {body[:300]!r}")
                offset = int(headers["Upload-Offset"])
                chunks += 1
                if status != 204:
                    break
        elapsed = time.monotonic() - began
        _status, _headers, body = self.request("GET", started["status_url"])
        state = json.loads(body)
        return {
            "bytes": size,
            "chunks": chunks,
            "seconds": round(elapsed, 2),
            "mb_per_s": round(size / MB / elapsed, 1),
            "last_chunk_seconds": round(last_seconds, 2),
            "state": state["state"],
            "reason": state["reason"],
        }


class _Window:
    """`length` bytes of an open file from its position, read in blocks by http.client."""

    def __init__(self, fh, length: int):
        self.fh, self.left = fh, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        block = self.fh.read(size)
        self.left -= len(block)
        return block


def main(argv=None) -> int:
    args = parse_args(argv)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="media-upload-bench-") as tmp:
        tmp_path = Path(tmp)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_", "CELERY_", "S3_", "MEDIA_"))
        }
        env.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            MEDIA_ROOT=str(tmp_path / "media"),
            SECRET_KEY="bench-only-" + secrets.token_hex(16),
            DEBUG="0",
            # Plain HTTP on the loopback: no redirect to HTTPS (on by default with DEBUG=0).
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS="127.0.0.1",
            CELERY_TASK_ALWAYS_EAGER="1",
            MFA_REQUIRED_ROLES="",
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="coordination.settings",
        )
        school_id, session_key = prepare_database(env)

        small = tmp_path / "warm-up.wav"
        wav_sparse(small, 4 * MB)
        big = tmp_path / "lesson.wav"
        seconds = wav_sparse(big, args.size_mb * MB)

        log_path = RESULTS_DIR / f"media-upload-{stamp}-gunicorn.log"
        with gunicorn(env, log_path) as (port, master):
            worker = worker_pid(master)
            client = Client(port, session_key)
            warm = client.upload(small, school_id=school_id, kind="audio", chunk=args.chunk_mb * MB)
            before = proc_status(worker)

            samples: list[int] = []
            done = threading.Event()

            def sample():
                while not done.is_set():
                    with contextlib.suppress(OSError):
                        samples.append(proc_status(worker)["VmRSS"])
                    done.wait(0.2)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            try:
                result = client.upload(big, school_id=school_id, kind="audio", chunk=args.chunk_mb * MB)
            finally:
                done.set()
                sampler.join()
            after = proc_status(worker)

    increase = after["VmHWM"] - before["VmHWM"]
    figures = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "file_mb": args.size_mb,
        "file_seconds": round(seconds, 1),
        "chunk_mb": args.chunk_mb,
        "warm_up": warm,
        "upload": result,
        "worker_rss_before_mb": round(before["VmRSS"] / MB, 1),
        "worker_peak_before_mb": round(before["VmHWM"] / MB, 1),
        "worker_peak_after_mb": round(after["VmHWM"] / MB, 1),
        "worker_rss_max_sampled_mb": round(max(samples, default=0) / MB, 1),
        "peak_increase_mb": round(increase / MB, 1),
        "limit_mb": LIMIT_MB,
        "passed": increase < LIMIT_MB * MB and result["state"] == "ready",
    }
    (RESULTS_DIR / f"media-upload-{stamp}.json").write_text(json.dumps(figures, indent=2))
    print("| upload | chunks | time | rate | state | worker peak RSS before | after | increase (limit 64 MB) |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.size_mb} MiB in {args.chunk_mb} MiB chunks | {result['chunks']} | {result['seconds']} s "
        f"| {result['mb_per_s']} MiB/s | {result['state']} | {figures['worker_peak_before_mb']} MiB "
        f"| {figures['worker_peak_after_mb']} MiB | **{figures['peak_increase_mb']} MiB** |"
    )
    print(f"(the last chunk, with the check, hash, store and rendition, took {result['last_chunk_seconds']} s)")
    if not figures["passed"]:
        print("FAILED: " + json.dumps(figures["upload"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
