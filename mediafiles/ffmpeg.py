"""The ffmpeg and ffprobe programs: where they are, and the commands the portal runs.

The commands are built here, and only here, so that the rendition benchmark
can time the very same ffmpeg command bare.

Uploaded files are hostile until proven otherwise, and ffmpeg is a large
parser. So every run:
- reads only local files and pipes (`-protocol_whitelist file,pipe`): a
  playlist or reference inside a file never makes ffmpeg open a network
  address, whatever this ffmpeg's defaults are;
- accepts only the containers the portal takes (`-format_whitelist`), so that
  a playlist (HLS, concat) is refused before it is followed at all;
- runs at a lower priority (nice) under resource limits set in the child
  (CPU seconds, address space, size of a file written): a file that makes
  ffmpeg loop, swell or write without end is stopped by the kernel.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import resource
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
# Sound recordings (a teacher's instructions, a child telling about a work): mono AAC.
VOICE_BITRATE = "64k"
POSTER_SHORT_SIDE = 480

PROTOCOL_WHITELIST = "file,pipe"
# The demuxers that hold real recordings (a text file, for one, is "tty" to ffprobe); a name
# matches a demuxer that has it among its names ("mov" is "mov,mp4,m4a,3gp,3g2,mj2").
VIDEO_DEMUXERS = frozenset(
    {"mov", "mp4", "m4a", "3gp", "3g2", "matroska", "webm", "avi", "mpegts", "mpeg", "flv", "asf"}
)
AUDIO_DEMUXERS = frozenset(
    {"mov", "mp4", "m4a", "3gp", "matroska", "webm", "ogg", "mp3", "wav", "aac", "flac", "amr", "asf"}
)
FORMAT_WHITELIST = ",".join(sorted(VIDEO_DEMUXERS | AUDIO_DEMUXERS))


def input_options() -> list[str]:
    """What every ffmpeg and ffprobe run is told about the input it opens (before `-i` / the path)."""
    return ["-protocol_whitelist", PROTOCOL_WHITELIST, "-format_whitelist", FORMAT_WHITELIST]


class FfmpegError(Exception):
    """ffmpeg or ffprobe failed; the message is for the log, not for people."""


def ffmpeg_path() -> str | None:
    return shutil.which(settings.MEDIA_FFMPEG)


def ffprobe_path() -> str | None:
    return shutil.which(settings.MEDIA_FFPROBE)


@functools.lru_cache(maxsize=16)
def _both_found(ffmpeg_name: str, ffprobe_name: str, search_path: str) -> bool:
    return bool(shutil.which(ffmpeg_name, path=search_path) and shutil.which(ffprobe_name, path=search_path))


def renditions_possible() -> bool:
    """Whether this machine makes renditions (ffmpeg and ffprobe are here); asked by every player, so remembered."""
    return _both_found(settings.MEDIA_FFMPEG, settings.MEDIA_FFPROBE, os.environ.get("PATH", os.defpath))


def limits() -> dict[str, int]:
    """The niceness and resource limits a child runs under, from the settings."""
    return {
        "nice": settings.MEDIA_FFMPEG_NICE,
        "cpu_seconds": settings.MEDIA_FFMPEG_CPU_SECONDS,
        "memory_bytes": settings.MEDIA_FFMPEG_MEMORY_BYTES,
        "output_bytes": settings.MEDIA_FFMPEG_MAX_OUTPUT_BYTES,
    }


def _confine(*, nice: int, cpu_seconds: int, memory_bytes: int, output_bytes: int):
    """The function run in the child between fork and exec: lower priority, then the limits.

    Only system calls, no Python objects shared with the parent's threads. Past
    the CPU limit the child gets SIGXCPU (then SIGKILL a few seconds later), past
    the file size SIGXFSZ, and past the address space its allocations fail.
    """

    def confine() -> None:
        if nice > 0:
            os.nice(nice)
        if cpu_seconds > 0:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        if memory_bytes > 0:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        if output_bytes > 0:
            resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))

    return confine


def _run(command: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    # subprocess.run kills the child if anything (a timeout, the task's soft time
    # limit) interrupts it, so no ffmpeg outlives its task.
    try:
        result = subprocess.run(  # noqa: S603, PLW1509 (fixed argument lists, no shell; the limits need preexec_fn)
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
            preexec_fn=_confine(**limits()),
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
        [binary, "-v", "error", *input_options(), "-print_format", "json", "-show_format", "-show_streams"]
        + ["--", str(path)],
        timeout=timeout,
    )
    try:
        return json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise FfmpegError("ffprobe printed no JSON") from exc


def duration_measure(path: Path, *, stream: str = "a", timeout: float = 300) -> float | None:
    """Seconds of a file whose header does not say (a browser's recording: MediaRecorder writes WebM
    without a duration), measured by reading its packets to the end without decoding them; None when
    it has no such stream. Cheap: a copy to nowhere reads a long recording in well under a second."""
    binary = ffmpeg_path()
    if not binary:
        raise FfmpegError("ffmpeg is missing")
    command = [binary, "-nostdin", "-hide_banner", "-v", "error", *input_options(), "-i", str(path)]
    command += ["-map", f"0:{stream}:0", "-c", "copy", "-f", "null", "-progress", "pipe:1", "-nostats", "-"]
    result = _run(command, timeout=timeout)
    seconds = None
    # A block of key=value lines every half second, the last one (progress=end) with the whole time.
    for line in result.stdout.decode("ascii", "replace").splitlines():
        key, _sep, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            seconds = int(value) / 1_000_000
    return seconds if seconds and seconds > 0 else None


def rendition_command(source: Path, target: Path, *, binary: str | None = None, audio_only: bool = False) -> list[str]:
    """The ffmpeg command that makes the mobile rendition (metadata such as GPS is left behind)."""
    binary = binary or ffmpeg_path() or "ffmpeg"
    command = [binary, "-nostdin", "-hide_banner", "-v", "error", "-y", *input_options(), "-i", str(source)]
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
    if audio_only:
        # A voice: one channel is enough, and half the bytes for a phone on a slow connection.
        command += ["-c:a", "aac", "-b:a", VOICE_BITRATE, "-ac", "1"]
    else:
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
    command += ["-ss", f"{at_seconds:.3f}", *input_options(), "-i", str(source), "-map_metadata", "-1"]
    command += ["-frames:v", "1", "-vf", scale, "-q:v", "4", "-f", "image2", str(target)]
    _run(command, timeout=timeout)
