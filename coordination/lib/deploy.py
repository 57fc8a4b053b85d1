"""Secrets a production process refuses to start without.

With DEBUG off, the web application (wsgi.py, asgi.py), the Celery worker and
beat (celery.py) refuse to start, and `manage.py check --deploy` reports an
error (coordination/checks.py), when a secret is missing or is one that anyone
can read: the built-in development key, the old compose defaults, the values
shown in .env.example. One list, one function, used by all of them.

Build steps (collectstatic, compilemessages) and the test suite never come
here, so they need no secret. Imports no app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Signs sessions and tokens of `make run` only: settings.py uses it when DEBUG=1
# and SECRET_KEY is not set, and a production process refuses it.
DEVELOPMENT_SECRET_KEY = "django-insecure-embedded-default-only-for-local-use"  # noqa: S105 (public on purpose)

# Values published in this repository's history or in the documentation of the
# services it uses; compared without case.
KNOWN_PLACEHOLDERS = frozenset(
    {
        DEVELOPMENT_SECRET_KEY,
        # Old docker-compose.yml and .env.example defaults.
        "change-me-this-default-is-public-and-only-for-a-local-trial",
        "change-me-minio-secret",
        "coordination",
        # The image build and CI used these where no secret was needed.
        "build-time-only-not-a-secret",
        "ci-only-not-a-secret",
        # MinIO's and PostgreSQL's documented defaults, and the usual suspects.
        "minioadmin",
        "postgres",
        "password",
        "secret",
        "admin",
        "changeme",
        "example",
        "test",
    }
)
PLACEHOLDER_PREFIXES = ("change-me", "change_me", "changeme", "replace-me", "django-insecure")
# Shorter keys than this are guessable; `secrets.token_urlsafe(50)` gives 67 characters.
SECRET_KEY_MIN_LENGTH = 32

GENERATE_COMMAND = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


@dataclass(frozen=True)
class UnsafeSecret:
    """One environment variable that a production process cannot run with."""

    variable: str
    problem: str
    hint: str

    def __str__(self) -> str:
        return f"{self.variable} {self.problem}. {self.hint}"


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in KNOWN_PLACEHOLDERS or lowered.startswith(PLACEHOLDER_PREFIXES)


def _secret_key(settings: Any) -> str:
    # Django's lazy settings raise ImproperlyConfigured on reading an empty key.
    try:
        return settings.SECRET_KEY or ""
    except ImproperlyConfigured:
        return ""


def unsafe_secrets(settings: Any) -> list[UnsafeSecret]:
    """Every secret in `settings` that is missing or known; none at all with DEBUG on."""
    if settings.DEBUG:
        return []
    problems = []

    key = _secret_key(settings)
    hint = f"Generate one with: {GENERATE_COMMAND}"
    if not key:
        problems.append(UnsafeSecret("SECRET_KEY", "is not set", hint))
    elif is_placeholder(key):
        problems.append(UnsafeSecret("SECRET_KEY", "is a published placeholder", hint))
    elif len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        problems.append(UnsafeSecret("SECRET_KEY", f"is shorter than {SECRET_KEY_MIN_LENGTH} characters", hint))

    problems += _database_problems(settings.DATABASES["default"], getattr(settings, "DATABASE_URL", ""))

    if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        for variable, value in (
            ("S3_ACCESS_KEY", getattr(settings, "AWS_ACCESS_KEY_ID", "")),
            ("S3_SECRET_KEY", getattr(settings, "AWS_SECRET_ACCESS_KEY", "")),
        ):
            hint = "Set the object storage's own key (docker-compose.yml also gives it to MinIO)."
            if not value:
                problems.append(UnsafeSecret(variable, "is not set while S3_BUCKET is", hint))
            elif is_placeholder(value):
                problems.append(UnsafeSecret(variable, "is a published placeholder", hint))
    return problems


def _database_problems(database: Mapping[str, Any], database_url: str) -> list[UnsafeSecret]:
    hint = (
        "Give the database user a password of its own (docker-compose.yml builds DATABASE_URL "
        f"from POSTGRES_PASSWORD); generate one with: {GENERATE_COMMAND}"
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded default is meant for `make run`: a production process
        # that falls back to it has lost its DATABASE_URL, and would keep its
        # data in a file inside the container. SQLite named on purpose (a
        # single-machine trial) has no password to guess and is accepted.
        if not database_url:
            return [
                UnsafeSecret(
                    "DATABASE_URL",
                    "is not set",
                    "Point it at PostgreSQL (postgres://user:password@host:5432/name), "
                    "or name an SQLite file on purpose (sqlite:////path/to/db.sqlite3).",
                )
            ]
        return []
    password = database.get("PASSWORD") or ""
    if not password:
        return [UnsafeSecret("DATABASE_URL", "has no password", hint)]
    if is_placeholder(password):
        return [UnsafeSecret("DATABASE_URL", "has a published placeholder as its password", hint)]
    return []


class UnsafeProduction(ImproperlyConfigured):
    """A production process was started with secrets anyone can know."""


def refuse_unsafe_start(settings: Any, *, process: str) -> None:
    """Raise UnsafeProduction, naming every unsafe variable, unless all secrets are real (or DEBUG is on)."""
    problems = unsafe_secrets(settings)
    if not problems:
        return
    lines = [f"The {process} refuses to start with DEBUG=0:"]
    lines += [f"  - {problem}" for problem in problems]
    lines.append("Set them in the environment (see .env.example); DEBUG=1 is for your own machine only.")
    raise UnsafeProduction("\n".join(lines))
