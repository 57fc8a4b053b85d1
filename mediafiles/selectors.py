"""Reads of mediafiles, each scoped by the person asking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.http import Http404

from mediafiles import access, policies
from mediafiles.models import Kind, MediaFile, State


def media_get_upload(*, user, media_id) -> MediaFile:
    """An upload of the person asking; 404 for everyone else (it is not theirs to know of)."""
    media = MediaFile.objects.filter(pk=media_id).first()
    if media is None or not policies.can_touch_upload(user, media):
        raise Http404
    return media


def media_get_viewable(*, user, media_id) -> MediaFile:
    media = MediaFile.objects.filter(pk=media_id).first()
    if media is None or not access.can_view_media(user, media):
        raise Http404
    return media


@dataclass(frozen=True)
class StorageFigure:
    files: int
    videos: int
    photos: int
    sounds: int
    stored_bytes: int
    uploading: int


def school_media_storage(*, user, school) -> StorageFigure | None:
    """What a school's photos and videos take in storage (renditions included), for its leaders; one query."""
    if not policies.can_view_school_storage(user, school):
        return None
    kept = ~Q(state=State.FAILED)
    figures = MediaFile.objects.filter(school=school).aggregate(
        files=Count("pk", filter=kept & ~Q(state=State.UPLOADING)),
        videos=Count("pk", filter=Q(kind=Kind.VIDEO, state=State.READY)),
        photos=Count("pk", filter=Q(kind=Kind.IMAGE, state=State.READY)),
        sounds=Count("pk", filter=Q(kind=Kind.AUDIO, state=State.READY)),
        stored_bytes=Sum("stored_bytes", filter=kept, default=0),
        uploading=Count("pk", filter=Q(state=State.UPLOADING)),
    )
    return StorageFigure(**figures)
