"""Reads of children's works."""

from __future__ import annotations

from django.db.models import Q

from mediafiles.models import State
from portfolio.models import Work


def work_of_media(*, media) -> tuple[Work, bool] | None:
    """The work a file belongs to, as a photo or as its voice note (True), in one query; None for other files."""
    work = (
        Work.objects.filter(Q(photos__media_id=media.pk) | Q(voice_id=media.pk)).select_related("child__school").first()
    )
    if work is None:
        return None
    return work, work.voice_id == media.pk


def work_is_ready(work: Work, photos) -> bool:
    """Whether the work's page shows it whole: its QR images are made and its files are processed.

    `photos` are the work's WorkPhoto rows with their media (already read)."""
    if not work.qr_ready:
        return False
    if any(photo.media.state != State.READY for photo in photos):
        return False
    return work.voice is None or work.voice.state == State.READY
