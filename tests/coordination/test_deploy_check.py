"""`manage.py check --deploy` reports a missing or published secret as an error, as the start refuses it."""

from __future__ import annotations

import sys

import pytest
from django.core.checks import run_checks

from tests.coordination.processes import production_env, real_secret, run

POSTGRES_WITH_PASSWORD = "postgres://portal:Xk29-vq8Lm3@db.example.org:5432/portal"


@pytest.fixture
def production(settings, monkeypatch):
    """This process's settings as production has them, with real secrets (no database is used)."""
    settings.DEBUG = False
    settings.SECRET_KEY = real_secret()
    settings.DATABASE_URL = POSTGRES_WITH_PASSWORD
    database = settings.DATABASES["default"]
    monkeypatch.setitem(database, "ENGINE", "django.db.backends.postgresql")
    monkeypatch.setitem(database, "PASSWORD", "Xk29-vq8Lm3")
    settings.AWS_STORAGE_BUCKET_NAME = "media"
    settings.AWS_ACCESS_KEY_ID = "portal-media-4f1c"
    settings.AWS_SECRET_ACCESS_KEY = real_secret()
    return settings


def deploy_errors() -> str:
    """The portal's own errors among the checks of `check --deploy`, or "" when there are none."""
    found = run_checks(include_deployment_checks=True)
    return "\n".join(f"({m.id}) {m.msg}" for m in found if m.id.startswith("coordination.E"))


def test_real_secrets_pass(production):
    assert deploy_errors() == ""


@pytest.mark.parametrize(
    ("change", "check_id", "message"),
    [
        ({"SECRET_KEY": ""}, "coordination.E001", "SECRET_KEY is not set"),
        ({"SECRET_KEY": "django-insecure-embedded-default-only-for-local-use"}, "coordination.E001", "SECRET_KEY is a"),
        ({"SECRET_KEY": "short-but-not-a-placeholder"}, "coordination.E001", "SECRET_KEY is shorter"),
        ({"PASSWORD": ""}, "coordination.E002", "DATABASE_URL has no password"),
        ({"PASSWORD": "coordination"}, "coordination.E002", "DATABASE_URL has a published placeholder"),
        ({"AWS_ACCESS_KEY_ID": ""}, "coordination.E003", "S3_ACCESS_KEY is not set while S3_BUCKET is"),
        ({"AWS_ACCESS_KEY_ID": "minioadmin"}, "coordination.E003", "S3_ACCESS_KEY is a published placeholder"),
        ({"AWS_SECRET_ACCESS_KEY": "change-me-minio-secret"}, "coordination.E004", "S3_SECRET_KEY is a published"),
        ({"AWS_SECRET_ACCESS_KEY": "Change-Me-Please"}, "coordination.E004", "S3_SECRET_KEY is a published"),
    ],
)
def test_missing_or_published_secret_is_an_error(production, monkeypatch, change, check_id, message):
    for name, value in change.items():
        if name == "PASSWORD":
            monkeypatch.setitem(production.DATABASES["default"], "PASSWORD", value)
        else:
            setattr(production, name, value)

    errors = deploy_errors()

    assert f"({check_id}) {message}" in errors
    assert errors.count("(coordination.E00") == 1


def test_storage_keys_are_not_needed_without_object_storage(production):
    production.AWS_STORAGE_BUCKET_NAME = ""
    production.AWS_ACCESS_KEY_ID = ""
    production.AWS_SECRET_ACCESS_KEY = ""

    assert deploy_errors() == ""


def test_a_forgotten_database_url_is_an_error_but_sqlite_named_on_purpose_is_not(production, monkeypatch):
    monkeypatch.setitem(production.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    production.DATABASE_URL = ""
    assert "(coordination.E002) DATABASE_URL is not set" in deploy_errors()

    production.DATABASE_URL = "sqlite:////var/lib/portal/db.sqlite3"
    assert deploy_errors() == ""


def test_development_is_not_checked(production):
    production.DEBUG = True
    production.SECRET_KEY = "django-insecure-embedded-default-only-for-local-use"

    assert "coordination.E00" not in deploy_errors()


def test_manage_py_check_deploy_fails_on_a_published_secret(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="change-me-this-default-is-public-and-only-for-a-local-trial")

    result = run([sys.executable, "manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "(coordination.E001) SECRET_KEY is a published placeholder." in result.stderr
    assert "Generate one with: python3 -c" in result.stderr


def test_build_steps_need_no_secret(tmp_path):
    """collectstatic runs at image build time, with DEBUG=0 and no secret at all (Dockerfile)."""
    env = production_env(tmp_path, SECRET_KEY="", DATABASE_URL="")
    env.pop("STATICFILES_BACKEND")

    result = run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)

    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def deploy_warnings(check_id: str) -> list[str]:
    return [m.msg for m in run_checks(include_deployment_checks=True) if m.id == check_id]


def test_a_cache_of_each_process_is_a_warning(production):
    """The person's roles and children are cached and forgotten in the cache: every process must share it."""
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert deploy_warnings("coordination.W002") == [
        "The cache (django.core.cache.backends.locmem.LocMemCache) is kept by each process on its own."
    ]


def test_a_shared_cache_passes(production):
    production.CACHES = {
        "default": {"BACKEND": "coordination.lib.rediscache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}
    }

    assert deploy_warnings("coordination.W002") == []
