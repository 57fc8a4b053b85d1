"""Who may use the media URLs: the uploader touches their upload; downloads need the uploader
or an app's resolver (none is registered for these files, so only the uploader gets them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.conftest import World
from tests.matrix_kit import READ_ONLY, Entry, expect


def _parent_upload(w: World):
    """An unfinished upload started by the parent."""
    from mediafiles import services

    return services.media_upload_start(school=w.school, by=w.parent, kind="video", filename="clip.mp4", size=10)


def _teacher_photo(w: World):
    """A ready photo uploaded by the teacher."""
    from mediafiles import services
    from tests.mediafiles.conftest import make_photo

    with tempfile.TemporaryDirectory() as tmp:
        photo = make_photo(Path(tmp) / "drawing.jpg")
        return services.media_ingest(school=w.school, by=w.teacher, kind="image", path=photo)


def _start_data(w: World) -> dict:
    return {"filename": "lesson.mp4", "size": "1000", "kind": "video", "school": str(w.school.pk)}


UPLOADER_ONLY = expect(parent=200)

MATRIX: dict[str, Entry] = {
    # Staff of the school and guardians of its children may upload; nobody else.
    "media/uploads/": Entry(
        "/media/uploads/",
        expect(
            others=403,
            parent=201,
            other_parent=201,
            school_teachers=201,
            leaders=201,
            nurse=201,
            accountant=201,
        ),
        method="post",
        data=_start_data,
    ),
    "media/uploads/<uuid:media_id>/": Entry(lambda w: f"/media/uploads/{_parent_upload(w).pk}/", UPLOADER_ONLY),
    "media/uploads/<uuid:media_id>/status/": Entry(
        lambda w: f"/media/uploads/{_parent_upload(w).pk}/status/", UPLOADER_ONLY
    ),
    "media/<uuid:media_id>/<slug:variant>": Entry(
        lambda w: f"/media/{_teacher_photo(w).pk}/thumb",
        expect(teacher=200),
    ),
}

ADMIN_MODELS = {
    "mediafiles/mediafile": (READ_ONLY, _teacher_photo),
}
