"""The compose file's backup scripts (deploy/backup/), run for real against the test database."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.db import connection

from tests.conftest import requires_binary, requires_postgres
from tests.coordination.processes import ROOT

SCRIPTS = ROOT / "deploy" / "backup"


def run(script: str, *arguments: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (the project's own scripts)
        [str(SCRIPTS / script), *arguments],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def libpq_env(db) -> dict[str, str]:
    requires_postgres()
    requires_binary("pg_dump", "apt-get install postgresql-client")
    requires_binary("pg_restore", "apt-get install postgresql-client")
    db_settings = connection.settings_dict
    env = {"PGDATABASE": db_settings["NAME"], "PGHOST": db_settings["HOST"] or "127.0.0.1"}
    env["PGPORT"] = str(db_settings["PORT"] or 5432)
    env["PGUSER"] = db_settings["USER"] or "postgres"
    if db_settings["PASSWORD"]:
        env["PGPASSWORD"] = db_settings["PASSWORD"]
    return env


def test_the_nightly_dump_is_readable_and_only_the_newest_are_kept(libpq_env, tmp_path):
    name = libpq_env["PGDATABASE"]
    for stamp in ("20261101T020000Z", "20261102T020000Z", "20261103T020000Z"):
        (tmp_path / f"{name}-{stamp}.dump").write_bytes(b"older")

    result = run("database.sh", "dump", **libpq_env, BACKUP_DIR=str(tmp_path), BACKUP_KEEP="2")

    assert result.returncode == 0, result.stderr
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert len(kept) == 2 and kept[0] == f"{name}-20261103T020000Z.dump"
    listing = subprocess.run(  # noqa: S603 (fixed arguments)
        ["pg_restore", "--list", str(tmp_path / kept[1])], capture_output=True, text=True, check=False
    )
    assert listing.returncode == 0 and "TABLE public schools_child" in listing.stdout


def test_a_restore_without_a_dump_file_is_refused(libpq_env, tmp_path):
    result = run("restore.sh", str(tmp_path / "none.dump"), **libpq_env)

    assert result.returncode != 0
    assert "no such dump" in result.stderr


def test_the_nightly_loop_refuses_a_time_it_cannot_read():
    result = run("nightly.sh", "true", BACKUP_TIME="2am")

    assert result.returncode == 2
    assert "BACKUP_TIME must be HH:MM" in result.stderr


def test_a_retention_that_is_not_a_number_is_refused(libpq_env, tmp_path):
    result = run("database.sh", "dump", **libpq_env, BACKUP_DIR=str(tmp_path), BACKUP_KEEP="two weeks")

    assert result.returncode != 0
    assert "BACKUP_KEEP must be a number" in result.stderr
    assert list(tmp_path.iterdir()) == []  # refused before dumping
