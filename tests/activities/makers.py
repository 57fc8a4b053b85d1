"""Activities, files and answers made directly, for tests that are not about making them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils import timezone

from activities.models import Activity, ActivityClassroom, ActivityPhoto, Answer
from mediafiles import services as media_services
from mediafiles.models import MediaFile
from tests.mediafiles.conftest import make_clip, make_photo, make_sound


def photo_make(*, school, by, size=(64, 48)) -> MediaFile:
    """A READY photo uploaded by `by` (tasks run in-process in tests)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_photo(Path(tmp) / "drawing.jpg", size=size)
        return media_services.media_ingest(school=school, by=by, kind="image", path=path)


def clip_make(*, school, by, seconds: float = 1) -> MediaFile:
    """A READY video made by the real ffmpeg."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_clip(Path(tmp) / "lesson.mp4", seconds=seconds, size="160x120")
        return media_services.media_ingest(school=school, by=by, kind="video", path=path)


def voice_make(*, school, by, seconds: float = 1) -> MediaFile:
    """A READY sound recording, WebM/Opus as a browser records it, made by the real ffmpeg."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_sound(Path(tmp) / "recording.webm", seconds=seconds, fmt="webm", pipe=True)
        return media_services.media_ingest(school=school, by=by, kind="audio", path=path)


def activity_make(
    *,
    school,
    by,
    classrooms,
    title: str = "Gấp thuyền giấy",
    instructions: str = "Cùng bé gấp một chiếc thuyền bằng giấy báo cũ rồi thả vào chậu nước.",
    materials: str = "Giấy báo cũ, chậu nước",
    domain: str = "aesthetic",
    age_group: str = "la",
    published: bool = True,
    video: MediaFile | None = None,
    voice: MediaFile | None = None,
    photos=(),
    published_at=None,
    answer_by=None,
) -> Activity:
    published_at = published_at or timezone.now()
    activity = Activity.objects.create(
        school=school,
        title=title,
        instructions=instructions,
        materials=materials,
        domain=domain,
        age_group=age_group,
        created_by=by,
        video=video,
        voice=voice,
        answer_by=answer_by,
        state=Activity.State.PUBLISHED if published else Activity.State.DRAFT,
        published_at=published_at if published else None,
    )
    for classroom in classrooms:
        ActivityClassroom.objects.create(
            school=school,
            activity=activity,
            classroom=classroom,
            enrolled=classroom.children.filter(left_on__isnull=True).count() if published else None,
        )
    for position, media in enumerate(photos):
        ActivityPhoto.objects.create(school=school, activity=activity, media=media, position=position)
    return activity


def answer_make(*, activity, child, by, media=None, note: str = "Bé rất thích!", sharing: str = "private") -> Answer:
    media = media or photo_make(school=activity.school, by=by)
    return Answer.objects.create(
        school=activity.school,
        activity=activity,
        child=child,
        classroom=child.classroom,
        guardian=by,
        media=media,
        note=note,
        sharing=sharing,
    )
