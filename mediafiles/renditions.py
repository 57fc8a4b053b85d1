"""Renditions: what is served to others instead of the original.

Videos get a small H.264/AAC MP4 and a poster frame (ffmpeg), sound a mono AAC
rendition (.m4a, which every phone's browser plays), photos a re-encoded JPEG
copy (Pillow; HEIC from iPhones too). Photos and videos' posters also get small
sizes for slow phones, each in JPEG and WebP: a thumbnail and a preview. None of
them carries the original's metadata: no EXIF, no GPS position, no camera serial.
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
from mediafiles.models import MediaFile

logger = logging.getLogger(__name__)

PHOTO_LONG_SIDE = 1600
THUMB_LONG_SIDE = MediaFile.THUMB_LONG_SIDE
PREVIEW_LONG_SIDE = MediaFile.PREVIEW_LONG_SIDE
JPEG_QUALITY = 82
SMALL_JPEG_QUALITY = 78
# WebP at this quality is about a third smaller than the JPEG beside it, and looks the same.
WEBP_QUALITY = 75


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
        outputs.update(small_sizes(poster, work))
    return outputs


def audio(source: Path, work: Path, *, duration: float | None) -> dict[str, Path]:
    """A mono AAC rendition in MP4 (.m4a) that every phone's browser plays: recordings come as
    WebM/Opus (Chrome, Firefox), Ogg/Opus, MP4/AAC (Safari), MP3, WAV, AMR…"""
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
    # The small sizes from the copy still in memory: reading back the JPEG just written would decode it again.
    return {"rendition": target, **_small_sizes_of(picture, work)}


def _flatten(picture: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent PNG should not turn black."""
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        picture = picture.convert("RGBA")
        background = Image.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def small_sizes(source: Path, work: Path) -> dict[str, Path]:
    """The thumbnail and the preview of a picture (a photo's copy or a poster), each in JPEG and WebP."""
    with Image.open(source) as picture:
        return _small_sizes_of(_flatten(picture), work)


def _small_sizes_of(flat: Image.Image, work: Path) -> dict[str, Path]:
    """The thumbnail and the preview of an RGB picture, each in JPEG and WebP."""
    outputs = {}
    for field, long_side, stem in (("thumbnail", THUMB_LONG_SIDE, "thumb"), ("preview", PREVIEW_LONG_SIDE, "preview")):
        small = flat.copy()
        small.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
        outputs[field] = work / f"{stem}.jpg"
        small.save(outputs[field], "JPEG", quality=SMALL_JPEG_QUALITY, optimize=True, progressive=True)
        outputs[f"{field}_webp"] = work / f"{stem}.webp"
        small.save(outputs[f"{field}_webp"], "WEBP", quality=WEBP_QUALITY, method=4)
    return outputs
