"""Test-wide settings that differ from the running app, set before anything uses them."""

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


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
