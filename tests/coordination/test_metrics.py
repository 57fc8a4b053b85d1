"""/metrics: Prometheus' text format, for the staff's networks only.

Latency by URL pattern name (never the raw path), the Celery queues' lengths read from Redis,
the notifications' delivery outcomes; a 404 for anyone outside METRICS_ALLOWED_NETWORKS, with the
client's address taken behind the trusted proxy as the sign-in limits take it.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
import redis
from django.core.cache import cache
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from coordination import metrics
from notifications.models import Delivery, Notice
from tests.conftest import requires_redis

pytestmark = pytest.mark.django_db


def scrape(client, **extra) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def latency_count(samples, view: str, status: str = "2xx", method: str = "GET") -> float:
    labels = frozenset({"view": view, "method": method, "status": status}.items())
    return samples.get(("coordination_http_request_duration_seconds_count", labels), 0)


def test_latency_is_reported_by_url_pattern_name_not_by_path(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    missing = f"/no-such-page/{uuid.uuid4().hex}/"
    client.get(missing)

    response = client.get("/metrics")
    after = scrape(client)

    assert latency_count(after, "healthz") - latency_count(before, "healthz") == 2
    assert latency_count(after, metrics.UNMATCHED, "4xx") - latency_count(before, metrics.UNMATCHED, "4xx") == 1
    assert missing not in response.content.decode()
    # The histogram's buckets: the two fast answers fall under the last one.
    inf = frozenset({"view": "healthz", "method": "GET", "status": "2xx", "le": "+Inf"}.items())
    assert after[("coordination_http_request_duration_seconds_bucket", inf)] == latency_count(after, "healthz")


def test_outside_the_allowed_networks_metrics_is_not_found(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "::1/128"]

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404  # not in the list any more
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_behind_the_proxy_the_client_forwarded_for_decides(client, settings):
    """nginx's address is private; what counts is the client it forwards for (TRUSTED_PROXY_COUNT=1)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_NETWORKS = ["192.168.0.0/16"]
    nginx = {"REMOTE_ADDR": "192.168.5.2"}

    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7", **nginx).status_code == 404
    # A forged entry in front of nginx's own is not believed.
    forged = "192.168.1.1, 203.0.113.7"
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=forged, **nginx).status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="192.168.1.20", **nginx).status_code == 200


def test_queue_lengths_are_read_from_redis(client, settings):
    requires_redis()
    # This test process's own Redis database (conftest.py): another process's tests empty theirs.
    url = settings.CACHES["default"]["LOCATION"]
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    server = redis.Redis.from_url(url)
    keys = metrics.redis_keys("media") + metrics.redis_keys("notifications") + metrics.redis_keys("default")
    server.delete(*keys)
    try:
        server.rpush("media", "a", "b", "c")
        server.rpush(metrics.redis_keys("media")[1], "urgent")  # a priority step of the same queue
        server.rpush("notifications", "d")

        samples = scrape(client)
    finally:
        server.delete(*keys)
        server.close()

    def length(queue):
        return samples[("coordination_celery_queue_length", frozenset({"queue": queue}.items()))]

    assert (length("media"), length("notifications"), length("default")) == (4, 1, 0)


def test_delivery_outcomes_by_channel_and_state(client, world, settings):
    settings.METRICS_DELIVERY_WINDOW_HOURS = 24
    cache.delete(metrics.DeliveryOutcomes.CACHE_KEY)
    states = ["sent", "sent", "given_up", "failed"]
    for n, state in enumerate(states):
        notice = Notice.objects.create(recipient=world.parent, category="general", title="t", dedupe_key=f"m:{n}")
        Delivery.objects.create(notice=notice, channel="sms", state=state)
    old = Notice.objects.create(recipient=world.parent, category="general", title="t", dedupe_key="m:old")
    Delivery.objects.create(
        notice=old, channel="sms", state="sent", created_at=timezone.now() - datetime.timedelta(hours=30)
    )

    samples = scrape(client)

    def count(channel, state):
        return samples[
            ("coordination_notification_deliveries", frozenset({"channel": channel, "state": state}.items()))
        ]

    assert (count("sms", "sent"), count("sms", "given_up"), count("sms", "failed")) == (2, 1, 1)
    assert count("email", "sent") == 0  # reported as zero, not left out
    # Counted at most every METRICS_CACHE_SECONDS: a scrape right after reads the cache, not the table.
    Delivery.objects.filter(state="failed").update(state="sent")
    assert (
        scrape(client)[
            ("coordination_notification_deliveries", frozenset({"channel": "sms", "state": "failed"}.items()))
        ]
        == 1
    )
    cache.delete(metrics.DeliveryOutcomes.CACHE_KEY)


def test_a_mistyped_network_is_reported_by_check_and_opens_nothing(client, settings):
    from django.core.checks import run_checks

    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "192.168.1.300/24"]

    [error] = [message for message in run_checks() if message.id == "coordination.E005"]
    assert "192.168.1.300/24" in error.msg
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.20").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 200
