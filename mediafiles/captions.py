"""Captions of a video (WebVTT) and the transcript of a sound recording: checked, then kept with the file.

The check is the one browsers make before they show a <track>: the text starts with "WEBVTT" (after an
optional byte-order mark), followed by a space, a tab or the end of the line. A file that fails it would
be silently ignored by the player, so it is refused with a reason instead.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mediafiles.models import Kind, MediaFile

CAPTIONS_MAX_BYTES = 200 * 1024
TRANSCRIPT_MAX_CHARS = 20_000
HEADER = re.compile(r"\AWEBVTT(?:[ \t][^\r\n]*)?(?:\r\n|\r|\n|\Z)")
# A cue's timing line, "00:01.000 --> 00:04.000" (hours optional): a file without one shows nothing.
TIMING = re.compile(r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}")


def captions_text_from(data: bytes) -> str:
    """An uploaded file's bytes as captions text, or a ValidationError saying why not."""
    if len(data) > CAPTIONS_MAX_BYTES:
        raise ValidationError(
            _("The captions file is too large: at most %(size)s KB.") % {"size": CAPTIONS_MAX_BYTES // 1024},
            code="too_large",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(_("The captions file must be a WebVTT text in UTF-8."), code="encoding") from None


def captions_check(text: str) -> str:
    """The captions as they will be kept (line ends made plain), or a ValidationError saying what is wrong."""
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8")) > CAPTIONS_MAX_BYTES:
        raise ValidationError(
            _("The captions file is too large: at most %(size)s KB.") % {"size": CAPTIONS_MAX_BYTES // 1024},
            code="too_large",
        )
    if not HEADER.match(text):
        raise ValidationError(_("This is not a WebVTT captions file: its first line must be “WEBVTT”."), code="header")
    if not TIMING.search(text):
        raise ValidationError(
            _("The captions file has no cue: each caption needs a time line such as “00:01.000 --> 00:04.000”."),
            code="no_cue",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def transcript_check(text: str) -> str:
    """The transcript as it will be kept (trimmed), or a ValidationError when it is too long."""
    text = text.strip()
    if len(text) > TRANSCRIPT_MAX_CHARS:
        raise ValidationError(
            _("The transcript is too long: at most %(count)s characters.") % {"count": TRANSCRIPT_MAX_CHARS},
            code="too_long",
        )
    return text


def media_captions_set(*, media: MediaFile, text: str, language: str | None = None) -> MediaFile:
    """Give a video its captions (checked) in the language they are written in (None: leave it as it is),
    or take them away with an empty text."""
    if media.kind != Kind.VIDEO:
        raise ValidationError(_("Only a video can have captions."), code="kind")
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose the language of the captions among those listed."), code="language")
    media.captions = captions_check(text) if text.strip() else ""
    if language is not None:
        media.captions_language = language
    media.save(update_fields=["captions", "captions_language"])
    return media


def media_transcript_set(*, media: MediaFile, text: str) -> MediaFile:
    """Give a sound recording the text of what is said in it, or take it away with an empty text."""
    if media.kind != Kind.AUDIO:
        raise ValidationError(_("Only a sound recording can have a transcript."), code="kind")
    media.transcript = transcript_check(text)
    media.save(update_fields=["transcript"])
    return media
