"""A small SMTP server on 127.0.0.1 for the tests of two-phase sending: it can refuse, and it counts.

It records every message it accepts, as the benchmark's sink does, and can be
told to refuse a recipient (at RCPT TO) or a message (after its end), with any
reply code.
"""

from __future__ import annotations

import threading

from aiosmtpd.controller import Controller

from bench.notify_sink import HOST, Received, free_port, message_id_of


class RefusingHandler:
    def __init__(self):
        self._lock = threading.Lock()
        self.messages: list[tuple[Received, bytes]] = []
        self.refuse_rcpt: dict[str, str] = {}  # address → reply, e.g. "550 5.1.1 no such user"
        self.refuse_data: dict[str, str] = {}  # address → reply to the end of its message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address.lower() in self.refuse_rcpt:
            return self.refuse_rcpt[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        for address in envelope.rcpt_tos:
            if address.lower() in self.refuse_data:
                return self.refuse_data[address.lower()]
        item = Received(0.0, tuple(a.lower() for a in envelope.rcpt_tos), message_id_of(envelope.content))
        with self._lock:
            self.messages.append((item, envelope.content))
        return "250 Message accepted for delivery"

    def received(self) -> list[Received]:
        with self._lock:
            return [item for item, _content in self.messages]

    def contents(self) -> list[bytes]:
        with self._lock:
            return [content for _item, content in self.messages]


class SmtpServer:
    """`with SmtpServer() as server:` on a free loopback port; `server.handler` says what it got."""

    def __init__(self):
        self.handler = RefusingHandler()
        self.port = free_port()
        self._controller = Controller(self.handler, hostname=HOST, port=self.port, ready_timeout=10)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    def received(self) -> list[Received]:
        return self.handler.received()
