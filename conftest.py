"""Test-wide settings that differ from the running app, set before anything uses them."""

import os
import secrets

import pytest


def pytest_configure(config):
    from django.conf import settings

    # No collectstatic in tests: plain static storage instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "accounts.sms.LocmemSmsBackend"
    settings.MFA_REQUIRED_ROLES = []
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # The suite runs without DEBUG, so it gets production's defaults; it talks
    # plain HTTP to the test client and the live server, and signs with a key
    # of its own. tests/coordination/test_production_settings.py reads the real
    # defaults in a fresh process.
    if not os.environ.get("SECRET_KEY"):
        settings.SECRET_KEY = "tests-only-" + secrets.token_urlsafe(32)
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    _redis_database_of_this_worker(settings)


def _redis_database_of_this_worker(settings) -> None:
    """Under pytest-xdist, each worker process caches in a Redis database of its own.

    Every test starts by emptying the cache (tests/conftest.py), which would otherwise
    empty the other worker's rate-limit counters and cached pages in the middle of its
    test. Worker gw0 keeps REDIS_URL's database, gw1 takes the next one, and so on.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if not worker.startswith("gw") or not cache["BACKEND"].endswith("RedisCache"):
        return
    from urllib.parse import urlparse

    location = urlparse(cache["LOCATION"])
    database = int(location.path.strip("/") or 0) + int(worker[2:])
    if database > 11:  # 12 and 13 belong to the tests that start a real Celery worker
        raise pytest.UsageError(f"{worker}: no Redis database left for its cache (REDIS_URL's database is too high)")
    own = location._replace(path=f"/{database}").geturl()
    settings.CACHES = {**settings.CACHES, "default": {**cache, "LOCATION": own}}


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
