"""Restoring the database from a backup, and replaying the erasures the backup predates.

A dump taken before an erasure brings the erased family back. The erasure log outlives the database
(privacy/erasurelog.py); replaying it after every restore erases again whoever was erased since, with
the current erasers, so that nobody's erased data comes back. Replaying twice changes nothing more.
"""

from __future__ import annotations

import datetime
import logging
import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from privacy.erasing import child_erase, person_erase
from privacy.erasurelog import erasure_log_list
from privacy.models import Erasure
from schools.models import Child, School

logger = logging.getLogger(__name__)


class RestoreError(Exception):
    pass


def _libpq(using: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments and environment for a Django database (the password never on argv)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RestoreError(f"database {using!r} is {connection.vendor}: backups need PostgreSQL")
    db = connection.settings_dict
    arguments = []
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603 (fixed programs, no shell)
    if result.returncode != 0:
        raise RestoreError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def database_dump(*, path: Path, using: str = "default") -> None:
    """Dump the database in pg_dump's custom format (what the nightly backup makes)."""
    arguments, environment = _libpq(using)
    name = connections[using].settings_dict["NAME"]
    _run(["pg_dump", "--format=custom", "--no-owner", *arguments, f"--file={path}", name], environment)


def database_restore(*, dump: Path, using: str = "default") -> None:
    """Replace the database's content with a custom-format dump, in one transaction (all or nothing)."""
    if not Path(dump).is_file():
        raise RestoreError(f"no such dump: {dump}")
    arguments, environment = _libpq(using)
    name = connections[using].settings_dict["NAME"]
    connections[using].close()  # our own session must not hold a lock on a table being dropped
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            f"--dbname={name}",
            str(dump),
        ],
        environment,
    )


@dataclass
class ReplayReport:
    replayed: int = 0
    missing: int = 0  # the subject's row no longer exists (deleted, or the backup predates it)
    failed: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    rows: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unreadable


def erasures_replay(*, now: datetime.datetime | None = None) -> ReplayReport:
    """Erase again every subject of the erasure log, oldest first (legal holds do not stop a done erasure)."""
    now = now or timezone.now()
    report = ReplayReport()
    User = get_user_model()
    entries = erasure_log_list(errors=report.unreadable)
    for entry in entries:
        try:
            if entry.subject == Erasure.Subject.CHILD:
                child = Child.objects.filter(pk=entry.subject_id).first()
                if child is None:
                    report.missing += 1
                    continue
                erasure = child_erase(child=child, reason=Erasure.Reason.REPLAY, now=now, force=True)
            elif entry.subject == Erasure.Subject.PERSON:
                user = User._default_manager.filter(pk=entry.subject_id).first()
                if user is None:
                    report.missing += 1
                    continue
                school = School.objects.filter(pk=entry.school_id).first() if entry.school_id else None
                erasure = person_erase(user=user, reason=Erasure.Reason.REPLAY, school=school, now=now, force=True)
            else:
                report.failed.append(f"{entry.name}: unknown subject {entry.subject!r}")
                continue
        except Exception as error:  # one failure must not stop the others; it is reported and exits non-zero
            logger.exception("replay of %s failed", entry.name)
            report.failed.append(f"{entry.name}: {error}")
            continue
        report.replayed += 1
        report.rows.update(erasure.counts)
    _ids_never_reused(entries)
    return report


def _ids_never_reused(entries) -> None:
    """Move the children's and the users' id sequences past every logged id.

    A dump predating a child's registration restores the sequence from before it: without this, the
    next child registered would get the erased child's id, and the next replay would erase them.
    """
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return  # SQLite never hands out an id again (AUTOINCREMENT); backups need PostgreSQL anyway
    for subject, model in ((Erasure.Subject.CHILD, Child), (Erasure.Subject.PERSON, get_user_model())):
        highest = max((entry.subject_id for entry in entries if entry.subject == subject), default=0)
        if highest < 1:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(seq, GREATEST(COALESCE(pg_sequence_last_value(seq), 0), %s)) "
                "FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) AS serial WHERE seq IS NOT NULL",
                [highest, connection.ops.quote_name(model._meta.db_table), model._meta.pk.column],
            )
