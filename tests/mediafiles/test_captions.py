"""A video's captions (WebVTT) and a recording's transcript: what is accepted, what is refused and why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mediafiles.captions import (
    CAPTIONS_MAX_BYTES,
    captions_check,
    captions_text_from,
    media_captions_set,
    media_transcript_set,
)
from tests.activities.makers import photo_make

CUE = "00:00.500 --> 00:02.000\nGấp đôi tờ giấy.\n"


@pytest.mark.parametrize(
    "text",
    [
        f"WEBVTT\n\n{CUE}",
        f"\ufeffWEBVTT\r\n\r\n{CUE}",  # a byte-order mark and Windows line ends, as some editors save it
        "WEBVTT - Gấp thuyền\n\n1\n00:00:00.500 --> 00:00:02.000 align:start\nGấp đôi.\n",
    ],
)
def test_a_real_webvtt_file_is_kept_with_plain_line_ends(text):
    kept = captions_check(text)
    assert kept.startswith("WEBVTT") and "\r" not in kept and "Gấp" in kept


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (f"WEBVTTX\n\n{CUE}", "header"),
        (f"1\n{CUE}", "header"),  # an .srt file
        ("WEBVTT\n\nno timing here\n", "no_cue"),
        ("WEBVTT\n\n" + CUE * (CAPTIONS_MAX_BYTES // len(CUE.encode()) + 1), "too_large"),
    ],
)
def test_a_file_that_is_not_webvtt_is_refused_with_a_reason(text, code):
    with pytest.raises(ValidationError) as refused:
        captions_check(text)
    assert refused.value.code == code


def test_an_uploaded_file_must_be_utf8_and_small():
    assert captions_text_from(f"WEBVTT\n\n{CUE}".encode()) == f"WEBVTT\n\n{CUE}"
    with pytest.raises(ValidationError, match="UTF-8"):
        captions_text_from("WEBVTT\n\nGấp".encode("utf-16"))
    with pytest.raises(ValidationError) as refused:
        captions_text_from(b"W" * (CAPTIONS_MAX_BYTES + 1))
    assert refused.value.code == "too_large"


def test_only_a_video_takes_captions_and_only_a_recording_a_transcript(world):
    photo = photo_make(school=world.school, by=world.teacher)
    with pytest.raises(ValidationError):
        media_captions_set(media=photo, text=f"WEBVTT\n\n{CUE}")
    with pytest.raises(ValidationError):
        media_transcript_set(media=photo, text="Bố mẹ gấp trước.")
    photo.refresh_from_db()
    assert (photo.captions, photo.transcript) == ("", "")


def ready_video(world):
    from mediafiles.models import MediaFile

    return MediaFile.objects.create(
        school=world.school,
        uploaded_by=world.teacher,
        audience="staff",
        kind="video",
        state="ready",
        original_name="video.mp4",
        size=10,
        received=10,
        rendition="derived/video.mp4",
    )


def test_captions_are_in_the_site_language_until_the_teacher_declares_theirs(world):
    video = ready_video(world)
    assert video.captions_lang == "vi"
    with translation.override("en"):
        assert video.captions_language_name == "Vietnamese"

    media_captions_set(media=video, text=f"WEBVTT\n\n{CUE}", language="en")
    video.refresh_from_db()
    assert (video.captions_language, video.captions_lang) == ("en", "en")
    media_captions_set(media=video, text=f"WEBVTT\n\n{CUE}")  # no language given: the declared one stays
    video.refresh_from_db()
    assert video.captions_lang == "en"


def test_a_language_the_site_does_not_know_is_refused_and_changes_nothing(world):
    video = ready_video(world)
    with pytest.raises(ValidationError) as refused:
        media_captions_set(media=video, text=f"WEBVTT\n\n{CUE}", language="xx-not-a-language")
    assert refused.value.code == "language"
    video.refresh_from_db()
    assert (video.captions, video.captions_language) == ("", "")
