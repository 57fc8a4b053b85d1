"""What a file really is, by its content: ffprobe for videos and sound, Pillow for photos.

The name and the type the browser claims are never trusted. Each check raises
a ValidationError whose message the uploader can read.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from mediafiles import ffmpeg
from mediafiles.models import Kind

logger = logging.getLogger(__name__)


def _heif_readable() -> bool:
    """Teach Pillow to read HEIC/HEIF, the photos of iPhones (pillow-heif, a dependency)."""
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover (installed with the project)
        logger.warning("pillow-heif is missing: HEIC photos from iPhones are refused")
        return False
    # The main picture only: an embedded thumbnail must never stand in for it when checking that
    # the whole photo decodes, and depth maps or other extra pictures are of no use here.
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    return True


HEIF_READABLE = _heif_readable()

# Photo formats taken in: those every browser shows, and HEIC from iPhones (which browsers other than
# Safari do not show: pages show its JPEG copy, see MediaFile.photo_url).
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif", "HEIF": "image/heic"}
# ffprobe's demuxers that hold real recordings (ffmpeg is told to open no others).
VIDEO_FORMATS = ffmpeg.VIDEO_DEMUXERS
AUDIO_FORMATS = ffmpeg.AUDIO_DEMUXERS


@dataclass(frozen=True)
class Info:
    content_type: str
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    has_audio: bool = False


def not_a(kind: str) -> ValidationError:
    messages = {
        Kind.VIDEO: _("This file is not a video that we can play. Choose a video file (for example MP4 or MOV)."),
        Kind.IMAGE: _("This file is not a photo that we can show. Choose a JPEG, PNG, WebP or GIF photo."),
        Kind.AUDIO: _("This file is not a sound recording that we can play. Choose an audio file (for example MP3)."),
    }
    return ValidationError(messages[kind], code="wrong_type")


def incomplete() -> ValidationError:
    return ValidationError(
        _("This file is incomplete or damaged (it may have been cut off while copying). Please choose it again."),
        code="damaged",
    )


def inspect_file(path: Path, *, kind: str) -> Info:
    """Check that the file is what `kind` says, by its content; its duration and size in pixels."""
    size = path.stat().st_size
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if kind == Kind.IMAGE:
        return _inspect_image(path)
    if _isobmff_truncated(path, size):
        raise incomplete()
    if ffmpeg.ffprobe_path():
        return _inspect_av(path, kind=kind)
    content_type = _sniff_av(path, kind=kind)
    if not content_type:
        raise not_a(kind)
    return Info(content_type=content_type)


# --- Photos -------------------------------------------------------------------------------------


def _inspect_image(path: Path) -> Info:
    limit = settings.MEDIA_IMAGE_MAX_PIXELS
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; a bomb is a bomb.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                image_format = image.format
                width, height = image.size
                if width * height > limit:
                    raise too_many_pixels(width, height)
                image.verify()
            # verify() leaves the image unusable and misses a cut-off JPEG: decode it
            # once, at an eighth of its size where JPEG allows it, to be sure it is whole.
            with Image.open(path) as image:
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
                orientation = image.getexif().get(0x0112, 1)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_many_pixels(*_size_or_zero(path)) from exc
        except UnidentifiedImageError as exc:
            raise not_a(Kind.IMAGE) from exc
        except ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, RuntimeError) as exc:
            # RuntimeError: libheif's word for a damaged HEIC.
            logger.info("photo %s refused: %s", path.name, exc)
            raise incomplete() from exc
    if image_format not in IMAGE_TYPES:
        raise not_a(Kind.IMAGE)
    if orientation in (5, 6, 7, 8):  # turned a quarter: shown the other way round
        width, height = height, width
    return Info(content_type=IMAGE_TYPES[image_format], width=width, height=height)


def too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _("This photo is too large (%(pixels)s megapixels; at most %(limit)s). Please choose a smaller one.")
        % {
            "pixels": round(width * height / 1_000_000) if width else "?",
            "limit": round(settings.MEDIA_IMAGE_MAX_PIXELS / 1_000_000),
        },
        code="too_large",
    )


def _size_or_zero(path: Path) -> tuple[int, int]:
    saved = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(path) as image:
            return image.size
    except Exception:  # noqa: BLE001 (only for the message)
        return 0, 0
    finally:
        Image.MAX_IMAGE_PIXELS = saved


# --- Videos and sound ---------------------------------------------------------------------------


def _inspect_av(path: Path, *, kind: str) -> Info:
    try:
        description = ffmpeg.probe(path)
    except ffmpeg.FfmpegError as exc:
        logger.info("ffprobe refused %s: %s", path.name, exc)
        raise not_a(kind) from exc
    fmt = description.get("format") or {}
    streams = description.get("streams") or []
    demuxers = set(str(fmt.get("format_name", "")).split(","))
    videos = [
        s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    duration = _duration(fmt, streams)
    if not duration and (videos if kind == Kind.VIDEO else audios) and (demuxers & (VIDEO_FORMATS | AUDIO_FORMATS)):
        duration = _measured(path, stream="v" if kind == Kind.VIDEO else "a")
    if kind == Kind.VIDEO:
        if not videos or not (demuxers & VIDEO_FORMATS) or not duration:
            raise not_a(kind)
        width, height = _display_size(videos[0])
    else:
        if not audios or not (demuxers & AUDIO_FORMATS) or not duration:
            raise not_a(kind)
        width = height = None
    return Info(
        content_type=_content_type(demuxers, fmt, kind=kind),
        duration=duration,
        width=width,
        height=height,
        has_audio=bool(audios),
    )


def _duration(fmt: dict, streams: list[dict]) -> float | None:
    values = [fmt.get("duration")] + [s.get("duration") for s in streams]
    seconds = []
    for value in values:
        try:
            seconds.append(float(value))
        except (TypeError, ValueError):
            continue
    best = max(seconds, default=0.0)
    return best if best > 0 else None


def _measured(path: Path, *, stream: str) -> float | None:
    """The length of a recording whose header does not tell it (MediaRecorder's WebM), or None."""
    if not ffmpeg.ffmpeg_path():
        return None
    try:
        return ffmpeg.duration_measure(path, stream=stream)
    except ffmpeg.FfmpegError as exc:
        logger.info("could not measure %s: %s", path.name, exc)
        return None


def _display_size(stream: dict) -> tuple[int | None, int | None]:
    width, height = stream.get("width"), stream.get("height")
    rotation = 0
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            rotation = int(float(side_data["rotation"]))
    rotation = rotation or int(float((stream.get("tags") or {}).get("rotate", 0) or 0))
    if width and height and abs(rotation) % 180 == 90:
        width, height = height, width
    return width, height


def _content_type(demuxers: set[str], fmt: dict, *, kind: str) -> str:
    brand = str((fmt.get("tags") or {}).get("major_brand", "")).strip()
    if "mov" in demuxers or "mp4" in demuxers:
        if brand == "qt":
            return "video/quicktime"
        if brand.startswith("3g"):
            return "video/3gpp"
        return "video/mp4" if kind == Kind.VIDEO else "audio/mp4"
    if "webm" in demuxers or "matroska" in demuxers:
        return f"{'video' if kind == Kind.VIDEO else 'audio'}/webm"
    named = {
        "avi": "video/x-msvideo",
        "mpegts": "video/mp2t",
        "mpeg": "video/mpeg",
        "flv": "video/x-flv",
        "asf": "video/x-ms-asf",
        "ogg": "audio/ogg",
        "mp3": "audio/mpeg",
        "wav": "audio/wav",
        "aac": "audio/aac",
        "flac": "audio/flac",
        "amr": "audio/amr",
    }
    for demuxer, content_type in named.items():
        if demuxer in demuxers:
            return content_type
    return "application/octet-stream"


def _isobmff_truncated(path: Path, size: int) -> bool:
    """An MP4/MOV whose top-level boxes run past the end of the file was cut off.

    ffprobe alone accepts such a file when its index comes first; the boxes
    tell in a few reads, before any ffmpeg is started.
    """
    with path.open("rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[4:8] != b"ftyp":
            return False
        position = 0
        for _box in range(100_000):
            if position == size:
                return False
            fh.seek(position)
            header = fh.read(16)
            if len(header) < 8:
                return True
            box_size = int.from_bytes(header[:4], "big")
            if box_size == 1:
                if len(header) < 16:
                    return True
                box_size = int.from_bytes(header[8:16], "big")
            elif box_size == 0:  # runs to the end of the file
                return False
            if box_size < 8:
                return True
            position += box_size
            if position > size:
                return True
    return False


def _sniff_av(path: Path, *, kind: str) -> str | None:
    """Without ffprobe: recognise the common containers by their first bytes."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        return "video/mp4" if kind == Kind.VIDEO else "audio/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if kind == Kind.VIDEO else "audio/webm"
    if kind == Kind.AUDIO:
        if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
            return "audio/mpeg"
        if head.startswith(b"OggS"):
            return "audio/ogg"
        if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
            return "audio/wav"
        if head.startswith(b"#!AMR"):
            return "audio/amr"
    return None
