"""/metrics in Prometheus' text format, for the staff's networks only.

- `coordination_http_request_duration_seconds`: a histogram of the time each request took, by the
  name of the URL pattern it matched (never the raw path: the labels stay few), method and status class;
- `coordination_celery_queue_length`: the tasks waiting in each queue the code sends tasks to,
  read from Redis when Prometheus asks;
- `coordination_notification_deliveries`: the e-mail, SMS and Zalo deliveries made in the last
  METRICS_DELIVERY_WINDOW_HOURS, by channel and state (sent, failed, given up, ...).

Under gunicorn every worker process counts its own requests; prometheus-client's multiprocess mode
(PROMETHEUS_MULTIPROC_DIR, set by coordination/gunicorn_conf.py) adds them up here. Whoever asks
from outside METRICS_ALLOWED_NETWORKS gets a 404, as if there were nothing here; the client's
address is the one the sign-in limits use (TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from accounts.adapter import client_ip
from coordination.lib.logs import current_request, request_id_from

logger = logging.getLogger(__name__)

# From 5 ms to 30 s: most pages take tens of milliseconds, an export or a report some seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"  # a path no URL pattern matches: one label for all of them

REQUEST_LATENCY = Histogram(
    "coordination_http_request_duration_seconds",
    "Time the portal took to answer, by URL pattern name, method and status class.",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNMATCHED


class RequestMetricsMiddleware:
    """Times every request for /metrics and names it in the log lines written while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        # Until the response is sent (request_finished): Django logs an error answer after the middlewares.
        current_request.set({"request_id": request_id_from(request.headers.get("X-Request-ID")), "path": request.path})
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_LATENCY.labels(view_label(request), method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


def _request_forget(**kwargs) -> None:
    current_request.set(None)


request_finished.connect(_request_forget, dispatch_uid="coordination-log-request-forget")


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple:
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:  # reported by `manage.py check` (coordination.E005); left out here
            logger.error("METRICS_ALLOWED_NETWORKS: %r is not a network", cidr)
    return tuple(networks)


def allowed(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_NETWORKS)))


def routed_queues() -> list[str]:
    from coordination.celery import routed_queues as queues

    return sorted(queues())


class QueueLengths:
    """The tasks waiting in each queue, read from the broker (Redis) at scrape time."""

    def collect(self):
        family = GaugeMetricFamily(
            "coordination_celery_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        broker = settings.CELERY_BROKER_URL
        if settings.CELERY_TASK_ALWAYS_EAGER or not broker.startswith(("redis://", "rediss://")):
            yield family  # tasks run in-process: no queue to measure
            return
        import redis

        queues = routed_queues()
        client = redis.Redis.from_url(broker, socket_timeout=2, socket_connect_timeout=2)
        try:
            pipe = client.pipeline(transaction=False)
            for queue in queues:
                # kombu keeps a list per queue, and one per priority step beside it.
                for key in redis_keys(queue):
                    pipe.llen(key)
            lengths = pipe.execute()
        except (redis.RedisError, OSError) as exc:
            # The rest of the scrape still answers; the missing series and the log say why.
            logger.warning("metrics: the queues' lengths could not be read: %s", exc)
            yield family
            return
        finally:
            client.close()
        steps = len(redis_keys(""))
        for index, queue in enumerate(queues):
            family.add_metric([queue], sum(lengths[index * steps : (index + 1) * steps]))
        yield family


def redis_keys(queue: str) -> list[str]:
    from kombu.transport.redis import PRIORITY_STEPS, Channel

    return [queue] + [f"{queue}{Channel.sep}{step}" for step in PRIORITY_STEPS if step]


class DeliveryOutcomes:
    """The notifications' deliveries of the last hours by channel and state, counted at most every few seconds."""

    CACHE_KEY = "metrics:deliveries"

    def collect(self):
        family = GaugeMetricFamily(
            "coordination_notification_deliveries",
            f"E-mail, SMS and Zalo deliveries made in the last {settings.METRICS_DELIVERY_WINDOW_HOURS} hours, "
            "by channel and state.",
            labels=["channel", "state"],
        )
        try:
            counts = cache.get(self.CACHE_KEY)
            if counts is None:
                counts = delivery_counts(hours=settings.METRICS_DELIVERY_WINDOW_HOURS)
                cache.set(self.CACHE_KEY, counts, settings.METRICS_CACHE_SECONDS)
        except Exception as exc:  # the database or the cache down: the rest of the scrape still answers
            logger.warning("metrics: the deliveries could not be counted: %s", exc)
            counts = {}
        for (channel, state), count in sorted(counts.items()):
            family.add_metric([channel, state], count)
        yield family


def delivery_counts(*, hours: int) -> dict[tuple[str, str], int]:
    from django.db.models import Count

    from notifications.models import Channel, Delivery

    since = timezone.now() - datetime.timedelta(hours=hours)
    # Every channel and state, none left out when it had nothing: a rate needs its zero.
    counts = {(channel, state): 0 for channel in Channel.values for state in Delivery.State.values}
    rows = (
        Delivery.objects.filter(created_at__gte=since)
        .order_by()
        .values_list("channel", "state")
        .annotate(count=Count("pk"))
    )
    for channel, state, count in rows:
        counts[(channel, state)] = count
    return counts


def registry() -> CollectorRegistry:
    """What a scrape reports: every process's counts, and the numbers read now."""
    scrape = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(scrape)
    else:
        from prometheus_client import REGISTRY

        scrape.register(REGISTRY)
    scrape.register(QueueLengths())
    scrape.register(DeliveryOutcomes())
    return scrape


@never_cache
def metrics(request):
    if not allowed(request):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
