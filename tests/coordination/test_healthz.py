"""GET /healthz: what a load balancer and the compose healthcheck ask."""

from __future__ import annotations

import pytest

from coordination.celery import app as celery_app
from tests.conftest import requires_redis

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker(settings, monkeypatch):
    """Point the health check, and the Celery app it uses, at a broker of the test's choosing."""
    # Celery lets this variable win over its configuration; the test decides here.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    # The app reads Django's settings live; values set on its conf shadow them
    # until they are taken out again.
    celery_app.conf.get("broker_url")  # reading loads the configuration
    changes = celery_app.conf.changes
    saved = {key: changes[key] for key in ("broker_url", "task_always_eager") if key in changes}

    def use(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        celery_app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    for key in ("broker_url", "task_always_eager"):
        changes.pop(key, None)
    changes.update(saved)


def _health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"].startswith("max-age=0")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_reports_database_storage_and_broker(client):
    status, body = _health(client)

    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "storage", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_reachable_broker_is_checked(client, broker):
    broker(requires_redis())

    status, body = _health(client)

    assert status == 200
    assert body["checks"]["broker"]["ok"] is True
    assert "mode" not in body["checks"]["broker"], "the broker was really asked, not skipped"


@pytest.mark.django_db
def test_unreachable_broker_gives_503(client, broker):
    broker(UNREACHABLE_BROKER)

    status, body = _health(client)

    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_broken_storage_gives_503(client, settings, tmp_path):
    # The media directory would have to live inside a regular file: no write can succeed.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"

    status, body = _health(client)

    assert status == 503
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
