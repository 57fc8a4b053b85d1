"""Who may use the media URLs (merged into tests/test_authorization_matrix.py).

Uploads: only the person who started one may follow it or send its chunks (GET, HEAD, PATCH).
Downloads go through the resolver of the app that uses the file: here a home activity of Lá 1
(its video, voice instructions and photo) and the parent's answers (a photo, a voice recording), every
variant, the small WebP and JPEG sizes included. Families get renditions: a video's or a recording's
original sends them to the rendition; staff get the original of what staff uploaded; a family gets the
original of its own upload.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.conftest import World
from tests.matrix_kit import READ_ONLY, Entry, expect


def _parent_upload(w: World):
    """An unfinished upload of 10 bytes started by the parent."""
    from mediafiles import services

    return services.media_upload_start(school=w.school, by=w.parent, kind="video", filename="clip.mp4", size=10)


def _received(w: World) -> list:
    from mediafiles.models import MediaFile

    return list(MediaFile.objects.filter(uploaded_by=w.parent).values_list("received", flat=True))


def _uploads(w: World) -> int:
    from mediafiles.models import MediaFile

    return MediaFile.objects.count()


def _teacher_photo(w: World):
    """A ready photo uploaded by the teacher, used by nothing."""
    from mediafiles import services
    from tests.mediafiles.conftest import make_photo

    with tempfile.TemporaryDirectory() as tmp:
        photo = make_photo(Path(tmp) / "drawing.jpg")
        return services.media_ingest(school=w.school, by=w.teacher, kind="image", path=photo)


def _start_data(w: World) -> dict:
    return {"filename": "lesson.mp4", "size": "1000", "kind": "video", "school": str(w.school.pk)}


def _activity_files(w: World) -> dict:
    """A published activity of Lá 1 with the teacher's video, voice instructions and photo, and the parent's
    answer (a photo); and a second one that the parent answered with a voice recording."""
    from tests.activities.makers import activity_make, answer_make, clip_make, photo_make, voice_make

    video = clip_make(school=w.school, by=w.teacher)
    voice = voice_make(school=w.school, by=w.teacher)
    photo = photo_make(school=w.school, by=w.teacher)
    activity = activity_make(
        school=w.school, by=w.teacher, classrooms=[w.classroom], video=video, voice=voice, photos=[photo]
    )
    answer = answer_make(activity=activity, child=w.child, by=w.parent)
    second = activity_make(school=w.school, by=w.teacher, classrooms=[w.classroom], title="Kể chuyện")
    spoken = answer_make(activity=second, child=w.child, by=w.parent, media=voice_make(school=w.school, by=w.parent))
    return {"video": video, "voice": voice, "photo": photo, "answer": answer.media, "voice_answer": spoken.media}


def _captioned_files(w: World) -> dict:
    """The activity's files, its video with captions."""
    files = _activity_files(w)
    files["video"].captions = "WEBVTT\n\n00:00.000 --> 00:01.000\nGấp đôi tờ giấy.\n"
    files["video"].save(update_fields=["captions"])
    return files


def _download(name: str, variant: str, answers: dict) -> Entry:
    return Entry(lambda w: f"/media/{w.made[name].pk}/{variant}", answers, setup=_activity_files)


UPLOADER_ONLY = expect(parent=200)
# Those who see the activity: the families of its class, its teacher, the school's leaders.
ACTIVITY_VIEWERS = expect(parent=200, teacher=200, leaders=200)

MATRIX: dict[str, Entry | list[Entry]] = {
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
            kitchen=201,
        ),
        method="post",
        data=_start_data,
        effect=_uploads,
    ),
    "media/uploads/<uuid:media_id>/": [
        Entry(lambda w: f"/media/uploads/{_parent_upload(w).pk}/", UPLOADER_ONLY),
        Entry(lambda w: f"/media/uploads/{_parent_upload(w).pk}/", UPLOADER_ONLY, method="head"),
        Entry(
            lambda w: f"/media/uploads/{_parent_upload(w).pk}/",
            expect(parent=204),
            method="patch",
            data=lambda w: b"abcd",
            headers={"content_type": "application/offset+octet-stream", "HTTP_UPLOAD_OFFSET": "0"},
            effect=_received,
        ),
    ],
    "media/uploads/<uuid:media_id>/status/": Entry(
        lambda w: f"/media/uploads/{_parent_upload(w).pk}/status/", UPLOADER_ONLY
    ),
    # A video's captions: to those who may watch the video; a file without captions has none to give.
    "media/<uuid:media_id>/captions.vtt": [
        Entry(
            lambda w: f"/media/{w.made['video'].pk}/captions.vtt",
            ACTIVITY_VIEWERS,
            setup=_captioned_files,
            shows="Gấp đôi tờ giấy.",
        ),
        Entry(lambda w: f"/media/{w.made['voice'].pk}/captions.vtt", expect(), setup=_captioned_files),
    ],
    "media/<uuid:media_id>/<slug:variant>": [
        # A file of nothing: its uploader's alone.
        Entry(lambda w: f"/media/{_teacher_photo(w).pk}/thumb", expect(teacher=200)),
        # The teacher's video: families are sent from the original to the rendition.
        _download("video", "original", expect(parent="redirect", teacher=200, leaders=200)),
        _download("video", "video", ACTIVITY_VIEWERS),
        _download("video", "poster", ACTIVITY_VIEWERS),
        _download("video", "thumb", ACTIVITY_VIEWERS),
        # The small sizes of its poster, in WebP and JPEG.
        _download("video", "thumb-webp", ACTIVITY_VIEWERS),
        _download("video", "preview", ACTIVITY_VIEWERS),
        _download("video", "preview-webp", ACTIVITY_VIEWERS),
        # The teacher's voice instructions: families are sent to the AAC rendition, staff keep the recording.
        _download("voice", "original", expect(parent="redirect", teacher=200, leaders=200)),
        _download("voice", "video", ACTIVITY_VIEWERS),
        _download("voice", "thumb-webp", expect(anonymous="login")),  # a sound has no picture
        # The teacher's photo: families get the copy without its metadata under every name.
        _download("photo", "original", ACTIVITY_VIEWERS),
        _download("photo", "video", ACTIVITY_VIEWERS),
        _download("photo", "thumb", ACTIVITY_VIEWERS),
        _download("photo", "thumb-webp", ACTIVITY_VIEWERS),
        _download("photo", "preview", ACTIVITY_VIEWERS),
        _download("photo", "preview-webp", ACTIVITY_VIEWERS),
        # The parent's answer: private to the family and the class's staff.
        _download("answer", "original", ACTIVITY_VIEWERS),
        _download("answer", "video", ACTIVITY_VIEWERS),
        _download("answer", "thumb", ACTIVITY_VIEWERS),
        _download("answer", "thumb-webp", ACTIVITY_VIEWERS),
        _download("answer", "preview-webp", ACTIVITY_VIEWERS),
        _download("answer", "poster", expect(anonymous="login")),
        # The parent's voice answer: the family keeps what it recorded, the staff hear the rendition.
        _download("voice_answer", "original", expect(parent=200, teacher="redirect", leaders="redirect")),
        _download("voice_answer", "video", ACTIVITY_VIEWERS),
    ],
}

ADMIN_MODELS = {
    "mediafiles/mediafile": (READ_ONLY, _teacher_photo),
}
