"""The project's settings without its feature apps: the core and the mechanisms must work alone."""

from coordination.settings import *  # noqa: F403

FEATURES = {"announcements", "activities", "portfolio", "donations", "health", "community"}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in FEATURES]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
