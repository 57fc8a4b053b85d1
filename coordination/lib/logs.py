"""Log lines for production: one JSON object per line, which a log collector reads without guessing.

Each line has `time` (UTC, ISO 8601 with milliseconds), `level`, `logger` and `message`; during a
web request also `request_id` (nginx's X-Request-ID, else one made here) and `path`
(coordination/metrics.py's middleware sets them); an exception's traceback as `exception`;
and whatever a call passed in `extra=` that JSON can say.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid

# The request being answered in this thread (or task): set and reset by RequestContextMiddleware.
current_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar("current_request", default=None)

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# The attributes every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it looks like one (nothing a client could use to forge a line), else a new one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _plain(value):
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = current_request.get()
        if request:
            line.update(request)
        for name, value in record.__dict__.items():
            if name not in _STANDARD and name not in line and not name.startswith("_"):
                line[name] = _plain(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
