"""A local stand-in for the Zalo Notification Service (ZNS) on 127.0.0.1, for tests, the benchmark and demos.

It speaks ZNS's request and answer format for the three calls the portal
makes: sending a template message, asking a message's status, and trading a
refresh token for a new pair of tokens. It records what it was asked, and it
can be told to fail in the ways the real service fails, so that the HTTP
backend's handling of each answer can be tested without the network.

    with LocalZns() as zns:
        access, refresh = zns.issue_tokens()
        # point ZALO_API_URL and ZALO_OAUTH_URL at zns.url
        zns.fail_next(-124)  # the next template request: "Access token is invalid"

Like ZNS, it answers HTTP 200 with an "error" field for every refusal of the
service itself; only `http_error_next` produces an HTTP error.

Template requests are checked in this order, the first failing check giving
the answer:

    access token missing, unknown or expired      -124 Access token is invalid
    body not a JSON object, a field missing or of
    the wrong type (phone, template_id and
    tracking_id strings, template_data an object,
    mode absent or "development")                  -201 Parameters are invalid
    phone not ^84\\d{9,10}$                         -108 Phone number is invalid
    template neither approved nor known            -109 Template ID is invalid
    template known but not approved                -131 Template is not approved
    a template_data value not a string, or the
    values longer than 400 characters together     -130 Content exceeds the limit
    phone in `no_account`                          -118 Zalo account does not exist
    phone in `blocked`                             -139 User refused to receive ZNS messages from the OA
    `daily_quota` used up                          -144 OA has exceeded its daily quota

(-112 "Template data is invalid" is never answered: one long value is a long
total, so -130 covers it.) The scripted faults form one queue, taken in order
by template requests only: an HTTP error is taken as the request arrives,
before any check; `fail_next`, `delay_next` and `drop_next` are taken by a
request that passed every check and would have been accepted.

The status query answers -124 for a bad token, -201 without a message_id,
and -1 "Message not found" for a message id it never gave (or given with
another phone number). The token endpoint answers -14002 "Invalid app" for a
wrong app id or secret key, -14001 "Invalid parameter" for a missing refresh
token or a grant type other than refresh_token, and -14014 "Invalid refresh
token" for a refresh token it does not know or already traded.

Standard library only: the benchmark starts it in its own process.
"""

from __future__ import annotations

import contextlib
import http
import json
import re
import secrets
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"

PHONE = re.compile(r"^84\d{9,10}$")
CONTENT_LIMIT = 400  # characters, all template_data values together
ACCESS_LIFETIME_SECONDS = "90000"  # seconds, as ZNS says it: a string
# The quota an unlimited server reports (ZNS always reports one).
UNLIMITED_QUOTA = 1_000_000

TOKEN_INVALID = (-124, "Access token is invalid")
PARAMETERS_INVALID = (-201, "Parameters are invalid")
PHONE_INVALID = (-108, "Phone number is invalid")
TEMPLATE_INVALID = (-109, "Template ID is invalid")
TEMPLATE_NOT_APPROVED = (-131, "Template is not approved")
CONTENT_TOO_LONG = (-130, "Content exceeds the limit")
NO_ACCOUNT = (-118, "Zalo account does not exist")
BLOCKED = (-139, "User refused to receive ZNS messages from the OA")
QUOTA_EXCEEDED = (-144, "OA has exceeded its daily quota")
MESSAGE_NOT_FOUND = (-1, "Message not found")

# The words answered with a code scripted by fail_next (another code gets "Error").
MESSAGES = dict(
    (
        TOKEN_INVALID,
        PARAMETERS_INVALID,
        PHONE_INVALID,
        TEMPLATE_INVALID,
        TEMPLATE_NOT_APPROVED,
        CONTENT_TOO_LONG,
        NO_ACCOUNT,
        BLOCKED,
        QUOTA_EXCEEDED,
        (-112, "Template data is invalid"),
    )
)

INVALID_APP = -14002
INVALID_PARAMETER = -14001
INVALID_REFRESH_TOKEN = -14014

STATUS_WORDS = {
    1: "The message was delivered to the user's phone",
    0: "The message has not been delivered yet",
    -1: "The message could not be delivered",
}


@dataclass
class _Fault:
    kind: str  # "fail", "delay", "drop" or "http"
    value: float = 0
    times: int = 1


@dataclass
class _Message:
    phone: str
    sent_time: str
    status: int = 1


def _now_ms() -> str:
    return str(int(time.time() * 1000))


class LocalZns:
    """A ZNS look-alike on a free loopback port; `start()`/`stop()` or `with LocalZns() as zns:`."""

    def __init__(
        self,
        *,
        app_id: str = "local-app",
        app_secret: str = "local-secret",  # noqa: S107 (the stand-in's own secret, not a real one)
        approved_templates: set[str] | None = None,
        known_templates: set[str] | None = None,
        no_account: set[str] | None = None,
        blocked: set[str] | None = None,
        daily_quota: int | None = None,
        refresh_delay: float = 0.0,
        port: int = 0,
    ):
        self.app_id = app_id
        self.app_secret = app_secret
        self.approved_templates: set[str] = {"100001", "100002"} if approved_templates is None else approved_templates
        self.known_templates: set[str] = set() if known_templates is None else known_templates
        self.no_account: set[str] = set() if no_account is None else no_account
        self.blocked: set[str] = set() if blocked is None else blocked
        self.daily_quota = daily_quota
        self.refresh_delay = refresh_delay
        self.port = port

        self.sent: list[dict] = []
        self.status_queries: list[dict] = []
        self.token_requests: list[dict] = []

        self._lock = threading.Lock()
        self._access_tokens: set[str] = set()
        self._refresh_tokens: set[str] = set()
        self._messages: dict[str, _Message] = {}
        self._faults: deque[_Fault] = deque()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- Running ---

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> LocalZns:
        if self._server is not None:
            raise RuntimeError("This LocalZns is already running.")
        self._stopping.clear()
        self._server = _Server((HOST, self.port), _Handler)
        self._server.zns = self
        self.port = self._server.server_address[1]
        # A short poll so that stop() returns at once (each test starts and stops one).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-zns", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # cuts short the scripted sleeps
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> LocalZns:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- Tokens ---

    def issue_tokens(self) -> tuple[str, str]:
        """A valid (access token, refresh token) pair, as the Official Account's owner gets from Zalo."""
        with self._lock:
            return self._issue()

    def expire_access_tokens(self) -> None:
        """Every access token given so far stops working; refresh tokens are not touched."""
        with self._lock:
            self._access_tokens.clear()

    def _issue(self) -> tuple[str, str]:
        access, refresh = "at-" + secrets.token_urlsafe(24), "rt-" + secrets.token_urlsafe(24)
        self._access_tokens.add(access)
        self._refresh_tokens.add(refresh)
        return access, refresh

    # --- Scripted faults ---

    def fail_next(self, code: int, times: int = 1) -> None:
        """The next `times` acceptable template requests get ZNS error `code` and are not sent."""
        self._script(_Fault("fail", code, times))

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """The next `times` acceptable template requests are sent, then answered `seconds` later."""
        self._script(_Fault("delay", seconds, times))

    def drop_next(self, times: int = 1) -> None:
        """The next `times` acceptable template requests are sent, then the connection closes unanswered."""
        self._script(_Fault("drop", 0, times))

    def http_error_next(self, status: int = 502, times: int = 1) -> None:
        """The next `times` template requests get an HTTP error (5xx) before any check, and are not sent."""
        self._script(_Fault("http", status, times))

    def _script(self, fault: _Fault) -> None:
        if fault.times < 1:
            return
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, *, http_only: bool) -> _Fault | None:
        """The first scripted fault if it is of the kind asked for (the caller holds the lock)."""
        if not self._faults or (self._faults[0].kind == "http") != http_only:
            return None
        fault = self._faults[0]
        fault.times -= 1
        if fault.times == 0:
            self._faults.popleft()
        return fault

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    # --- Messages ---

    def set_status(self, msg_id: str, status: int) -> None:
        """What the status query says of a message: 1 delivered, 0 not yet, -1 failed."""
        with self._lock:
            self._messages[msg_id].status = status

    def sent_to(self, phone: str) -> list[dict]:
        with self._lock:
            return [message for message in self.sent if message["phone"] == phone]

    def count_for(self, tracking_id: str) -> int:
        with self._lock:
            return sum(1 for message in self.sent if message["tracking_id"] == tracking_id)

    def _quota(self) -> dict:
        daily = UNLIMITED_QUOTA if self.daily_quota is None else self.daily_quota
        return {"dailyQuota": str(daily), "remainingQuota": str(max(daily - len(self.sent), 0))}

    # --- Endpoints: each returns the JSON to answer, or None to close without an answer ---

    def _token_valid(self, token: str | None) -> bool:
        with self._lock:
            return token in self._access_tokens

    def send_template(self, token: str | None, body: bytes) -> dict | None:
        if not self._token_valid(token):
            return _error(TOKEN_INVALID)
        try:
            request = json.loads(body)
        except ValueError:
            return _error(PARAMETERS_INVALID)
        if not _well_formed(request):
            return _error(PARAMETERS_INVALID)
        phone, template_id, data = request["phone"], request["template_id"], request["template_data"]
        if not PHONE.match(phone):
            return _error(PHONE_INVALID)
        if template_id not in self.approved_templates:
            return _error(TEMPLATE_NOT_APPROVED if template_id in self.known_templates else TEMPLATE_INVALID)
        values = data.values()
        if not all(isinstance(value, str) for value in values) or sum(map(len, values)) > CONTENT_LIMIT:
            return _error(CONTENT_TOO_LONG)
        if phone in self.no_account:
            return _error(NO_ACCOUNT)
        if phone in self.blocked:
            return _error(BLOCKED)

        msg_id, sent_time = uuid.uuid4().hex, _now_ms()
        with self._lock:
            # The quota, the script and the record in one step, so that concurrent sends never overrun the quota.
            if self.daily_quota is not None and len(self.sent) >= self.daily_quota:
                return _error(QUOTA_EXCEEDED)
            fault = self._take_fault(http_only=False)
            if fault is not None and fault.kind == "fail":
                code = int(fault.value)
                return {"error": code, "message": MESSAGES.get(code, "Error")}
            self.sent.append(
                {
                    "phone": phone,
                    "template_id": template_id,
                    "template_data": data,
                    "tracking_id": request["tracking_id"],
                    "mode": request.get("mode"),
                    "msg_id": msg_id,
                }
            )
            self._messages[msg_id] = _Message(phone=phone, sent_time=sent_time)
            quota = self._quota()
        if fault is not None and fault.kind == "drop":
            return None
        if fault is not None and fault.kind == "delay":
            self._sleep(fault.value)
        return {"error": 0, "message": "Success", "data": {"msg_id": msg_id, "sent_time": sent_time, "quota": quota}}

    def message_status(self, token: str | None, query: dict[str, list[str]]) -> dict:
        message_id = (query.get("message_id") or [""])[0]
        phone = (query.get("phone") or [""])[0]
        with self._lock:
            self.status_queries.append({"message_id": message_id, "phone": phone})
        if not self._token_valid(token):
            return _error(TOKEN_INVALID)
        if not message_id:
            return _error(PARAMETERS_INVALID)
        with self._lock:
            message = self._messages.get(message_id)
            if message is None or (phone and phone != message.phone):
                return _error(MESSAGE_NOT_FOUND)
            status, sent_time = message.status, message.sent_time
        return {
            "error": 0,
            "message": "Success",
            "data": {
                "status": status,
                "message": STATUS_WORDS.get(status, "Unknown status"),
                "delivery_time": sent_time if status == 1 else None,
            },
        }

    def trade_refresh_token(self, secret_key: str | None, body: bytes) -> dict:
        form = {name: values[0] for name, values in parse_qs(body.decode("utf-8", "replace")).items()}
        refresh_token, app_id, grant_type = form.get("refresh_token"), form.get("app_id"), form.get("grant_type")
        with self._lock:
            if app_id != self.app_id or secret_key != self.app_secret:
                code, answer = INVALID_APP, _oauth_error(INVALID_APP, "Invalid app", "The app id or secret is wrong")
            elif not refresh_token or grant_type != "refresh_token":
                code, answer = (
                    INVALID_PARAMETER,
                    _oauth_error(INVALID_PARAMETER, "Invalid parameter", "A refresh_token grant is expected"),
                )
            elif refresh_token not in self._refresh_tokens:
                code, answer = (
                    INVALID_REFRESH_TOKEN,
                    _oauth_error(INVALID_REFRESH_TOKEN, "Invalid refresh token", "Unknown or already used"),
                )
            else:
                # Spent before the answer leaves, so a second use races and loses as it would at Zalo.
                self._refresh_tokens.discard(refresh_token)
                access, refresh = self._issue()
                code = 0
                answer = {"access_token": access, "refresh_token": refresh, "expires_in": ACCESS_LIFETIME_SECONDS}
            self.token_requests.append(
                {
                    "refresh_token": refresh_token,
                    "app_id": app_id,
                    "grant_type": grant_type,
                    "secret_key": secret_key,
                    "outcome": code,
                }
            )
        self._sleep(self.refresh_delay)
        return answer


def _error(error: tuple[int, str]) -> dict:
    return {"error": error[0], "message": error[1]}


def _oauth_error(code: int, name: str, description: str) -> dict:
    return {"error": code, "error_name": name, "error_description": description}


def _well_formed(request) -> bool:
    return (
        isinstance(request, dict)
        and isinstance(request.get("phone"), str)
        and isinstance(request.get("template_id"), str)
        and isinstance(request.get("tracking_id"), str)
        and isinstance(request.get("template_data"), dict)
        and request.get("mode", "development") == "development"
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    zns: LocalZns

    def __init__(self, *args, **kwargs):
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake the threads waiting on idle keep-alive connections, so none outlives the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address):
        # A client that gave up (its timeout) before a delayed answer is expected, not an error.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LocalZns/1"
    sys_version = ""
    # Buffered writes: the head and body of an answer leave in one segment.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self._body()
        path = urlsplit(self.path).path
        zns = self.server.zns
        if path == "/message/template":
            with zns._lock:
                fault = zns._take_fault(http_only=True)
            if fault is not None:
                self._answer_http_error(int(fault.value))
                return
            answer = zns.send_template(self.headers.get("access_token"), body)
            if answer is None:
                self.close_connection = True
                return
            self._answer(answer)
        elif path == "/v4/oa/access_token":
            self._answer(zns.trade_refresh_token(self.headers.get("secret_key"), body))
        else:
            self._not_found()

    def do_GET(self):  # noqa: N802 (http.server's name)
        self._body()
        parts = urlsplit(self.path)
        if parts.path == "/message/status":
            self._answer(self.server.zns.message_status(self.headers.get("access_token"), parse_qs(parts.query)))
        else:
            self._not_found()

    def do_PUT(self):  # noqa: N802 (http.server's name)
        self._body()
        self._not_found()

    do_DELETE = do_PATCH = do_PUT

    def _body(self) -> bytes:
        # Read even when unused, so the next request on the connection starts where it should.
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _answer(self, payload: dict, status: int = 200) -> None:
        self._write(status, "application/json; charset=utf-8", json.dumps(payload, ensure_ascii=False).encode())

    def _not_found(self) -> None:
        self._answer({"error": 404, "message": "Not found"}, status=404)

    def _answer_http_error(self, status: int) -> None:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        self._write(status, "text/plain; charset=utf-8", f"{status} {phrase}".encode())

    def _write(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
