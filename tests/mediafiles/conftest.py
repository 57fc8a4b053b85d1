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
