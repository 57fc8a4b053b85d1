"""The erasure log kept outside the database: one object per erasure, never appended to.

A restore from a backup taken before an erasure would bring the erased data back; the restore command
replays these objects (ids and time only, never the data) so that an erased family stays erased.
"""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PREFIX = "privacy/erasure-log/"


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
    return default_storage.save(name, ContentFile(json.dumps(body, sort_keys=True).encode()))
