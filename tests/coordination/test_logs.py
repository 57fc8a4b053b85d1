"""Production's log lines: one JSON object per line, with the request's id and path while it is answered."""

from __future__ import annotations

import io
import json
import logging

import pytest

from coordination.lib.logs import JsonFormatter
from tests.coordination.processes import production_env, run_python


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_a_line_written_during_a_request_names_it(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="4f2a9c0e1b7d4e55")
    client.get("/no-such-page/again/", HTTP_X_REQUEST_ID='forged"\nline')

    first, second = [line for line in json_lines() if line["logger"] == "django.request"]
    assert first["level"] == "WARNING"
    assert first["message"] == "Not Found: /no-such-page/"
    assert first["request_id"] == "4f2a9c0e1b7d4e55"
    assert first["path"] == "/no-such-page/"
    assert first["status_code"] == 404
    assert first["time"].endswith("+00:00")
    # A header that is no request id is not copied into the log: a fresh id instead.
    assert second["path"] == "/no-such-page/again/"
    assert len(second["request_id"]) == 32
    assert "forged" not in second["request_id"]


def test_outside_a_request_an_exception_keeps_its_traceback(json_lines):
    try:
        raise ValueError("không đọc được tệp")
    except ValueError:
        logging.getLogger("coordination.test").exception("export %s failed", 42, extra={"export_id": 42})

    [line] = [line for line in json_lines() if line["logger"] == "coordination.test"]
    assert line["message"] == "export 42 failed"
    assert line["level"] == "ERROR"
    assert line["export_id"] == 42
    assert "request_id" not in line
    assert line["exception"].splitlines()[-1] == "ValueError: không đọc được tệp"


LOG_A_LINE = (
    "import django, logging; django.setup(); "
    "from django.conf import settings; print(settings.LOG_FORMAT); "
    "logging.getLogger('coordination.check').warning('một dòng')"
)


def test_production_writes_json_and_log_format_text_turns_it_off(tmp_path):
    production = run_python(LOG_A_LINE, production_env(tmp_path))
    plain = run_python(LOG_A_LINE, production_env(tmp_path, LOG_FORMAT="text"))

    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "json"
    [line] = [json.loads(text) for text in production.stderr.splitlines() if "coordination.check" in text]
    assert (line["level"], line["message"]) == ("WARNING", "một dòng")
    assert plain.stdout.strip() == "text"
    [text] = [text for text in plain.stderr.splitlines() if "coordination.check" in text]
    assert text.endswith("WARNING coordination.check: một dòng")
