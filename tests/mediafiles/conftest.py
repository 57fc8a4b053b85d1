"""Small media made on the spot: clips by the real ffmpeg, photos by Pillow."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import requires_binary


def make_clip(
    path: Path, *, seconds: float = 2, size: str = "320x240", faststart: bool = False, audio: bool = True
) -> Path:
    """A test pattern with a tone, H.264/AAC in MP4."""
    ffmpeg = requires_binary("ffmpeg", "apt-get install ffmpeg")
    command = [ffmpeg, "-nostdin", "-v", "error", "-y"]
    command += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest"]
    if faststart:
        command += ["-movflags", "+faststart"]
    subprocess.run([*command, str(path)], check=True)
    return path


def make_heic(path: Path, *, size=(640, 480), exif=None) -> Path:
    """A HEIC photo as iPhones take them, encoded by pillow-heif (libheif with x265)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.new("RGB", size, (40, 120, 200))
    for x in range(0, size[0], 8):  # some detail, so that the encoder has something to keep
        image.putpixel((x, size[1] // 2), (250, 250, 0))
    kwargs = {"exif": exif.tobytes()} if exif is not None else {}
    image.save(path, format="HEIF", quality=80, **kwargs)
    return path


def make_sound(
    path: Path,
    *,
    seconds: float = 2,
    codec: str = "libopus",
    fmt: str | None = None,
    pipe: bool = False,
    extra: tuple[str, ...] = (),
) -> Path:
    """A tone made by the real ffmpeg. With `pipe`, written through a pipe as a browser's MediaRecorder
    writes WebM: the file then carries no duration in its header."""
    ffmpeg = requires_binary("ffmpeg", "apt-get install ffmpeg")
    command = [ffmpeg, "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    command += ["-ac", "1", "-c:a", codec] if codec else ["-ac", "1"]
    command += list(extra)
    if fmt:
        command += ["-f", fmt]
    if pipe:
        with path.open("wb") as out:
            subprocess.run([*command, "pipe:1"], check=True, stdout=out)
    else:
        subprocess.run([*command, str(path)], check=True)
    return path


def make_photo(path: Path, *, size=(64, 48), fmt: str = "JPEG", exif=None) -> Path:
    image = Image.new("RGB", size, (200, 120, 40))
    image.putpixel((0, 0), (0, 0, 255))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(path, fmt, **kwargs)
    return path


@pytest.fixture
def clip(tmp_path) -> Path:
    return make_clip(tmp_path / "lesson.mp4")


@pytest.fixture
def photo(tmp_path) -> Path:
    return make_photo(tmp_path / "drawing.jpg")


@pytest.fixture
def upload_dir(settings) -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads"


def stray_files(root: Path) -> list[Path]:
    """Every file under MEDIA_ROOT (unfinished uploads and stored media alike)."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


OCTETS = "application/offset+octet-stream"


def upload_start(client, *, school, size: int, kind: str = "video", filename: str = "lesson.mp4"):
    return client.post(
        "/media/uploads/",
        {"filename": filename, "size": size, "kind": kind, "school": school.pk},
        content_type="application/json",
    )


def upload_chunk(client, url: str, data: bytes, offset: int):
    return client.patch(url, data, content_type=OCTETS, headers={"Upload-Offset": str(offset)})


def upload_processed(client, capture, *, school, path: Path, kind: str = "video", chunk: int = 16 * 1024):
    """Upload like static/js/upload.js, then let the worker run (tasks in-process, on commit, as
    `capture` = django_capture_on_commit_callbacks lets them). The id, the last answer and the status."""
    with capture(execute=True):
        media_id, last = upload_file(client, school=school, path=path, kind=kind, chunk=chunk)
    return media_id, last, client.get(f"/media/uploads/{media_id}/status/").json()


def upload_file(client, *, school, path: Path, kind: str = "video", chunk: int = 16 * 1024):
    """Upload like static/js/upload.js does: start, then PATCH chunk after chunk. The last answer."""
    data = Path(path).read_bytes()
    started = upload_start(client, school=school, size=len(data), kind=kind, filename=Path(path).name)
    assert started.status_code == 201, started.content
    url, offset = started.json()["upload_url"], 0
    response = started
    while offset < len(data):
        response = upload_chunk(client, url, data[offset : offset + chunk], offset)
        if response.status_code != 204:
            break
        offset = int(response["Upload-Offset"])
    return started.json()["id"], response
