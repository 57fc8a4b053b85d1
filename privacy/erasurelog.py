"""The erasure log kept outside the database: one object per erasure, never appended to.

A restore from a backup taken before an erasure would bring the erased data back; the restore command
replays these objects (ids and time only, never the data) so that an erased family stays erased.
The log goes to the storage named by PRIVACY_ERASURE_LOG_STORAGE: in production a bucket of its own,
which neither a restore of the database nor one of the media overwrites.
"""

from __future__ import annotations

import datetime
import json
import logging
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)

PREFIX = "privacy/erasure-log/"


@dataclass(frozen=True)
class LogEntry:
    """One logged erasure as read back from its object."""

    name: str
    subject: str
    subject_id: int
    school_id: int | None
    reason: str
    at: datetime.datetime


class ErasureLogError(Exception):
    """An object of the log that cannot be read: a replay that skipped it could leave a family unerased."""


def erasure_log_storage() -> Storage:
    return storages[getattr(settings, "PRIVACY_ERASURE_LOG_STORAGE", "default")]


def erasure_log_write(*, erasure) -> str:
    """Store one object for this erasure; returns its name."""
    body = {
        "version": 1,
        "subject": erasure.subject,
        "subject_id": erasure.subject_id,
        "school_id": erasure.school_id,
        "reason": erasure.reason,
        "at": erasure.at.isoformat(),
    }
    name = f"{PREFIX}{erasure.at:%Y%m%dT%H%M%S%f}-{erasure.subject}-{erasure.subject_id}.json"
    return erasure_log_storage().save(name, ContentFile(json.dumps(body, sort_keys=True).encode()))


def _names(storage: Storage, directory: str) -> list[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # nothing was ever erased (on disk the folder does not exist yet)
        return []
    names = [posixpath.join(directory, name) for name in files if name.endswith(".json")]
    for sub in directories:
        names += _names(storage, posixpath.join(directory, sub))
    return names


def _entry(storage: Storage, name: str) -> LogEntry:
    try:
        with storage.open(name) as handle:
            body = json.loads(handle.read())
        at = datetime.datetime.fromisoformat(body["at"])
        return LogEntry(
            name=name,
            subject=str(body["subject"]),
            subject_id=int(body["subject_id"]),
            school_id=int(body["school_id"]) if body.get("school_id") is not None else None,
            reason=str(body["reason"]),
            at=at,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ErasureLogError(f"{name}: {error}") from error


def erasure_log_list(*, errors: list[str] | None = None) -> list[LogEntry]:
    """Every logged erasure, oldest first; an unreadable object raises, or is named in `errors` when given."""
    storage = erasure_log_storage()
    entries = []
    for name in _names(storage, PREFIX.rstrip("/")):
        try:
            entries.append(_entry(storage, name))
        except ErasureLogError as error:
            if errors is None:
                raise
            logger.error("erasure log: cannot read %s", error)
            errors.append(str(error))
    return sorted(entries, key=lambda entry: (entry.at, entry.name))
