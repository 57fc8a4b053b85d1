"""Fresh Python processes with an environment of the test's choosing, for what is decided at start-up."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def real_secret() -> str:
    return secrets.token_urlsafe(50)


def clean_env(**values: str) -> dict[str, str]:
    """Only what a process needs to run, plus the given variables: nothing leaks from the test run."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="coordination.settings", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    env.update(values)
    return env


def production_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """DEBUG=0 with real secrets, a database of its own (SQLite named on purpose) and tasks in-process."""
    defaults = {
        "DEBUG": "0",
        "SECRET_KEY": real_secret(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    return clean_env(**{**defaults, **values})


def program(name: str) -> str:
    beside_python = BIN / name
    return str(beside_python) if beside_python.exists() else name


def run(command: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
    )


def run_python(code: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], env, timeout)
