"""Uploaded photos, videos and sound: one mechanism for every app.

A MediaFile is one upload by one person for one school. It is private: it is
served only through `mediafiles.views`, after the policy check that the app
using it registers (see `mediafiles.access`).

Its life: UPLOADING (chunks arrive, `received` grows to `size`), then
PROCESSING (checked by content, hashed, queued for renditions), then READY or
FAILED with a reason the uploader can read.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VIDEO = "video", _("Video")
    IMAGE = "image", _("Photo")
    AUDIO = "audio", _("Sound recording")


class Audience(models.TextChoices):
    # Limits differ: staff upload long lessons, families short answers.
    STAFF = "staff", _("School staff")
    FAMILY = "family", _("Family")


class State(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def folder_path(instance: MediaFile) -> str:
    """Where a file and its renditions are stored, and nothing else."""
    return f"schools/{instance.school_id}/media/{instance.pk}"


def original_path(instance: MediaFile, filename: str) -> str:
    return f"{folder_path(instance)}/original"


def derived_path(instance: MediaFile, filename: str) -> str:
    return f"{folder_path(instance)}/{filename}"


class MediaFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="media_files")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="media_files"
    )
    audience = models.CharField(_("uploaded by"), max_length=10, choices=Audience.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UPLOADING)
    # Readable by the uploader, in their language at the time of failure.
    failure_reason = models.CharField(_("why it failed"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.BigIntegerField(_("size in bytes"))
    received = models.BigIntegerField(_("bytes received"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    original = models.FileField(upload_to=original_path, max_length=300, blank=True)
    # A small H.264/AAC MP4 for phones (videos), absent until processed or when ffmpeg is missing.
    rendition = models.FileField(upload_to=derived_path, max_length=300, blank=True)
    # A poster frame for videos (JPEG).
    poster = models.FileField(upload_to=derived_path, max_length=300, blank=True)
    # Small sizes of a photo or a video's poster for slow phones, each in JPEG (every browser)
    # and WebP (smaller, most browsers): a thumbnail (THUMB_LONG_SIDE) and a preview (PREVIEW_LONG_SIDE).
    thumbnail = models.FileField(upload_to=derived_path, max_length=300, blank=True)
    thumbnail_webp = models.FileField(upload_to=derived_path, max_length=300, blank=True)
    preview = models.FileField(upload_to=derived_path, max_length=300, blank=True)
    preview_webp = models.FileField(upload_to=derived_path, max_length=300, blank=True)
    # Bytes this file takes in storage with its renditions: the school's storage figure sums it.
    stored_bytes = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # The last chunk or change of state: uploads silent for a day are abandoned.
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # Processing runs counted, so that a file that kills its worker is given up, not retried forever.
    attempts = models.PositiveSmallIntegerField(default=0)
    # For people who cannot hear it: a video's captions as a WebVTT text (mediafiles/captions.py checks
    # it), and a recording's transcript as plain text. Small texts, kept beside the file's other facts.
    captions = models.TextField(_("captions (WebVTT)"), blank=True)
    # The language the captions are written in, as the teacher declared it (empty: the site's language).
    captions_language = models.CharField(_("language of the captions"), max_length=16, blank=True)
    transcript = models.TextField(_("transcript"), blank=True)

    class Meta:
        verbose_name = _("photo or video")
        verbose_name_plural = _("photos and videos")
        indexes = [
            models.Index(fields=["school", "state"]),
            # The hourly sweep and the daily cleanup look for files by state and age.
            models.Index(fields=["state", "last_activity_at"], name="media_state_activity"),
            # A person's uploads of the day, for the quotas.
            models.Index(fields=["uploaded_by", "created_at"], name="media_uploader_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(received__lte=models.F("size")), name="media_received_le_size"),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="media_size_positive"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_ready(self) -> bool:
        return self.state == State.READY

    @property
    def is_failed(self) -> bool:
        return self.state == State.FAILED

    @property
    def is_pending(self) -> bool:
        return self.state in (State.UPLOADING, State.PROCESSING)

    @property
    def is_checked(self) -> bool:
        """Checked by its content and stored: READY, or PROCESSING with its renditions still to make."""
        return self.state == State.READY or (self.state == State.PROCESSING and bool(self.original))

    @property
    def awaits_rendition(self) -> bool:
        """A video or recording that others may see only as its rendition, which is not made yet.

        Where ffmpeg is missing (a laptop) no rendition will come: the original is
        served instead, see `shown_as_uploaded`.
        """
        if self.kind == Kind.IMAGE or self.rendition:
            return False
        from mediafiles.ffmpeg import renditions_possible

        return self.state == State.PROCESSING or (self.state == State.READY and renditions_possible())

    @property
    def shown_as_uploaded(self) -> bool:
        """A ready video or recording served to everyone as it was uploaded: this machine makes no renditions."""
        if self.kind == Kind.IMAGE or self.state != State.READY or self.rendition:
            return False
        from mediafiles.ffmpeg import renditions_possible

        return not renditions_possible()

    # --- Addresses. They never query the database, so that lists of media
    # render in a fixed number of queries; the download view checks access.
    #
    # The variants, each served by /media/<id>/<variant> to whoever may view the file:
    #   original      as uploaded (its uploader, and the school's staff for what staff uploaded;
    #                 everyone else gets the rendition)
    #   video         what plays: the MP4 rendition of a video, the AAC (.m4a) rendition of a sound
    #                 recording, the JPEG copy of a photo (the original where no rendition is made)
    #   poster        a video's poster frame (JPEG)
    #   thumb         JPEG, at most THUMB_LONG_SIDE pixels a side (photos and videos)
    #   thumb-webp    the same in WebP
    #   preview       JPEG, at most PREVIEW_LONG_SIDE pixels a side (photos and videos)
    #   preview-webp  the same in WebP

    VARIANTS = ("original", "video", "poster", "thumb", "thumb-webp", "preview", "preview-webp")
    THUMB_LONG_SIDE = 360
    PREVIEW_LONG_SIDE = 800
    # Field of each variant stored as a file of its own.
    VARIANT_FIELDS = {
        "poster": "poster",
        "thumb": "thumbnail",
        "thumb-webp": "thumbnail_webp",
        "preview": "preview",
        "preview-webp": "preview_webp",
    }
    # Photo formats that browsers do not all show: pages link to the JPEG copy instead.
    NOT_SHOWN_BY_BROWSERS = frozenset({"image/heic", "image/heif"})

    def has_variant(self, variant: str) -> bool:
        if variant == "original":
            return bool(self.original)
        if variant == "video":
            return bool(self.rendition or self.original)
        field = self.VARIANT_FIELDS.get(variant)
        return bool(field and getattr(self, field))

    def url(self, variant: str = "original") -> str | None:
        """The private address of one variant, or None when this file has none (yet)."""
        if variant not in self.VARIANTS:
            raise ValueError(f"unknown media variant {variant!r}")
        if not self.has_variant(variant):
            return None
        return reverse("mediafiles:download", kwargs={"media_id": self.pk, "variant": variant})

    @property
    def original_url(self) -> str | None:
        return self.url("original")

    @property
    def playback_url(self) -> str | None:
        """The mobile rendition, or the original when there is none (no ffmpeg)."""
        return self.url("video")

    @property
    def captions_url(self) -> str | None:
        """The captions' private address (a WebVTT file), when the file has captions."""
        if not self.captions:
            return None
        return reverse("mediafiles:captions", kwargs={"media_id": self.pk})

    @property
    def captions_lang(self) -> str:
        """The captions' language code (the <track srclang>): the declared one, else the site's language."""
        return self.captions_language or settings.LANGUAGE_CODE

    @property
    def captions_language_name(self) -> str:
        """The captions' language by its name, in the reader's language (the <track label>)."""
        return str(dict(settings.LANGUAGES).get(self.captions_lang, self.captions_lang))

    @property
    def poster_url(self) -> str | None:
        return self.url("poster")

    @property
    def thumbnail_url(self) -> str | None:
        return self.url("thumb")

    @property
    def thumbnail_webp_url(self) -> str | None:
        return self.url("thumb-webp")

    @property
    def preview_url(self) -> str | None:
        return self.url("preview")

    @property
    def preview_webp_url(self) -> str | None:
        return self.url("preview-webp")

    @property
    def photo_url(self) -> str | None:
        """The whole photo to open from a page: the original, or its JPEG copy when browsers cannot
        show the original (HEIC from iPhones). Others than the uploader get the copy anyway."""
        if self.content_type in self.NOT_SHOWN_BY_BROWSERS:
            return self.url("video")
        return self.url("original")

    def _scaled(self, long_side: int) -> tuple[int, int] | None:
        if not (self.width and self.height):
            return None
        scale = min(1.0, long_side / max(self.width, self.height))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def thumbnail_size(self) -> tuple[int, int] | None:
        """Width and height of the thumbnail (at most 360 pixels a side), so that pages do not jump."""
        return self._scaled(self.THUMB_LONG_SIDE)

    @property
    def preview_size(self) -> tuple[int, int] | None:
        """Width and height of the preview (at most 800 pixels a side)."""
        return self._scaled(self.PREVIEW_LONG_SIDE)
