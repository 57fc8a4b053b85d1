"""SMS gateways. The SMS_BACKEND setting chooses one for every text the portal sends.

A gateway is any class whose instances have `send(*, to, body)` and raise on
failure. Every text goes through a notice's delivery (sign-in codes too, see
accounts.adapter), so the classes here and those in accounts.sms are
interchangeable.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.sms import ConsoleSmsBackend, LocmemSmsBackend

logger = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class SmsError(Exception):
    """The gateway did not take the message. `permanent` means trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class ConsoleSmsGateway(ConsoleSmsBackend):
    """Prints the message (the embedded default)."""


class LocmemSmsGateway(LocmemSmsBackend):
    """Keeps messages in memory for tests; the same outbox as accounts.sms.LocmemSmsBackend."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # Following a redirect would send the bearer token to another address.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpSmsGateway:
    """Posts {"to", "body"} as JSON with a bearer token to SMS_HTTP_URL.

    Fits the HTTP APIs of Vietnamese SMS providers, or a small relay in
    front of one. Any answer other than 2xx, and no answer within the
    timeout, raises SmsError with what went wrong.
    """

    def __init__(self, *, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT
        if urlparse(self.url).scheme not in ("http", "https"):
            raise SmsError("SMS_HTTP_URL must be an http:// or https:// address", permanent=True)

    def send(self, *, to: str, body: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps({"to": to, "body": body}).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
            method="POST",
        )
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
                response.read(1024)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode(errors="replace").strip()
            # 4xx means the request itself is wrong (bad number, bad token):
            # sending it again cannot succeed, except when told to slow down.
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise SmsError(
                f"SMS gateway answered {exc.code} {exc.reason}: {detail}"[:500], permanent=permanent
            ) from exc
        except TimeoutError as exc:
            raise SmsError(f"SMS gateway did not answer within {self.timeout} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise SmsError(f"SMS gateway did not answer within {self.timeout} s") from exc
            raise SmsError(f"SMS gateway unreachable: {exc.reason}") from exc
        except OSError as exc:
            raise SmsError(f"SMS gateway connection failed: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered {status}")


def sms_gateway() -> SmsGateway:
    """The gateway chosen by SMS_BACKEND."""
    return import_string(settings.SMS_BACKEND)()
