"""Zalo: notices through the Zalo Notification Service (ZNS), where Vietnamese families read their messages.

A ZNS message is a template approved by Zalo beforehand, filled with a few
parameters (at most 400 characters together) and sent from the deployment's
one Official Account to the Zalo account of a phone number. This module is
the channel: the backends (console, memory, HTTP), what ZNS's answers mean,
the Official Account's tokens, what a notice puts in a template, and the
webhook's signature. The services record the outcomes (services._zalo_send).

Exactly once. A request that got a definite answer (an error code, a refused
connection) did not send anything and may be tried again. A request without
one (a timeout, a dropped connection, a worker killed while waiting) may
have sent the message: it is never sent again (ZaloError kind UNCLEAR), and is
settled by Zalo's webhook or its status query instead.

Nothing about a child goes to Zalo but a given name: a template's parameters
are filled from a fixed list of sources (ZaloTemplateParam.Source), never from
a notice's free text, except an announcement's title.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import re
import select
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import Truncator

from coordination.lib.phone import normalize_phone
from notifications.models import Category, Notice, ZaloAccount, ZaloTemplate, ZaloTemplateParam, ZaloUnreachable

logger = logging.getLogger(__name__)

# What an error means for the delivery (services._zalo_failed).
RETRY = "retry"  # nothing went; try again later (Zalo's hours, a quota, a server error)
PERMANENT = "permanent"  # this message cannot go by Zalo: SMS instead
UNREACHABLE = "unreachable"  # the number cannot get Zalo messages: mark it, SMS instead
TEMPLATE = "template"  # the template is wrong or not approved: the superuser must look
TOKEN = "token"  # noqa: S105 - a kind of error, not a secret. The access token was refused: renew it and try once more
UNCLEAR = "unclear"  # the message may have gone: never send it again

# ZNS's answers (its published error codes): what they mean, and in plain words.
ERRORS: dict[int, tuple[str, str]] = {
    -100: (RETRY, "Zalo had an unknown error"),
    -108: (UNREACHABLE, "Zalo does not accept the phone number"),
    -109: (TEMPLATE, "Zalo does not know the template id"),
    -112: (TEMPLATE, "Zalo refused the template's data"),
    -114: (PERMANENT, "the Zalo user is inactive or refused the message"),
    -115: (RETRY, "the Official Account's ZNS balance is spent"),
    -117: (TEMPLATE, "the Official Account may not send this template"),
    -118: (UNREACHABLE, "there is no Zalo account on this number"),
    -119: (UNREACHABLE, "the Zalo account cannot receive messages"),
    -124: (TOKEN, "the access token is not valid"),
    -126: (PERMANENT, "in development mode Zalo sends only to the app's test numbers"),
    -130: (TEMPLATE, "the message is longer than Zalo takes"),
    -131: (TEMPLATE, "the template is not approved by Zalo"),
    -133: (RETRY, "Zalo sends these messages only between 6:00 and 22:00"),
    -139: (UNREACHABLE, "the person refused messages from the Official Account"),
    -144: (RETRY, "the Official Account's daily quota is spent"),
    -147: (RETRY, "the template's daily quota is spent"),
}
# Why a number is marked as one Zalo cannot reach.
UNREACHABLE_REASONS = {
    -108: ZaloUnreachable.INVALID,
    -118: ZaloUnreachable.NO_ACCOUNT,
    -119: ZaloUnreachable.NO_ACCOUNT,
    -139: ZaloUnreachable.BLOCKED,
}
# Answers that mean the template itself is not usable (not only this message).
TEMPLATE_NOT_USABLE = frozenset({-109, -117, -131})


class ZaloError(Exception):
    """The message did not go (or may have: kind UNCLEAR). `code` is ZNS's error code, when it gave one."""

    def __init__(self, message: str, *, kind: str, code: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.code = code

    @property
    def unreachable_reason(self) -> str:
        return UNREACHABLE_REASONS.get(self.code, ZaloUnreachable.NO_ACCOUNT)


def error_for(code, message: str = "") -> ZaloError:
    """The ZaloError for one of ZNS's error codes (an unknown code is tried again)."""
    try:
        code = int(code)
    except (TypeError, ValueError):
        return ZaloError(f"Zalo answered without an error code: {message}"[:300], kind=RETRY)
    kind, meaning = ERRORS.get(code, (RETRY, "Zalo refused the message"))
    detail = f" ({message})" if message else ""
    return ZaloError(f"Zalo {code}: {meaning}{detail}"[:300], kind=kind, code=code)


@dataclass(frozen=True)
class ZaloMessage:
    phone: str  # 84…, no plus sign
    template_id: str
    template_data: Mapping[str, str]
    tracking_id: str  # the delivery's id: Zalo's reports name it


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds


# ZNS's answer to a status query: delivered, not yet, not delivered.
DELIVERED, PENDING, NOT_DELIVERED = 1, 0, -1


class ZaloBackend(Protocol):
    # Whether send() and status() need the Official Account's access token.
    needs_token: bool

    def send(self, message: ZaloMessage, *, access_token: str) -> str: ...

    def status(self, *, msg_id: str, phone: str, access_token: str) -> int: ...

    def refresh(self, *, refresh_token: str) -> Tokens: ...

    def close(self) -> None: ...


class ConsoleZaloBackend:
    """Prints the messages (the embedded default), like the console SMS gateway.

    The numbers in ZALO_CONSOLE_NO_ACCOUNT answer "no Zalo account" (-118), so
    that the demo shows the fallback to SMS.
    """

    needs_token = False

    def send(self, message: ZaloMessage, *, access_token: str) -> str:
        if message.phone in _phones_84(settings.ZALO_CONSOLE_NO_ACCOUNT):
            line = f"Zalo to {message.phone}: no Zalo account on this number (-118)"
            print(line, flush=True)
            raise error_for(-118)
        values = " | ".join(f"{name}: {value}" for name, value in message.template_data.items())
        line = f"Zalo to {message.phone} (template {message.template_id}): {values}"
        logger.warning("%s", line)
        print(line, flush=True)
        return f"console-{uuid.uuid4().hex}"

    def status(self, *, msg_id: str, phone: str, access_token: str) -> int:
        return DELIVERED

    def refresh(self, *, refresh_token: str) -> Tokens:
        return Tokens(uuid.uuid4().hex, uuid.uuid4().hex, 90000)

    def close(self) -> None:
        pass


class LocmemZaloBackend:
    """Keeps messages in memory for tests; `errors` maps a number (84…) to the ZNS code it answers with."""

    needs_token = False
    outbox: list[ZaloMessage] = []
    errors: dict[str, int] = {}

    def send(self, message: ZaloMessage, *, access_token: str) -> str:
        if message.phone in self.errors:
            raise error_for(self.errors[message.phone])
        self.outbox.append(message)
        return f"locmem-{len(self.outbox)}"

    def status(self, *, msg_id: str, phone: str, access_token: str) -> int:
        return DELIVERED

    def refresh(self, *, refresh_token: str) -> Tokens:
        return Tokens(uuid.uuid4().hex, uuid.uuid4().hex, 90000)

    def close(self) -> None:
        pass


def _dropped(sock) -> bool:
    """Whether the server closed an idle keep-alive connection (it is readable: EOF or junk)."""
    try:
        readable, _w, _x = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class HttpZaloBackend:
    """ZNS over HTTPS: one keep-alive connection per host for a batch of messages.

    A request that may have reached Zalo and got no clear answer raises
    ZaloError(kind=UNCLEAR); one that could not reach it (no connection) raises
    kind RETRY. Redirects are not followed (they would carry the token
    elsewhere), and neither tokens nor request bodies are ever logged.
    """

    needs_token = True

    def __init__(self, *, api_url: str | None = None, oauth_url: str | None = None, timeout: float | None = None):
        self.api_url = (api_url if api_url is not None else settings.ZALO_API_URL).rstrip("/")
        self.oauth_url = (oauth_url if oauth_url is not None else settings.ZALO_OAUTH_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.ZALO_HTTP_TIMEOUT
        for url in (self.api_url, self.oauth_url):
            if urlsplit(url).scheme not in ("http", "https"):
                raise ZaloError("ZALO_API_URL and ZALO_OAUTH_URL must be http:// or https:// addresses", kind=RETRY)
        self._connections: dict[tuple[str, str], http.client.HTTPConnection] = {}

    def _connection(self, base: str) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(base)
        key = (parts.scheme, parts.netloc)
        connection = self._connections.get(key)
        if connection is not None and connection.sock is not None and _dropped(connection.sock):
            connection.close()
        if connection is None:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = kind(parts.hostname, parts.port, timeout=self.timeout)
            self._connections[key] = connection
        if connection.sock is None:
            try:
                connection.connect()
            except OSError as exc:  # nothing was sent
                connection.close()
                raise ZaloError(f"Zalo could not be reached: {exc}", kind=RETRY) from exc
        return connection, parts.path.rstrip("/")

    def _request(self, method: str, base: str, path: str, *, body: bytes | None, headers: dict, sends: bool) -> dict:
        """The answer's JSON. `sends`: the request may send a message, so a lost answer is UNCLEAR."""
        connection, prefix = self._connection(base)
        try:
            connection.request(method, prefix + path, body=body, headers={"Accept": "application/json", **headers})
            response = connection.getresponse()
            status, raw = response.status, response.read(65536)
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            what = f"no clear answer from Zalo ({exc.__class__.__name__}: {exc})"
            raise ZaloError(what, kind=UNCLEAR if sends else RETRY) from exc
        if response.will_close:
            connection.close()
        if status in (429, 503):
            raise ZaloError(f"Zalo answered {status}: try again later", kind=RETRY)
        if status != 200:
            # A gateway's error page may come after it passed the request on.
            raise ZaloError(f"Zalo answered {status}", kind=UNCLEAR if sends else RETRY)
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise ZaloError("Zalo's answer was not JSON", kind=UNCLEAR if sends else RETRY) from exc
        if not isinstance(answer, dict):
            raise ZaloError("Zalo's answer was not a JSON object", kind=UNCLEAR if sends else RETRY)
        return answer

    def send(self, message: ZaloMessage, *, access_token: str) -> str:
        payload = {
            "phone": message.phone,
            "template_id": message.template_id,
            "template_data": dict(message.template_data),
            "tracking_id": message.tracking_id,
        }
        if settings.ZALO_DEVELOPMENT_MODE:
            payload["mode"] = "development"
        answer = self._request(
            "POST",
            self.api_url,
            "/message/template",
            body=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "access_token": access_token},
            sends=True,
        )
        if answer.get("error") != 0:
            raise error_for(answer.get("error"), str(answer.get("message", "")))
        return str((answer.get("data") or {}).get("msg_id") or "")[:64]

    def status(self, *, msg_id: str, phone: str, access_token: str) -> int:
        query = urlencode({"message_id": msg_id, "phone": phone})
        answer = self._request(
            "GET",
            self.api_url,
            f"/message/status?{query}",
            body=None,
            headers={"access_token": access_token},
            sends=False,
        )
        if answer.get("error") != 0:
            raise error_for(answer.get("error"), str(answer.get("message", "")))
        try:
            return int((answer.get("data") or {}).get("status"))
        except (TypeError, ValueError) as exc:
            raise ZaloError("Zalo's status answer had no status", kind=RETRY) from exc

    def refresh(self, *, refresh_token: str) -> Tokens:
        body = urlencode(
            {"refresh_token": refresh_token, "app_id": settings.ZALO_APP_ID, "grant_type": "refresh_token"}
        ).encode()
        # The refresh token works once: a lost answer may have spent it.
        answer = self._request(
            "POST",
            self.oauth_url,
            "/v4/oa/access_token",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "secret_key": settings.ZALO_APP_SECRET},
            sends=True,
        )
        if not answer.get("access_token") or not answer.get("refresh_token"):
            code = answer.get("error")
            detail = answer.get("error_description") or answer.get("error_name") or answer.get("message") or ""
            raise ZaloError(f"Zalo refused to renew the tokens ({code}): {detail}"[:300], kind=TOKEN, code=code)
        try:
            expires_in = int(answer.get("expires_in") or 0)
        except (TypeError, ValueError):
            expires_in = 0
        return Tokens(str(answer["access_token"]), str(answer["refresh_token"]), expires_in or 25 * 3600)

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()


def zalo_backend() -> ZaloBackend:
    """A backend of ZALO_BACKEND (one per batch: it keeps its connections)."""
    return import_string(settings.ZALO_BACKEND)()


# --- The Official Account's tokens -----------------------------------------------------------------


def _usable(account: ZaloAccount | None, now: datetime.datetime, rejected: str) -> bool:
    if account is None or not account.access_token or account.access_expires_at is None:
        return False
    if rejected and account.access_token == rejected:
        return False
    return account.access_expires_at - datetime.timedelta(seconds=settings.ZALO_TOKEN_MARGIN_SECONDS) > now


def access_token(backend: ZaloBackend, *, rejected: str = "", now: datetime.datetime | None = None) -> str:
    """A valid access token: the stored one, or one renewed now by a single worker.

    `rejected`: a token ZNS just refused (-124), renewed even if not expired.
    The renewal holds the account's row locked while it asks Zalo, so a
    second worker waits and then finds the new token instead of spending the
    refresh token again.
    """
    if not backend.needs_token:
        return ""
    now = now or timezone.now()
    account = ZaloAccount.objects.filter(pk=1).first()
    if _usable(account, now, rejected):
        return account.access_token
    failure: ZaloError | None = None
    with transaction.atomic():
        account, _created = ZaloAccount.objects.select_for_update().get_or_create(pk=1)
        if _usable(account, now, rejected):
            return account.access_token  # another worker renewed it while this one waited
        if not account.refresh_token:
            failure = ZaloError(
                "the Official Account has no refresh token: the superuser pastes one in the admin", kind=RETRY
            )
        else:
            try:
                tokens = backend.refresh(refresh_token=account.refresh_token)
            except ZaloError as exc:
                failure = exc
            else:
                account.access_token = tokens.access_token
                account.refresh_token = tokens.refresh_token
                account.access_expires_at = now + datetime.timedelta(seconds=tokens.expires_in)
                account.refreshed_at = now
                account.last_error = ""
                account.last_error_at = None
                account.save()
                logger.info("Zalo tokens renewed; the access token expires at %s", account.access_expires_at)
                return account.access_token
    # Recorded outside the lock's transaction, which is over.
    message = f"renewing the Zalo tokens failed: {failure}"
    if failure.kind == UNCLEAR:
        message += "; if it keeps failing, the refresh token was spent: paste a new one"
    ZaloAccount.objects.filter(pk=1).update(last_error=message[:2000], last_error_at=timezone.now())
    logger.warning("%s", message)
    raise ZaloError(message, kind=RETRY) from failure


# --- Templates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    pk: int
    category: str
    template_id: str
    params: tuple[ZaloTemplateParam, ...]


def templates_approved() -> dict[str, Template]:
    """The approved template of each category that has one, in two queries."""
    return {
        t.category: Template(t.pk, t.category, t.template_id, tuple(t.params.all()))
        for t in ZaloTemplate.objects.filter(approved=True).prefetch_related("params")
    }


def categories_approved() -> set[str]:
    """The categories a notice can go by Zalo in (one query)."""
    return set(ZaloTemplate.objects.filter(approved=True).values_list("category", flat=True))


def enabled() -> bool:
    return bool(settings.ZALO_BACKEND)


def notice_link(notice: Notice) -> str:
    """Where the template's button goes: the notice in the portal (it asks to sign in first)."""
    return settings.SITE_URL + reverse("notifications:detail", args=[notice.pk])


def template_data(notice: Notice, template: Template, *, language: str) -> dict[str, str]:
    """The template's parameters for this notice: only what the parameters' sources allow, cut to length."""
    Source = ZaloTemplateParam.Source
    with translation.override(language):
        kind = notice.kind or str(Category(notice.category).label)
    values = {
        Source.KIND: kind,
        # Only an announcement's title: it is about the school, not a child.
        Source.TITLE: notice.title if notice.category == Category.ANNOUNCEMENT else kind,
        Source.CHILD: notice.child_name,
        Source.SCHOOL: notice.school.name if notice.school_id else "",
        Source.DATE: timezone.localtime(notice.created_at).strftime("%d/%m/%Y"),
    }
    data = {}
    for param in template.params:
        if param.source == Source.LINK:
            link = notice_link(notice)
            if len(link) > param.max_length:
                raise ZaloError(
                    f"the link to the notice ({len(link)} characters) is longer than the parameter "
                    f"{param.name} takes ({param.max_length})",
                    kind=TEMPLATE,
                )
            data[param.name] = link
        else:
            data[param.name] = Truncator(" ".join(str(values[param.source]).split())).chars(param.max_length)
    if sum(len(value) for value in data.values()) > 400:
        raise ZaloError("the template's parameters come to more than 400 characters", kind=TEMPLATE)
    return data


def zalo_phone(number: str) -> str:
    """A number as ZNS takes it: 84…, without the plus ('' if it is not a number).

    Stored numbers are in E.164 form already; a typed one (a setting) is read first.
    """
    if number.startswith("+") and number[1:].isdigit():
        return number[1:]
    try:
        normal = normalize_phone(number) if number else ""
    except ValidationError:
        return ""
    return normal[1:]


def _phones_84(numbers) -> set[str]:
    return {zalo_phone(number) or number for number in numbers}


# --- The webhook -----------------------------------------------------------------------------------

SIGNATURE = re.compile(r"^\s*mac=([0-9a-fA-F]{64})\s*$")


def signature_valid(raw: bytes, header: str, *, timestamp: str) -> bool:
    """Zalo signs each call: X-ZEvent-Signature: mac=sha256(app id + body + timestamp + OA secret key)."""
    secret, app_id = settings.ZALO_OA_SECRET_KEY, settings.ZALO_APP_ID
    match = SIGNATURE.match(header or "")
    if not secret or not match:
        return False
    expected = hashlib.sha256(app_id.encode() + raw + timestamp.encode() + secret.encode()).hexdigest()
    return hmac.compare_digest(expected, match.group(1).lower())


def signature_for(raw: bytes, *, timestamp: str) -> str:
    """The header a genuine call carries (for the tests and the local ZNS server)."""
    secret, app_id = settings.ZALO_OA_SECRET_KEY, settings.ZALO_APP_ID
    return "mac=" + hashlib.sha256(app_id.encode() + raw + timestamp.encode() + secret.encode()).hexdigest()
