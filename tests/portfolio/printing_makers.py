"""Works, photos and voice notes made directly, for the tests of the printed outputs."""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from pathlib import Path

from mediafiles import services as media_services
from mediafiles.models import MediaFile
from portfolio.models import Work, WorkPhoto
from tests.conftest import requires_binary
from tests.mediafiles.conftest import make_photo

SCHOOL_NAME = "Trường Mầm non Sao Mai"


def photo_make(*, school, by, size=(80, 60)) -> MediaFile:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_photo(Path(tmp) / "tranh.jpg", size=size)
        return media_services.media_ingest(school=school, by=by, kind="image", path=path)


def voice_make(*, school, by, seconds: float = 1) -> MediaFile:
    """A READY recording (a tone), with its AAC rendition made by the real ffmpeg."""
    ffmpeg = requires_binary("ffmpeg", "apt-get install ffmpeg")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "giong-noi.m4a"
        command = [
            ffmpeg,
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=330:duration={seconds}",
        ]
        subprocess.run([*command, "-c:a", "aac", str(path)], check=True)
        return media_services.media_ingest(school=school, by=by, kind="audio", path=path)


def work_make(
    *,
    child,
    by,
    title: str = "Bức tranh gia đình",
    made_on: datetime.date = datetime.date(2026, 11, 20),
    domain: str = "aesthetic",
    teacher_note: str = "",
    description: str = "",
    photos: int = 0,
    voice: bool = False,
    classroom=None,
) -> Work:
    work = Work.objects.create(
        school=child.school,
        child=child,
        classroom=classroom or child.classroom,
        title=title,
        description=description,
        teacher_note=teacher_note,
        domain=domain,
        made_on=made_on,
        created_by=by,
        voice=voice_make(school=child.school, by=by) if voice else None,
    )
    for position in range(photos):
        WorkPhoto.objects.create(
            school=child.school, work=work, media=photo_make(school=child.school, by=by), position=position
        )
    return work
