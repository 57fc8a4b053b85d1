"""The simplest SMS gateways: to the console (the embedded default) and to memory (tests).

The notifications app adds the HTTP gateway and sends every text through
notices (notifications.sms.sms_gateway).
"""

import logging

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Prints the message: the embedded default, as e-mail goes to the console."""

    def send(self, *, to: str, body: str) -> None:
        logger.warning("SMS to %s: %s", to, body)
        print(f"SMS to {to}: {body}", flush=True)


class LocmemSmsBackend:
    """Keeps messages in memory for tests."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append({"to": to, "body": body})
