"""Writes of mediafiles: start and append uploads, take in local files, process them, delete them.

The life of a file: `media_upload_start` checks the quotas and makes the row
(UPLOADING) and an empty file on the local disk; `media_upload_append` adds
chunks at the offset the server expects; with the last byte the file becomes
PROCESSING and its processing is queued on commit, so the request that brought
the last chunk answers at once. The Celery task (`media_process`, on the media
queue) checks the file by content, hashes it and copies it into storage, then
makes the renditions (READY), or records why it could not (FAILED). Failed and
abandoned uploads leave no files behind, and the daily cleanup deletes files
that nothing uses (see `mediafiles.usage`).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import math
import os
import tempfile
import uuid
from pathlib import Path
from typing import BinaryIO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from coordination.lib import fragments
from mediafiles import ffmpeg, files, inspection, policies, quotas, renditions, usage
from mediafiles.models import Audience, Kind, MediaFile, State, derived_path, folder_path, original_path
from mediafiles.signals import media_processed

logger = logging.getLogger(__name__)

READ_BLOCK = 256 * 1024
REASON_MAX = MediaFile._meta.get_field("failure_reason").max_length
# Runs of the processing task after which a file that keeps killing its worker is given up.
MAX_PROCESS_ATTEMPTS = 5


class OffsetMismatch(Exception):
    """A chunk arrived for another offset than the server has (out of order, repeated, or busy)."""

    def __init__(self, expected: int):
        super().__init__(f"the upload continues at byte {expected}")
        self.expected = expected


# --- Limits ---------------------------------------------------------------------------------------


def limits_for(audience: str) -> tuple[int, int]:
    """Most bytes and seconds one upload may have."""
    if audience == Audience.STAFF:
        return settings.MEDIA_STAFF_MAX_BYTES, settings.MEDIA_STAFF_MAX_SECONDS
    return settings.MEDIA_FAMILY_MAX_BYTES, settings.MEDIA_FAMILY_MAX_SECONDS


def _check_size(size, audience: str) -> int:
    if isinstance(size, bool) or not isinstance(size, int):
        raise ValidationError(_("The size of the file is missing."), code="size")
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    max_bytes, _seconds = limits_for(audience)
    if size > max_bytes:
        raise ValidationError(
            _("This file is too large (%(size)s). Files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    return size


def max_seconds_for(audience: str, kind: str) -> int:
    """The longest video or sound recording one upload may be: sound recordings have a limit of their own."""
    if kind == Kind.AUDIO:
        return settings.MEDIA_AUDIO_MAX_SECONDS
    return limits_for(audience)[1]


def _check_duration(info: inspection.Info, audience: str, kind: str) -> None:
    max_seconds = max_seconds_for(audience, kind)
    if info.duration and info.duration > max_seconds + 0.5:
        raise ValidationError(
            _("This recording is too long (%(length)s). Recordings may be at most %(limit)s.")
            % {"length": _minutes(info.duration), "limit": _minutes(max_seconds)},
            code="too_long",
        )


def _minutes(seconds: float) -> str:
    # Rounded: a recording's last audio frame makes 5 s read 5.001 s. A refused one is half a second
    # over the limit at least, so it never reads as the limit itself.
    seconds = math.floor(seconds + 0.5)
    return "%d:%02d" % divmod(seconds, 60)  # noqa: UP031 (a clock-like 3:05 in every language)


def _clean_name(filename: str) -> str:
    name = Path(str(filename or "").replace("\\", "/")).name.strip()
    try:
        name = get_valid_filename(name)
    except Exception:  # noqa: BLE001 (nothing usable left: a neutral name)
        name = ""
    return (name or "file")[-255:]


# --- Uploads --------------------------------------------------------------------------------------


def _create_within_quotas(*, school, by, audience: str, size: int, person_quotas: bool = True, **fields) -> MediaFile:
    """The new row, if the quotas allow it; ValidationError (code quota_*) and nothing made if not.

    Without `person_quotas` only the school's storage counts (files taken in by the
    portal itself, not sent by a person)."""
    from django.contrib.auth import get_user_model

    from schools.models import School

    with transaction.atomic():
        # The school, then the person (always in this order): two starts at once wait for
        # each other here, so the second one counts the first.
        School.objects.select_for_update().filter(pk=school.pk).first()
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        if person_quotas:
            quotas.check_upload_start(school=school, by=by, audience=audience, size=size)
        else:
            quotas.check_school_storage(school=school, size=size)
        return MediaFile.objects.create(
            school=school, uploaded_by=by, audience=audience, size=size, last_activity_at=timezone.now(), **fields
        )


def media_upload_start(*, school, by, kind: str, filename: str, size: int, content_type: str = "") -> MediaFile:
    """Start an upload by `by` for `school`; the audience (staff or family) decides the limits and quotas."""
    audience = policies.upload_audience(by, school)
    if kind not in Kind.values:
        raise ValidationError(_("Choose a photo, a video or a sound recording."), code="kind")
    _check_size(size, audience)
    media = _create_within_quotas(
        school=school,
        by=by,
        audience=audience,
        size=size,
        kind=kind,
        original_name=_clean_name(filename),
        content_type=str(content_type or "")[:100],
    )
    files.partial_path(media.pk).touch(mode=0o600)
    return media


def media_upload_append(*, media: MediaFile, offset: int, stream: BinaryIO, length: int) -> MediaFile:
    """Append `length` bytes read from `stream` at `offset`; with the last byte, hand the file to the worker.

    Raises OffsetMismatch (with the offset the server expects) when the chunk is
    out of order or repeated, or while another request writes to this upload.
    A chunk cut short (a dropped connection) keeps the bytes that arrived; the
    client asks for the offset and goes on from there. Returns the file:
    PROCESSING once every byte is here (READY or FAILED already when tasks run
    in-process), or FAILED when the upload was lost.
    """
    media.refresh_from_db()
    if media.state == State.FAILED:
        return media
    if media.state != State.UPLOADING:
        raise OffsetMismatch(media.size)  # complete: nothing more to send
    if offset != media.received:
        raise OffsetMismatch(media.received)
    path = files.partial_path(media.pk)
    if not path.exists() and media.received:
        _fail(media, _("The upload was lost on the server. Please upload the file again."))
        return media
    try:
        with files.locked_partial(path) as fh:
            # Asked again under the lock: another request may have written meanwhile.
            media.refresh_from_db()
            if media.state == State.FAILED:
                return media
            if media.state != State.UPLOADING:
                raise OffsetMismatch(media.size)
            if media.received == media.size:
                # Every byte arrived but the request that brought the last one died
                # before finishing: finish it now.
                _upload_complete(media, path)
                return media
            if offset != media.received:
                raise OffsetMismatch(media.received)
            if length < 0 or offset + length > media.size:
                raise ValidationError(_("This piece of the file goes beyond its announced size."), code="too_long")
            on_disk = fh.seek(0, 2)
            if on_disk < media.received:
                _fail(media, _("The upload was lost on the server. Please upload the file again."), path=path)
                return media
            # Bytes past the recorded offset are from a request that died before
            # it could record them: the database is the truth.
            fh.truncate(media.received)
            fh.seek(media.received)
            received = media.received + _copy(stream, fh, length)
            fh.flush()
            # On disk before the offset is promised to the client.
            os.fsync(fh.fileno())
            MediaFile.objects.filter(pk=media.pk, state=State.UPLOADING, received=offset).update(
                received=received, last_activity_at=timezone.now()
            )
            media.received = received
            if received == media.size:
                # Still under the lock, so that no other request completes it too.
                _upload_complete(media, path)
    except files.UploadBusy:
        media.refresh_from_db(fields=["received"])
        raise OffsetMismatch(media.received) from None
    return media


def _copy(stream: BinaryIO, fh, length: int) -> int:
    """Copy up to `length` bytes in small blocks, never the whole chunk in memory; the bytes copied."""
    remaining = length
    while remaining > 0:
        try:
            block = stream.read(min(READ_BLOCK, remaining))
        except OSError:  # the client went away mid-chunk: keep what arrived
            break
        if not block:
            break
        fh.write(block)
        remaining -= len(block)
    return length - remaining


def _upload_complete(media: MediaFile, path: Path) -> None:
    """All bytes are here: PROCESSING, and the worker is asked (on commit) to check, store and convert it.

    Nothing is read here: the checks (ffprobe, Pillow), the hash and the copy into
    storage take seconds to minutes for a long video, and belong to the worker,
    not to the request that brought the last chunk.
    """
    with transaction.atomic():
        updated = MediaFile.objects.filter(pk=media.pk, state=State.UPLOADING, received=media.size).update(
            state=State.PROCESSING, last_activity_at=timezone.now()
        )
        if updated:
            _queue_processing(media.pk)
            fragments.schools_changed([media.school_id])  # the school's storage figure
    media.refresh_from_db()


def _queue_processing(media_id) -> None:
    from mediafiles import tasks

    transaction.on_commit(lambda: tasks.media_process.delay(str(media_id)))


def media_ingest(*, school, by, kind: str, path, filename: str | None = None, audience=None) -> MediaFile:
    """Take in a local file (demo data, tests, imports) with the same checks and processing as an upload.

    The file at `path` is copied, not moved. Raises ValidationError for an
    empty or too large file, or when the school's storage is full; a person's
    daily quotas are for what people send, not for this. A file refused by its
    content comes back FAILED with the reason. With tasks run in-process the
    file is READY or FAILED on return.
    """
    path = Path(path)
    size = path.stat().st_size
    if audience is None:
        audience = policies.upload_audience(by, school)
    _check_size(size, audience)
    if kind not in Kind.values:
        raise ValidationError(_("Choose a photo, a video or a sound recording."), code="kind")
    media = _create_within_quotas(
        school=school,
        by=by,
        audience=audience,
        size=size,
        person_quotas=False,
        kind=kind,
        original_name=_clean_name(filename or path.name),
    )
    with path.open("rb") as source:
        media_upload_append(media=media, offset=0, stream=source, length=size)
    if media.state == State.PROCESSING and settings.CELERY_TASK_ALWAYS_EAGER:
        # In-process tasks would wait for the outer transaction to commit; the
        # caller expects the result now.
        media_process(media_id=media.pk)
        media.refresh_from_db()
    return media


# Every file field of a MediaFile: the original and what the worker makes from it.
STORED_FIELDS = ("original", "rendition", "poster", "thumbnail", "thumbnail_webp", "preview", "preview_webp")


def _stored_names(media: MediaFile) -> list[str]:
    return [getattr(media, field).name for field in STORED_FIELDS]


def media_delete(*, media: MediaFile) -> None:
    """Remove the file, its renditions and its row."""
    files.remove_quietly(files.partial_path(media.pk))
    names = _stored_names(media)
    folder = folder_path(media)
    media.delete()
    transaction.on_commit(lambda: files.delete_stored(*names, folder=folder))


def media_lock_for_attaching(*, media_id) -> MediaFile | None:
    """The file, locked until the caller's transaction ends; None when it is gone.

    Apps attach a file (an activity's video, an answer's photo) only after this,
    in the same transaction: the daily cleanup takes the same lock before it
    deletes an unused file, so a file is never deleted while it is being attached.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("media_lock_for_attaching must run inside a transaction")
    return MediaFile.objects.select_for_update().filter(pk=media_id).first()


def media_copy(*, media: MediaFile, school, by) -> MediaFile:
    """A READY copy of a ready file for `school`: a new row whose original and renditions are copies of
    the source's stored bytes, in the school's own folder and counted in its storage. Nothing is shared
    with the source, so deleting either leaves the other whole.

    Raises ValidationError when the source is not ready or the school has no room left. Run it inside
    the caller's transaction; should that transaction roll back, the copied files are left without a
    row (they are small beside the school's quota, and the row never pointed to them).
    """
    from schools.models import School

    if media.state != State.READY or not media.original:
        raise ValidationError(_("This file is not ready yet, so it cannot be copied. Please try again later."))
    names = {field: getattr(media, field).name for field in STORED_FIELDS if getattr(media, field)}
    needed = max(media.stored_bytes, media.size)
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()
        quotas.check_school_storage(school=school, size=needed)
        now = timezone.now()
        copy = MediaFile.objects.create(
            school=school,
            uploaded_by=by,
            audience=Audience.STAFF,
            kind=media.kind,
            state=State.PROCESSING,
            original_name=media.original_name,
            content_type=media.content_type,
            size=media.size,
            received=media.size,
            sha256=media.sha256,
            duration=media.duration,
            width=media.width,
            height=media.height,
            last_activity_at=now,
        )
        copied: dict[str, str] = {}
        try:
            for field, name in names.items():
                target = (
                    original_path(copy, media.original_name)
                    if field == "original"
                    else derived_path(copy, Path(name).name)
                )
                copied[field] = files.copy_stored(name, target)
        except Exception:
            files.delete_stored(*copied.values(), folder=folder_path(copy))
            raise
        stored = sum(files.stored_size(name) for name in copied.values())
        MediaFile.objects.filter(pk=copy.pk).update(
            state=State.READY, ready_at=now, stored_bytes=stored or media.stored_bytes, **copied
        )
        fragments.schools_changed([copy.school_id])  # the school's storage figure (update() sends no signal)
    copy.refresh_from_db()
    return copy


def media_pick_for_attaching(
    value, *, by, school_id: int, kinds, wrong_kind: str = "", checked: bool = True
) -> MediaFile:
    """The uploaded file a form names, checked and locked for attaching; ValidationError with the reason.

    Only the person's own file, uploaded for this school, of one of `kinds`, whole and (with `checked`)
    checked by the worker. Someone else's file is "not found": its id tells nobody anything. Whether it
    is already attached elsewhere is the caller's question (it knows its own tables). Runs inside the
    caller's transaction, like `media_lock_for_attaching`.
    """
    if isinstance(value, MediaFile):
        value = value.pk
    try:
        media_id = uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(_("This file was not found. Please upload it again.")) from None
    media = media_lock_for_attaching(media_id=media_id)
    if media is None or media.uploaded_by_id != by.pk:
        raise ValidationError(_("This file was not found. Please upload it again."))
    kinds = frozenset(kinds)
    if media.kind not in kinds:
        raise ValidationError(wrong_kind or _wrong_kind(kinds))
    if media.school_id != school_id:
        raise ValidationError(_("This file was uploaded for another school. Please upload it again here."))
    if media.state == State.FAILED:
        raise ValidationError(
            _("This file could not be used: %(reason)s Please upload another one.") % {"reason": media.failure_reason}
        )
    if media.state == State.UPLOADING:
        raise ValidationError(_("The upload of this file is not finished. Wait for it, then send the form again."))
    if checked and not media.is_checked:
        raise ValidationError(_("This file is still being checked. Wait a moment, then send the form again."))
    return media


def _wrong_kind(kinds: frozenset) -> str:
    if kinds == {Kind.VIDEO}:
        return _("This file is not a video. Choose a video file.")
    if kinds == {Kind.IMAGE}:
        return _("This file is not a photo. Choose a photo.")
    if kinds == {Kind.AUDIO}:
        return _("This file is not a sound recording. Record your voice or choose a sound file.")
    return _("Choose a photo, a short video or a voice recording.")


# --- Processing -----------------------------------------------------------------------------------


def _uploader_language(media: MediaFile) -> str:
    user = media.uploaded_by
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def media_process(*, media_id) -> str:
    """Check, hash and store a finished upload, then make its renditions (run by the media task);
    the state it ends in."""
    media = MediaFile.objects.select_related("uploaded_by", "school").filter(pk=media_id).first()
    if media is None or media.state != State.PROCESSING:
        return media.state if media else "gone"
    MediaFile.objects.filter(pk=media.pk).update(attempts=F("attempts") + 1, last_activity_at=timezone.now())
    media.attempts += 1
    with translation.override(_uploader_language(media)):
        if media.attempts > MAX_PROCESS_ATTEMPTS:
            _fail(media, _("We could not prepare this file. Please try another one."))
            return media.state
        try:
            if not media.original and not _check_and_store(media):
                return media.state
            outputs = _make_renditions(media)
        except ValidationError as exc:
            _fail(media, exc.messages[0])
            return media.state
        except SoftTimeLimitExceeded:
            _fail(media, _("Preparing this file took too long. Please upload a shorter one."))
            return media.state
        _finish(media, outputs)
    return media.state


def _check_and_store(media: MediaFile) -> bool:
    """The finished upload checked by its content (and against the school's storage), hashed and
    stored as the original. False when it is gone; ValidationError with the reason when refused."""
    path = files.partial_path(media.pk)
    name = original_path(media, media.original_name)
    if path.exists():
        source = contextlib.nullcontext(path)
    elif files.stored_exists(name):
        # A run killed after the copy into storage and before recording it: check that copy.
        source, path = files.local_copy(name), None
    else:
        logger.error(
            "media %s: the finished upload is not in %s; the media workers must share MEDIA_UPLOAD_DIR "
            "with the web processes",
            media.pk,
            files.upload_dir(),
        )
        _fail(media, _("The upload was lost on the server. Please upload the file again."))
        return False
    with source as local:
        info = inspection.inspect_file(local, kind=media.kind)
        _check_duration(info, media.audience, media.kind)
        quotas.check_school_storage(school=media.school, size=media.size, exclude=media.pk)
        sha256 = files.sha256_of(local)
    stored = files.store(path, name, replace=True) if path is not None else name
    with transaction.atomic():
        updated = MediaFile.objects.filter(pk=media.pk, state=State.PROCESSING, original="").update(
            sha256=sha256,
            original=stored,
            content_type=info.content_type,
            duration=info.duration,
            width=info.width,
            height=info.height,
            stored_bytes=media.size,
            last_activity_at=timezone.now(),
        )
    if not updated:  # deleted or failed meanwhile
        files.delete_stored(stored)
        return False
    fragments.schools_changed([media.school_id])  # the school's storage figure (update() sends no signal)
    media.refresh_from_db()
    return True


def _make_renditions(media: MediaFile) -> dict[str, Path]:
    tmp = Path(tempfile.mkdtemp(dir=files.work_dir()))
    try:
        with files.local_copy(media.original.name) as source:
            if media.kind == Kind.VIDEO:
                outputs = renditions.video(source, tmp, duration=media.duration)
            elif media.kind == Kind.AUDIO:
                outputs = renditions.audio(source, tmp, duration=media.duration)
            else:
                outputs = renditions.image(source, tmp)
    except BaseException:
        renditions.remove_dir(tmp)
        raise
    if not outputs:
        renditions.remove_dir(tmp)
    return outputs


def _finish(media: MediaFile, outputs: dict[str, Path]) -> None:
    names: dict[str, str] = {}
    work = {path.parent for path in outputs.values()}
    try:
        for field, path in outputs.items():
            names[field] = files.store(path, derived_path(media, path.name))
        stored = media.size + sum(files.stored_size(name) for name in names.values())
        with transaction.atomic():
            updated = MediaFile.objects.filter(pk=media.pk, state=State.PROCESSING).update(
                state=State.READY,
                ready_at=timezone.now(),
                last_activity_at=timezone.now(),
                stored_bytes=stored,
                **names,
            )
            if updated:
                _announce(media.pk)
                fragments.schools_changed([media.school_id])  # the school's storage figure
        if not updated:
            files.delete_stored(*names.values())
    finally:
        for directory in work:
            renditions.remove_dir(directory)
    media.refresh_from_db()


def _fail(media: MediaFile, reason, *, path: Path | None = None) -> None:
    """FAILED with a reason the uploader can read, and none of its files left anywhere."""
    reason = str(reason)[:REASON_MAX]
    if path is not None:
        files.remove_quietly(path)
    files.remove_quietly(files.partial_path(media.pk))
    fresh = MediaFile.objects.filter(pk=media.pk).first()
    names = _stored_names(fresh) if fresh else []
    with transaction.atomic():
        updated = MediaFile.objects.filter(pk=media.pk, state__in=[State.UPLOADING, State.PROCESSING]).update(
            state=State.FAILED,
            failure_reason=reason,
            **dict.fromkeys(STORED_FIELDS, ""),
            stored_bytes=0,
            last_activity_at=timezone.now(),
        )
        if updated:
            _announce(media.pk)
            fragments.schools_changed([media.school_id])  # the school's storage figure
    if updated:
        files.delete_stored(*names)
    logger.info("media %s failed: %s", media.pk, reason)
    media.refresh_from_db()


def _announce(media_id) -> None:
    def send():
        media = MediaFile.objects.filter(pk=media_id).first()
        if media is not None:
            media_processed.send(sender=MediaFile, media=media)

    transaction.on_commit(send)


def media_fail(*, media_id) -> None:
    """Give up a file that could not be processed (its task ran out of retries)."""
    media = MediaFile.objects.select_related("uploaded_by").filter(pk=media_id).first()
    if media is not None:
        with translation.override(_uploader_language(media)):
            _fail(media, _("We could not prepare this file. Please try again later or choose another one."))


# --- Housekeeping ---------------------------------------------------------------------------------


def media_uploads_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Fail uploads abandoned for MEDIA_ABANDONED_HOURS (and remove their bytes), remove stray
    unfinished files, and queue again files whose processing message was lost."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.MEDIA_ABANDONED_HOURS)
    abandoned = 0
    stale = MediaFile.objects.select_related("uploaded_by").filter(
        state=State.UPLOADING, last_activity_at__lt=cutoff
    ) | MediaFile.objects.select_related("uploaded_by").filter(
        state=State.UPLOADING, last_activity_at__isnull=True, created_at__lt=cutoff
    )
    for media in stale.iterator(chunk_size=200):
        with translation.override(_uploader_language(media)):
            _fail(media, _("The upload was not finished. Please upload the file again."))
        abandoned += 1

    strays = 0
    directory = files.upload_dir()
    # Finished uploads wait in the same place for the worker to check them.
    known = {
        str(pk)
        for pk in MediaFile.objects.filter(state__in=[State.UPLOADING, State.PROCESSING])
        .values_list("pk", flat=True)
        .iterator(chunk_size=2000)
    }
    for part in directory.glob("*.part"):
        if part.stem in known:
            continue
        modified = datetime.datetime.fromtimestamp(part.stat().st_mtime, tz=datetime.UTC)
        if modified < cutoff:
            files.remove_quietly(part)
            strays += 1
    # Scratch directories of processing runs whose worker was killed.
    for scratch in files.work_dir().iterdir():
        modified = datetime.datetime.fromtimestamp(scratch.stat().st_mtime, tz=datetime.UTC)
        if scratch.is_dir() and modified < cutoff:
            renditions.remove_dir(scratch)
            strays += 1

    requeued = 0
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Longer than a processing run may take: the message was lost (or its
        # worker died without the broker noticing); attempts bound the retries.
        lost_before = now - datetime.timedelta(seconds=2 * settings.MEDIA_PROCESS_TIME_LIMIT)
        for media_id in MediaFile.objects.filter(state=State.PROCESSING, last_activity_at__lt=lost_before).values_list(
            "pk", flat=True
        ):
            MediaFile.objects.filter(pk=media_id).update(last_activity_at=now)
            _queue_processing(media_id)
            requeued += 1
    return {"abandoned": abandoned, "strays": strays, "requeued": requeued}


def ffmpeg_available() -> bool:
    return ffmpeg.renditions_possible()


def media_unused_delete(*, now: datetime.datetime | None = None, limit: int = 10_000) -> dict[str, int]:
    """Delete files that nothing uses and that have not changed for MEDIA_UNUSED_HOURS, rows and
    stored files together (run daily by beat); the number deleted and kept.

    Uploads never attached, the files of deleted answers and activities, and files
    replaced by others all end up unused (see `mediafiles.usage`). Unfinished and
    processing files are left to the hourly sweep and the worker.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.MEDIA_UNUSED_HOURS)
    settled = MediaFile.objects.filter(state__in=[State.READY, State.FAILED])
    old = settled.filter(last_activity_at__lt=cutoff) | settled.filter(
        last_activity_at__isnull=True, created_at__lt=cutoff
    )
    deleted = kept = 0
    batch: list = []
    for media_id in old.values_list("pk", flat=True).order_by().iterator(chunk_size=500):
        batch.append(media_id)
        if len(batch) == 500:
            done, held = _delete_unused(batch, cutoff=cutoff)
            deleted, kept, batch = deleted + done, kept + held, []
        if deleted >= limit:
            break
    if batch and deleted < limit:
        done, held = _delete_unused(batch, cutoff=cutoff)
        deleted, kept = deleted + done, kept + held
    logger.info("media cleanup: %s unused files deleted, %s in use kept", deleted, kept)
    return {"deleted": deleted, "kept": kept}


def _delete_unused(ids: list, *, cutoff: datetime.datetime) -> tuple[int, int]:
    """Of these old files, delete those unused; (deleted, kept)."""
    # A first look without locks, to lock only files that seem unused; each is asked again under its lock.
    used_now = usage.in_use(ids)
    unused = [pk for pk in ids if pk not in used_now]
    used = len(ids) - len(unused)
    deleted = 0
    for media_id in unused:
        if media_delete_if_unused(media_id=media_id, cutoff=cutoff):
            deleted += 1
        else:
            used += 1
    return deleted, used


def media_delete_if_unused(*, media_id, cutoff: datetime.datetime) -> bool:
    """Delete one file if, once it is locked, nothing uses it and it has not changed since `cutoff`.

    The order matters: lock first (skipping a file that someone is attaching right
    now), then ask the uses, then delete, all in one transaction; the stored files
    go once that has committed. See `mediafiles.usage`.
    """
    with transaction.atomic():
        media = (
            MediaFile.objects.select_for_update(skip_locked=True)
            .filter(pk=media_id, state__in=[State.READY, State.FAILED])
            .first()
        )
        if media is None:
            return False
        if (media.last_activity_at or media.created_at) >= cutoff:
            return False
        if usage.in_use([media.pk]):
            return False
        names = _stored_names(media)
        folder = folder_path(media)
        media.delete()
        transaction.on_commit(lambda: files.delete_stored(*names, folder=folder))
    return True
