"""A local SMTP sink for the notification benchmark and the worker-kill test.

It listens on 127.0.0.1 only, accepts every message and records when it came,
to whom and with which Message-ID. Two ways to run it:

- in a thread of the calling process: `with SmtpSink() as sink: ...`, then
  read `sink.received()`; `hold_at=N` makes the sink keep the N-th message's
  "250" reply back (after recording it) until `sink.release()`, which puts a
  client exactly between "the server has the message" and "the client knows";
- as its own process, so that it does not share the caller's interpreter:
  `python bench/notify_sink.py --port P --log FILE` writes one line per message
  (`monotonic_ns<TAB>recipients<TAB>message-id`) and stops on SIGTERM, or
  by itself after --max-seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)

# aiosmtpd logs every connection at INFO: thousands of lines in a run.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Received:
    at: float  # time.monotonic() when the sink had the whole message
    recipients: tuple[str, ...]
    message_id: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def message_id_of(content: bytes) -> str:
    headers = content.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = MESSAGE_ID.search(headers)
    return found.group(1).decode("ascii", "replace") if found else ""


class RecordingHandler:
    """aiosmtpd handler: keeps every message's arrival, recipients and Message-ID."""

    def __init__(self, *, hold_at: int | None = None, hold_seconds: float = 30.0, on_message=None):
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self.hold_at = hold_at
        self.hold_seconds = hold_seconds
        self.holding = threading.Event()
        self._released = threading.Event()
        self._on_message = on_message

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        item = Received(
            at=time.monotonic(),
            recipients=tuple(address.lower() for address in envelope.rcpt_tos),
            message_id=message_id_of(envelope.content),
        )
        with self._lock:
            self._received.append(item)
            count = len(self._received)
        if self._on_message is not None:
            self._on_message(item)
        if self.hold_at is not None and count == self.hold_at:
            # Recorded, as a real server commits a message to its queue before
            # it answers; the client does not know yet. Bounded wait.
            self.holding.set()
            deadline = time.monotonic() + self.hold_seconds
            while not self._released.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def release(self) -> None:
        self._released.set()

    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def count(self) -> int:
        with self._lock:
            return len(self._received)


class SmtpSink:
    """The sink in a thread of this process, on a free loopback port."""

    def __init__(self, *, hold_at: int | None = None, hold_seconds: float = 30.0):
        self.handler = RecordingHandler(hold_at=hold_at, hold_seconds=hold_seconds)
        self.port = free_port()
        self._controller = Controller(self.handler, hostname=HOST, port=self.port, ready_timeout=10)

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.handler.release()
        self._controller.stop()

    def received(self) -> list[Received]:
        return self.handler.received()

    def count(self) -> int:
        return self.handler.count()

    def release(self) -> None:
        self.handler.release()


def read_log(path: Path) -> list[Received]:
    """The messages a sink process has written to its log so far (whole lines only)."""
    items = []
    with path.open("rb") as log:
        for line in log:
            if not line.endswith(b"\n"):
                break
            at, recipients, message_id = line.rstrip(b"\n").decode("utf-8", "replace").split("\t")
            items.append(Received(int(at) / 1e9, tuple(recipients.split(",")), message_id))
    return items


def serve(port: int, log_path: Path, max_seconds: float) -> int:
    """Run as a process: log each message on a line until SIGTERM or max_seconds."""
    log = log_path.open("ab", buffering=0)

    def write(item: Received) -> None:
        log.write(f"{int(item.at * 1e9)}\t{','.join(item.recipients)}\t{item.message_id}\n".encode())

    handler = RecordingHandler(on_message=write)
    controller = Controller(handler, hostname=HOST, port=port, ready_timeout=10)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print(f"listening on {HOST}:{port}", flush=True)
    try:
        stop.wait(max_seconds)
    finally:
        controller.stop()
        log.close()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="A loopback SMTP sink that logs every message.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--max-seconds", type=float, default=3600, help="Stop by itself after this long (3600).")
    args = parser.parse_args(argv)
    return serve(args.port, args.log, args.max_seconds)


if __name__ == "__main__":
    sys.exit(main())
