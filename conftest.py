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


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
