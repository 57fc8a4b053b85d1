"""Files on disk and in storage: unfinished uploads, hashing, moving into storage, local copies."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage

logger = logging.getLogger(__name__)

BLOCK = 1024 * 1024


class UploadBusy(Exception):
    """Another request is writing to this upload right now."""


def upload_dir() -> Path:
    directory = Path(settings.MEDIA_UPLOAD_DIR) if settings.MEDIA_UPLOAD_DIR else Path(settings.MEDIA_ROOT) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def partial_path(media_id) -> Path:
    return upload_dir() / f"{media_id}.part"


def work_dir() -> Path:
    """Scratch space for processing, beside the uploads (same disk: moves are renames)."""
    directory = upload_dir() / "work"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@contextlib.contextmanager
def locked_partial(path: Path) -> Iterator:
    """Open an unfinished upload for writing, held exclusively (a second writer gets UploadBusy).

    A lock on the file rather than a database row: a chunk from a slow phone
    can take a minute to arrive, and no transaction should stay open that long.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fh = os.fdopen(fd, "r+b")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UploadBusy from exc
        yield fh
    finally:
        fh.close()


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


class _MovableFile(File):
    """A local file that FileSystemStorage may move into place instead of copying."""

    def temporary_file_path(self) -> str:
        return self.name


def store(local: Path, name: str, *, replace: bool = False) -> str:
    """Put a local file into the media storage under `name` (moved when on the same disk); the stored name.

    With `replace`, whatever is stored under `name` already (left by a run that died
    before recording it) is deleted first, so that the file keeps its own name.
    """
    if replace:
        delete_stored(name)
    with local.open("rb") as fh:
        stored = default_storage.save(name, _MovableFile(fh, name=str(local)))
    remove_quietly(local)
    return stored


def copy_stored(source: str, target: str) -> str:
    """Copy a stored file to a new name in the same storage, block by block; the stored name."""
    with default_storage.open(source, "rb") as fh:
        return default_storage.save(target, File(fh, name=target))


def stored_exists(name: str) -> bool:
    try:
        return bool(name) and default_storage.exists(name)
    except Exception:  # noqa: BLE001 (storage unreachable: the caller treats the file as missing)
        logger.warning("could not look for media file %s", name, exc_info=True)
        return False


def delete_stored(*names: str, folder: str = "") -> None:
    """Delete stored files (on disk or in object storage); with `folder`, also that folder on disk once empty."""
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except Exception:  # noqa: BLE001 (a missing file is already gone; log the rest)
                logger.warning("could not delete media file %s", name, exc_info=True)
    directory = local_path(folder) if folder else None
    if directory is not None:
        with contextlib.suppress(OSError):  # not empty, or already gone
            directory.rmdir()


def local_path(name: str) -> Path | None:
    """The file's path on this machine, when the storage is a local disk (None for object storage)."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(default_storage.path(name))


@contextlib.contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A path to a stored file that ffmpeg can read: the file itself on disk, else a temporary copy."""
    path = local_path(name)
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(dir=work_dir()) as tmp:
        copy = Path(tmp) / "original"
        with default_storage.open(name, "rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, BLOCK)
        yield copy


def stored_size(name: str) -> int:
    try:
        return default_storage.size(name) if name else 0
    except Exception:  # noqa: BLE001
        return 0
