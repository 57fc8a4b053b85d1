"""ffmpeg and ffprobe read only local files and the containers the portal accepts, run at a lower
priority, and are stopped by resource limits (CPU seconds, memory, size of what they write)."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mediafiles import ffmpeg, services
from mediafiles.models import State
from tests.conftest import requires_binary
from tests.mediafiles.conftest import stray_files, upload_processed

pytestmark = pytest.mark.django_db


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _address = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        self.socket.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture
def commands(monkeypatch):
    """Every command line that mediafiles.ffmpeg runs (the programs still run)."""
    seen: list[list[str]] = []
    real_run = subprocess.run

    def run(command, *args, **kwargs):
        seen.append([str(part) for part in command])
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(ffmpeg.subprocess, "run", run)
    return seen


def hls_playlist(path, port: int):
    """An HLS playlist whose segments are on the network: one at port 1 (nothing there), one at a listener."""
    path.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXTINF:10.0,\nhttp://127.0.0.1:1/first.ts\n"
        f"#EXTINF:10.0,\nhttp://127.0.0.1:{port}/second.ts\n"
        "#EXT-X-ENDLIST\n"
    )
    return path


def assert_reads_only_local_files(command: list[str]) -> None:
    assert command[command.index("-protocol_whitelist") + 1] == "file,pipe", command
    whitelist = command[command.index("-format_whitelist") + 1].split(",")
    assert "hls" not in whitelist and "concat" not in whitelist and "mov" in whitelist
    if "-i" in command:  # ffmpeg: input options come before the input
        assert command.index("-protocol_whitelist") < command.index("-i")


def test_an_hls_playlist_is_refused_as_not_a_video_without_reaching_the_network(
    world, client, tmp_path, settings, listener, commands, django_capture_on_commit_callbacks
):
    requires_binary("ffprobe", "apt-get install ffmpeg")
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    playlist = hls_playlist(tmp_path / "lesson.m3u8", listener.port)
    client.force_login(world.parent)

    _media_id, last, status = upload_processed(
        client, django_capture_on_commit_callbacks, school=world.school, path=playlist
    )

    assert last.status_code == 202
    assert status["state"] == "failed"
    assert status["reason"] == (
        "This file is not a video that we can play. Choose a video file (for example MP4 or MOV)."
    )
    time.sleep(0.3)  # a connection in flight would have been accepted by now
    assert listener.connections == 0
    assert commands, "ffprobe looked at the file"
    for command in commands:
        assert_reads_only_local_files(command)
    assert stray_files(settings.MEDIA_ROOT) == []


def test_ffmpeg_itself_does_not_follow_a_playlist(tmp_path, listener, commands):
    """The rendition command too: should a playlist ever get past the probe, ffmpeg refuses it."""
    requires_binary("ffmpeg", "apt-get install ffmpeg")
    playlist = hls_playlist(tmp_path / "lesson.m3u8", listener.port)
    with pytest.raises(ffmpeg.FfmpegError):
        ffmpeg.rendition_make(playlist, tmp_path / "out.mp4", timeout=30)
    with pytest.raises(ffmpeg.FfmpegError):
        ffmpeg.poster_make(playlist, tmp_path / "poster.jpg", at_seconds=0)
    time.sleep(0.3)
    assert listener.connections == 0
    assert not (tmp_path / "out.mp4").exists()
    assert len(commands) == 2
    for command in commands:
        assert_reads_only_local_files(command)


def test_every_command_of_a_real_upload_reads_only_local_files(world, clip, commands):
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert media.state == State.READY, media.failure_reason
    programs = [Path(command[0]).name for command in commands]
    assert "ffprobe" in programs and "ffmpeg" in programs
    for command in commands:
        assert_reads_only_local_files(command)


# --- Priority and resource limits -------------------------------------------------------------------

REPORT = (
    "import json, os, resource; print(json.dumps({"
    "'nice': os.nice(0), 'cpu': resource.getrlimit(resource.RLIMIT_CPU), "
    "'memory': resource.getrlimit(resource.RLIMIT_AS), 'output': resource.getrlimit(resource.RLIMIT_FSIZE)}))"
)


def test_the_programs_run_at_a_lower_priority_under_the_limits_of_the_settings(settings):
    settings.MEDIA_FFMPEG_NICE = 7
    settings.MEDIA_FFMPEG_CPU_SECONDS = 120
    settings.MEDIA_FFMPEG_MEMORY_BYTES = 2 * 1024**3
    settings.MEDIA_FFMPEG_MAX_OUTPUT_BYTES = 300 * 1024**2
    # The same way ffmpeg is started, with a program that tells what it was given.
    seen = json.loads(ffmpeg._run([sys.executable, "-c", REPORT], timeout=30).stdout)
    assert seen["nice"] == min(19, os.nice(0) + 7)
    assert seen["cpu"] == [120, 125]
    assert seen["memory"] == [2 * 1024**3] * 2
    assert seen["output"] == [300 * 1024**2] * 2
    # The limits are the child's alone.
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] != 300 * 1024**2


def test_an_output_size_limit_stops_a_runaway(tmp_path, settings):
    """A decoder that writes without end (here: an endless test pattern) is stopped at the limit."""
    binary = requires_binary("ffmpeg", "apt-get install ffmpeg")
    settings.MEDIA_FFMPEG_MAX_OUTPUT_BYTES = 1024 * 1024
    target = tmp_path / "endless.raw"
    began = time.monotonic()
    with pytest.raises(ffmpeg.FfmpegError, match="exited with -25"):  # SIGXFSZ
        ffmpeg._run(
            [binary, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=25"]
            + ["-f", "rawvideo", "-y", str(target)],
            timeout=60,
        )
    assert time.monotonic() - began < 30
    assert target.stat().st_size <= 1024 * 1024


def test_a_cpu_limit_stops_a_runaway(settings):
    binary = requires_binary("ffmpeg", "apt-get install ffmpeg")
    settings.MEDIA_FFMPEG_CPU_SECONDS = 1
    began = time.monotonic()
    # ffmpeg ends itself on SIGXCPU (255), or is killed at the hard limit; without it the endless
    # encoding would run into the timeout.
    with pytest.raises(ffmpeg.FfmpegError, match="exited with"):
        ffmpeg._run(
            [binary, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25"]
            + ["-c:v", "libx264", "-preset", "medium", "-f", "null", "-"],
            timeout=120,
        )
    assert time.monotonic() - began < 60


def test_a_memory_limit_refuses_what_would_swell(settings):
    settings.MEDIA_FFMPEG_MEMORY_BYTES = 256 * 1024**2
    with pytest.raises(ffmpeg.FfmpegError, match="MemoryError"):
        ffmpeg._run([sys.executable, "-c", "x = bytearray(512 * 1024 * 1024)"], timeout=30)


def test_an_upload_whose_rendition_would_pass_the_output_limit_is_refused_cleanly(world, clip, settings):
    world.teacher.language = "en"
    world.teacher.save(update_fields=["language"])
    settings.MEDIA_FFMPEG_MAX_OUTPUT_BYTES = 4096
    media = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    assert media.state == State.FAILED
    assert media.failure_reason == (
        "We could not convert this recording: it seems to be damaged. Please try another file."
    )
    assert stray_files(settings.MEDIA_ROOT) == []
