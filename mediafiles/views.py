"""Uploads (a small resumable protocol) and private downloads.

The upload protocol, spoken by static/js/upload.js:

    POST   media/uploads/                {filename, size, kind, school} -> 201 {id, upload_url, status_url, offset}
    HEAD   media/uploads/<id>/           -> 200, Upload-Offset: bytes the server has
    PATCH  media/uploads/<id>/           Upload-Offset: n, the chunk as the body
                                         -> 204 with the new Upload-Offset
                                         -> 202 {state: "processing", checked: false, ...} after the last chunk:
                                            the worker checks the file; follow the status
                                         -> 200 {state: "ready", ...} or 422 {state: "failed", reason} after the
                                            last chunk when tasks run in-process (no worker)
                                         -> 409 with the expected Upload-Offset (out of order, repeated, busy)
    GET    media/uploads/<id>/status/    -> {id, state, checked, reason, duration, width, height,
                                             urls: {variant: address} once ready, ...}

A start over a quota is refused with the reason (429 for the person's quotas,
507 when the school's storage is full). Only the uploader may touch an upload;
anyone else gets 404. Downloads (`media/<id>/<variant>`, the variants listed
in `MediaFile.VARIANTS`, and a video's captions at `media/<id>/captions.vtt`)
pass mediafiles.access first; people other than the uploader (and the school's
staff, for what staff uploaded) get the renditions of videos, recordings and
photos, never the original.
"""

from __future__ import annotations

import functools
import json
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mediafiles import ffmpeg, files, policies, selectors, services
from mediafiles.models import Kind, MediaFile, State
from mediafiles.ranges import ranged_response
from schools.models import School

NO_STORE = "no-store"
RENDITION_TYPES = {Kind.VIDEO: "video/mp4", Kind.AUDIO: "audio/mp4", Kind.IMAGE: "image/jpeg"}
RENDITION_SUFFIXES = {Kind.VIDEO: ".mp4", Kind.AUDIO: ".m4a", Kind.IMAGE: ".jpg"}
# Variant: (field, content type, end of the file name offered to save it under).
SMALL_VARIANTS = {
    "poster": ("poster", "image/jpeg", "-poster.jpg"),
    "thumb": ("thumbnail", "image/jpeg", "-small.jpg"),
    "thumb-webp": ("thumbnail_webp", "image/webp", "-small.webp"),
    "preview": ("preview", "image/jpeg", "-preview.jpg"),
    "preview-webp": ("preview_webp", "image/webp", "-preview.webp"),
}


def _error(message: str, status: int, **extra) -> JsonResponse:
    response = JsonResponse({"error": str(message), **extra}, status=status)
    response.headers["Cache-Control"] = NO_STORE
    return response


def _payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _school(value) -> School | None:
    number = _integer(value)
    if number is not None:
        return School.objects.filter(pk=number).first()
    if isinstance(value, str) and value:
        return School.objects.filter(slug=value).first()
    return None


def _upload_state(media: MediaFile) -> dict:
    return {
        "id": str(media.pk),
        "upload_url": reverse("mediafiles:upload", kwargs={"media_id": media.pk}),
        "status_url": reverse("mediafiles:upload_status", kwargs={"media_id": media.pk}),
        "offset": media.received,
        "size": media.size,
        "state": media.state,
        "state_label": str(media.get_state_display()),
        # Checked by its content and stored: a form waiting for the file may be sent.
        "checked": media.is_checked,
        "reason": media.failure_reason,
        "duration": media.duration,
        "width": media.width,
        "height": media.height,
        # Every variant's address once the renditions are made (null where the file has none).
        "urls": {variant: media.url(variant) for variant in MediaFile.VARIANTS} if media.state == State.READY else {},
    }


def _with_offset(response: HttpResponse, media: MediaFile, offset: int | None = None) -> HttpResponse:
    response.headers["Upload-Offset"] = str(media.received if offset is None else offset)
    response.headers["Upload-Length"] = str(media.size)
    response.headers["Cache-Control"] = NO_STORE
    return response


def _refusal_status(code: str | None) -> int:
    if code == "too_large":
        return 413
    if code == "quota_storage":
        return 507
    if code and code.startswith("quota_"):
        return 429
    return 400


@login_required
@require_POST
def upload_start(request):
    data = _payload(request)
    school = _school(data.get("school"))
    if school is None:
        return _error(_("Choose the school that this file is for."), 400)
    try:
        media = services.media_upload_start(
            school=school,
            by=request.user,
            kind=str(data.get("kind") or ""),
            filename=str(data.get("filename") or ""),
            size=_integer(data.get("size")),
            content_type=str(data.get("content_type") or ""),
        )
    except PermissionDenied:
        return _error(_("You cannot upload files for this school."), 403)
    except ValidationError as exc:
        return _error(exc.messages[0], _refusal_status(exc.error_list[0].code))
    response = JsonResponse(_upload_state(media), status=201)
    response.headers["Location"] = reverse("mediafiles:upload", kwargs={"media_id": media.pk})
    return _with_offset(response, media)


@login_required
@require_http_methods(["GET", "HEAD", "PATCH"])
def upload(request, media_id):
    media = selectors.media_get_upload(user=request.user, media_id=media_id)
    if request.method == "PATCH":
        return _upload_append(request, media)
    if request.method == "HEAD":
        return _with_offset(HttpResponse(), media)
    return _with_offset(JsonResponse(_upload_state(media)), media)


def _upload_append(request, media: MediaFile) -> HttpResponse:
    offset = _integer(request.headers.get("Upload-Offset"))
    if offset is None:
        return _with_offset(_error(_("The upload sent no position (Upload-Offset)."), 400), media)
    raw_length = request.META.get("CONTENT_LENGTH") or ""
    length = _integer(raw_length) if raw_length else (None if "HTTP_TRANSFER_ENCODING" in request.META else 0)
    if length is None:
        # A body without a length (chunked): it would have to be read blind.
        return _with_offset(_error(_("The upload sent no length."), 411), media)
    try:
        media = services.media_upload_append(media=media, offset=offset, stream=request, length=length)
    except services.OffsetMismatch as exc:
        response = _error(_("This piece does not continue the upload."), 409, offset=exc.expected)
        return _with_offset(response, media, exc.expected)
    except ValidationError as exc:
        return _with_offset(_error(exc.messages[0], 400), media)
    if media.state == State.FAILED:
        response = JsonResponse({"state": media.state, "reason": media.failure_reason, "error": media.failure_reason})
        response.status_code = 422
        return _with_offset(response, media)
    if media.state == State.UPLOADING:
        return _with_offset(HttpResponse(status=204), media)
    # Every byte is here. Processing: the worker checks it next (202). Ready: tasks ran in-process (200).
    status = 202 if media.state == State.PROCESSING else 200
    return _with_offset(JsonResponse(_upload_state(media), status=status), media)


@login_required
@require_safe
def upload_status(request, media_id):
    media = selectors.media_get_upload(user=request.user, media_id=media_id)
    response = JsonResponse(_upload_state(media))
    response.headers["Cache-Control"] = NO_STORE
    return response


# --- Downloads -----------------------------------------------------------------------------------


class Choice:
    """What one person gets for one variant: a stored file, a redirect, or "being prepared"."""

    def __init__(self, name: str = "", content_type: str = "", filename: str = "", *, redirect: str = "", wait=False):
        self.name, self.content_type, self.filename = name, content_type, filename
        self.redirect, self.wait = redirect, wait


def _choose(media: MediaFile, variant: str, user) -> Choice:
    stem = media.original_name.rsplit(".", 1)[0] or "file"
    if variant in SMALL_VARIANTS:
        # Made by the worker from the JPEG copy or the poster: no metadata, the same for everyone.
        field, content_type, suffix = SMALL_VARIANTS[variant]
        return Choice(getattr(media, field).name, content_type, f"{stem}{suffix}")
    original = Choice(media.original.name, media.content_type or "application/octet-stream", media.original_name)
    owner = policies.can_have_original(user, media)
    if variant == "original" and owner:
        return original
    if media.state != State.READY:
        # Still being checked or converted: its uploader has the original (above); others wait.
        return Choice(wait=True) if media.state == State.PROCESSING else Choice()
    # Everyone else gets the re-encoded copy, without the original's metadata
    # (GPS position, camera): a photo's original is never shown to others, and a
    # video's is never served to them where a rendition can be made.
    if media.rendition:
        if variant == "original" and media.kind != Kind.IMAGE:
            return Choice(redirect=media.url("video"))
        return Choice(media.rendition.name, RENDITION_TYPES[media.kind], stem + RENDITION_SUFFIXES[media.kind])
    if media.kind == Kind.IMAGE:
        return Choice()
    if owner:
        return original
    if ffmpeg.renditions_possible():
        return Choice(wait=True)
    # A machine without ffmpeg (the embedded default): videos are served as uploaded.
    return original


def _being_prepared(request, media: MediaFile) -> HttpResponse:
    response = render(request, "mediafiles/being_prepared.html", {"media": media}, status=503)
    response.headers["Retry-After"] = "60"
    response.headers["Cache-Control"] = NO_STORE
    return response


@require_safe
def download(request, media_id, variant: str):
    if variant not in MediaFile.VARIANTS:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    media = selectors.media_get_viewable(user=request.user, media_id=media_id)
    choice = _choose(media, variant, request.user)
    if choice.redirect:
        return HttpResponseRedirect(choice.redirect)
    if choice.wait:
        return _being_prepared(request, media)
    name, content_type, filename = choice.name, choice.content_type, choice.filename
    if not name:
        raise Http404
    response = _serve(request, name, content_type)
    response.headers.setdefault("Cache-Control", f"private, max-age={settings.MEDIA_CACHE_SECONDS}")
    response.headers.setdefault("Content-Disposition", f"inline; filename*=UTF-8''{quote(filename)}")
    # The file is shown inside our pages only, never as a page of its own.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
def captions(request, media_id):
    """A video's captions as WebVTT, to whoever may watch the video (the same check as its download)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    media = selectors.media_get_viewable(user=request.user, media_id=media_id)
    if not media.captions or (media.state != State.READY and not policies.can_have_original(request.user, media)):
        raise Http404
    response = HttpResponse(media.captions, content_type="text/vtt; charset=utf-8")
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_vary_headers(response, ["Cookie"])
    return response


@functools.cache
def _public_s3_storage(endpoint_url: str):
    from storages.backends.s3 import S3Storage

    return S3Storage(endpoint_url=endpoint_url)


def _signing_storage():
    """The storage that signs links: the same bucket, at the address browsers reach."""
    if settings.S3_PUBLIC_ENDPOINT_URL:
        return _public_s3_storage(settings.S3_PUBLIC_ENDPOINT_URL)
    return default_storage


def _serve(request, name: str, content_type: str) -> HttpResponse:
    path = files.local_path(name)
    if path is None:
        # Object storage: a short-lived signed address, fetched by the browser directly.
        expire = getattr(settings, "AWS_QUERYSTRING_EXPIRE", 300)
        url = _signing_storage().url(name, parameters={"ResponseContentType": content_type}, expire=expire)
        response = HttpResponseRedirect(url)
        response.headers["Cache-Control"] = f"private, max-age={max(0, expire // 2)}"
        return response
    if settings.MEDIA_ACCEL_REDIRECT_PREFIX:
        # nginx serves the bytes (ranges included) from its internal location.
        response = HttpResponse(content_type=content_type)
        response.headers["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + quote(name)
        return response
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stat = path.stat()
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    if request.headers.get("If-None-Match") == etag:
        fh.close()
        response = HttpResponse(status=304)
        response.headers["ETag"] = etag
        return response
    return ranged_response(
        request, fh, size=stat.st_size, content_type=content_type, etag=etag, last_modified=stat.st_mtime
    )
