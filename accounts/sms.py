"""A small SMS gateway interface; the notifications app adds real gateways."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

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


def sms_send(*, to: str, body: str) -> None:
    """Send one text message through the configured gateway."""
    import_string(settings.SMS_BACKEND)().send(to=to, body=body)
