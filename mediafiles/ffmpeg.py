"""The ffmpeg and ffprobe programs: where they are, and the commands the portal runs.

The commands are built here, and only here, so that the rendition benchmark
can time the very same ffmpeg command bare.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# The mobile rendition: H.264 (main profile, plays on every phone) and AAC in an
# MP4 whose index comes first (+faststart), so playback starts before the whole
# file has arrived. At most 480 lines on the short side, at most 30 frames a second.
RENDITION_SHORT_SIDE = 480
X264_PRESET = "veryfast"
X264_CRF = "27"
VIDEO_MAXRATE = "1200k"
AUDIO_BITRATE = "96k"
POSTER_SHORT_SIDE = 480


class FfmpegError(Exception):
    """ffmpeg or ffprobe failed; the message is for the log, not for people."""


def ffmpeg_path() -> str | None:
    return shutil.which(settings.MEDIA_FFMPEG)


def ffprobe_path() -> str | None:
    return shutil.which(settings.MEDIA_FFPROBE)


def _run(command: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    # subprocess.run kills the child if anything (a timeout, the task's soft time
    # limit) interrupts it, so no ffmpeg outlives its task.
    try:
        result = subprocess.run(  # noqa: S603 (fixed argument lists, no shell)
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise FfmpegError(f"{Path(command[0]).name} timed out after {timeout:.0f} s") from exc
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace")[-2000:]
        raise FfmpegError(f"{Path(command[0]).name} exited with {result.returncode}: {tail}")
    return result


def probe(path: Path, *, timeout: float = 60) -> dict:
    """ffprobe's description of a file (format and streams), or FfmpegError when it is not media."""
    binary = ffprobe_path()
    if not binary:
        raise FfmpegError("ffprobe is missing")
    result = _run(
        [binary, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", str(path)],
        timeout=timeout,
    )
    try:
        return json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise FfmpegError("ffprobe printed no JSON") from exc


def rendition_command(source: Path, target: Path, *, binary: str | None = None, audio_only: bool = False) -> list[str]:
    """The ffmpeg command that makes the mobile rendition (metadata such as GPS is left behind)."""
    binary = binary or ffmpeg_path() or "ffmpeg"
    command = [binary, "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(source)]
    command += ["-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"]
    if audio_only:
        command += ["-map", "0:a:0", "-vn"]
    else:
        side = RENDITION_SHORT_SIDE
        # Landscape: at most `side` lines high; portrait: at most `side` wide. Never
        # enlarged; both sides even, as H.264 in yuv420p needs.
        scale = f"scale=w='if(gte(iw,ih),-2,trunc(min({side},iw)/2)*2)':h='if(gte(iw,ih),trunc(min({side},ih)/2)*2,-2)'"
        command += ["-map", "0:v:0", "-map", "0:a:0?", "-vf", f"{scale},format=yuv420p", "-fpsmax", "30"]
        command += ["-c:v", "libx264", "-preset", X264_PRESET, "-crf", X264_CRF, "-profile:v", "main"]
        command += ["-maxrate", VIDEO_MAXRATE, "-bufsize", "2400k"]
    command += ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2"]
    command += ["-movflags", "+faststart", "-f", "mp4", str(target)]
    return command


def rendition_make(source: Path, target: Path, *, timeout: float, audio_only: bool = False) -> None:
    binary = ffmpeg_path()
    if not binary:
        raise FfmpegError("ffmpeg is missing")
    _run(rendition_command(source, target, binary=binary, audio_only=audio_only), timeout=timeout)


def poster_make(source: Path, target: Path, *, at_seconds: float, timeout: float = 120) -> None:
    """One JPEG frame, taken from the (small) rendition so that it is cheap to decode."""
    binary = ffmpeg_path()
    if not binary:
        raise FfmpegError("ffmpeg is missing")
    side = POSTER_SHORT_SIDE
    scale = f"scale=w='if(gte(iw,ih),-2,min({side},iw))':h='if(gte(iw,ih),min({side},ih),-2)'"
    command = [binary, "-nostdin", "-hide_banner", "-v", "error", "-y"]
    command += ["-ss", f"{at_seconds:.3f}", "-i", str(source), "-map_metadata", "-1"]
    command += ["-frames:v", "1", "-vf", scale, "-q:v", "4", "-f", "image2", str(target)]
    _run(command, timeout=timeout)
