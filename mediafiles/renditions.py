"""Renditions: what is served to others instead of the original.

Videos get a small H.264/AAC MP4 and a poster frame (ffmpeg), sound an AAC
rendition, photos a re-encoded copy and a thumbnail (Pillow). None of them
carries the original's metadata: no EXIF, no GPS position, no camera serial.
Each function returns {model field: local file}; the caller stores them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from mediafiles import ffmpeg, inspection

logger = logging.getLogger(__name__)

PHOTO_LONG_SIDE = 1600
THUMB_LONG_SIDE = 360
JPEG_QUALITY = 82


def remove_dir(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def _could_not_convert() -> ValidationError:
    return ValidationError(
        _("We could not convert this recording: it seems to be damaged. Please try another file."),
        code="damaged",
    )


def _timeout(duration: float | None) -> float:
    return float(settings.MEDIA_PROCESS_TIME_LIMIT)


def video(source: Path, work: Path, *, duration: float | None) -> dict[str, Path]:
    """The mobile rendition, its poster and a thumbnail; {} without ffmpeg (the original is served)."""
    if not ffmpeg.ffmpeg_path():
        return {}
    target = work / "video.mp4"
    try:
        ffmpeg.rendition_make(source, target, timeout=_timeout(duration))
    except ffmpeg.FfmpegError as exc:
        logger.info("rendition of %s failed: %s", source, exc)
        raise _could_not_convert() from exc
    _check_complete(target, duration)
    outputs = {"rendition": target}
    poster = work / "poster.jpg"
    at = min(1.0, (duration or 0) / 3)
    try:
        ffmpeg.poster_make(target, poster, at_seconds=at)
    except ffmpeg.FfmpegError:
        logger.info("no poster for %s", source, exc_info=True)
    if poster.exists() and poster.stat().st_size:
        outputs["poster"] = poster
        outputs["thumbnail"] = _thumbnail(poster, work / "thumb.jpg")
    return outputs


def audio(source: Path, work: Path, *, duration: float | None) -> dict[str, Path]:
    """An AAC rendition that every phone plays (voice notes come as AMR, OGG, …)."""
    if not ffmpeg.ffmpeg_path():
        return {}
    target = work / "audio.m4a"
    try:
        ffmpeg.rendition_make(source, target, timeout=_timeout(duration), audio_only=True)
    except ffmpeg.FfmpegError as exc:
        logger.info("rendition of %s failed: %s", source, exc)
        raise _could_not_convert() from exc
    _check_complete(target, duration)
    return {"rendition": target}


def _check_complete(rendition: Path, duration: float | None) -> None:
    """A damaged source converts into a short rendition without an error: compare the lengths."""
    if not duration or not ffmpeg.ffprobe_path():
        return
    try:
        made = inspection._duration((ffmpeg.probe(rendition).get("format") or {}), [])
    except ffmpeg.FfmpegError as exc:
        raise _could_not_convert() from exc
    if not made or made < duration * 0.9 - 1:
        logger.info("rendition %s lasts %s s of %s s", rendition, made, duration)
        raise _could_not_convert()


def image(source: Path, work: Path) -> dict[str, Path]:
    """A re-encoded copy, turned upright, without EXIF or GPS; and a thumbnail."""
    target = work / "photo.jpg"
    try:
        with Image.open(source) as original:
            original.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
            upright = ImageOps.exif_transpose(original)
            picture = _flatten(upright)
            picture.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
            # No exif= argument: nothing of the original's metadata is written.
            picture.save(target, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        logger.info("photo %s could not be re-encoded: %s", source, exc)
        raise inspection.incomplete() from exc
    return {"rendition": target, "thumbnail": _thumbnail(target, work / "thumb.jpg")}


def _flatten(picture: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent PNG should not turn black."""
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        picture = picture.convert("RGBA")
        background = Image.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def _thumbnail(source: Path, target: Path) -> Path:
    with Image.open(source) as picture:
        small = _flatten(picture)
        small.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.LANCZOS)
        small.save(target, "JPEG", quality=78, optimize=True)
    return target
