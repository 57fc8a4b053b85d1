from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from coordination.lib.deploy import unsafe_secrets


@register()
def pdf_font_check(app_configs, **kwargs):
    from coordination.lib.pdf import FontMissing, unicode_fonts

    try:
        unicode_fonts()
    except FontMissing as exc:
        return [Warning(str(exc), id="coordination.W001")]
    return []


# The ids name the variable, so that a deployment can look it up.
UNSAFE_SECRET_IDS = {
    "SECRET_KEY": "coordination.E001",
    "DATABASE_URL": "coordination.E002",
    "S3_ACCESS_KEY": "coordination.E003",
    "S3_SECRET_KEY": "coordination.E004",
}


@register(Tags.security, deploy=True)
def production_secrets_check(app_configs, **kwargs):
    """What makes the web application and the worker refuse to start, as errors of `check --deploy`."""
    return [
        Error(f"{problem.variable} {problem.problem}.", hint=problem.hint, id=UNSAFE_SECRET_IDS[problem.variable])
        for problem in unsafe_secrets(settings)
    ]


@register()
def metrics_networks_check(app_configs, **kwargs):
    """METRICS_ALLOWED_NETWORKS must be networks: a mistyped one would leave /metrics closed to it."""
    import ipaddress

    errors = []
    for cidr in settings.METRICS_ALLOWED_NETWORKS:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"METRICS_ALLOWED_NETWORKS: {cidr!r} is not a network.",
                    hint="Give networks in CIDR notation, separated by commas, e.g. 10.0.0.0/8,192.168.0.0/16.",
                    id="coordination.E005",
                )
            )
    return errors


# Caches that one process keeps to itself: each gunicorn worker and Celery process would have its own.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """The person's roles, children and account are kept in the cache between requests and forgotten there
    when they change (coordination/lib/percache.py). Every process that answers requests or runs tasks must
    therefore share one cache: with a cache of its own, a worker would go on showing a revoked role or a
    child who left until the entry expires."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The cache ({backend}) is kept by each process on its own.",
            hint=(
                "Set REDIS_URL (or CACHE_REDIS_URL), so that every web and worker process shares one cache "
                "and sees a change at once."
            ),
            id="coordination.W002",
        )
    ]
