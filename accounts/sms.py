"""The simplest SMS gateways: to the console (the embedded default) and to memory (tests).

The notifications app adds the HTTP gateway and sends every text through
notices (notifications.sms.sms_gateway).
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Prints the message: the embedded default, as e-mail goes to the console.

    Only with DEBUG=1 (`make run`) does it print the text itself, so that the
    demo's sign-up codes can be read in the terminal. Otherwise a text may
    hold a sign-in code, and logs are read by more people than the person it
    is for: only the number and the length are written.
    """

    def send(self, *, to: str, body: str) -> None:
        if settings.DEBUG:
            line = f"SMS to {to}: {body}"
        else:
            line = f"SMS to {to}: {len(body)} characters (the text is printed only with DEBUG=1)"
        logger.warning("%s", line)
        print(line, flush=True)


class LocmemSmsBackend:
    """Keeps messages in memory for tests."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append({"to": to, "body": body})
