"""Children's works: a drawing, a clay figure, a STEAM model, photographed by the teacher, with a
note and sometimes the child's voice, and a QR label that opens the work's page (/w/<token>).

A work is private to the child's family (guardians and the family viewers they invite) and the
staff who may see the child. Its photos are shown only while the guardians' consent to portfolio
photos stands, its voice note only while the consent to voice recordings stands.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schools.models import Domain

# 32 random bytes from `secrets`, URL-safe base64 without padding: 43 characters, 256 bits.
TOKEN_BYTES = 32
TOKEN_LENGTH = 43
TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a pattern, not a secret)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def work_url(work: Work) -> str:
    """The full address a work's QR label holds: SITE_URL/w/<token>."""
    return f"{settings.SITE_URL}/w/{work.token}"


def qr_path(work: Work, filename: str) -> str:
    return f"portfolio/{work.school_id}/qr/{work.pk}/{filename}"


class Work(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="works")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="works", verbose_name=_("child"))
    # The child's class when the work was made: its teachers look after it.
    classroom = models.ForeignKey(
        "schools.Classroom", on_delete=models.PROTECT, related_name="works", verbose_name=_("class")
    )
    title = models.CharField(pgettext_lazy("name of a work", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    teacher_note = models.TextField(_("teacher's note"), blank=True)
    domain = models.CharField(_("developmental domain"), max_length=20, choices=Domain.choices)
    made_on = models.DateField(_("date"))
    # The child telling about the work, recorded by the teacher.
    voice = models.OneToOneField(
        "mediafiles.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_voice",
        verbose_name=_("voice note"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # The label's code: the page is /w/<token>. Replaced (and the old one kept in RevokedToken)
    # when a label is lost or given to the wrong family.
    token = models.CharField(_("code"), max_length=TOKEN_LENGTH, unique=True, default=new_token, editable=False)
    # The QR images of the current token, made by a worker; empty while they are being made.
    qr_svg = models.FileField(upload_to=qr_path, max_length=300, blank=True)
    qr_png = models.FileField(upload_to=qr_path, max_length=300, blank=True)
    qr_token = models.CharField(max_length=TOKEN_LENGTH, blank=True, editable=False)
    # When someone of the family first opened the work's page (WorkOpen has each person's).
    family_opened_at = models.DateTimeField(_("first opened by the family"), null=True, blank=True)

    class Meta:
        verbose_name = _("child's work")
        verbose_name_plural = _("children's works")
        ordering = ["-made_on", "-pk"]
        indexes = [
            models.Index(fields=["child", "-made_on"], name="work_child_newest"),
            models.Index(fields=["classroom", "made_on"], name="work_class_day"),
        ]

    def __str__(self):
        return self.title

    @property
    def qr_ready(self) -> bool:
        return bool(self.qr_png) and self.qr_token == self.token


class WorkPhoto(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="photos")
    media = models.OneToOneField("mediafiles.MediaFile", on_delete=models.CASCADE, related_name="work_photo")
    # The photo's SHA-256, kept here so that the same photo for the same child is found at once.
    sha256 = models.CharField(max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo of a work")
        verbose_name_plural = _("photos of works")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["sha256"], name="work_photo_sha256")]

    def __str__(self):
        return f"{self.work} – {self.position + 1}"


class RevokedToken(models.Model):
    """A label's code that was replaced: the child's guardians who open it are told, nobody else."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="revoked_tokens")
    token = models.CharField(max_length=TOKEN_LENGTH, unique=True)
    revoked_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("replaced code")
        verbose_name_plural = _("replaced codes")

    def __str__(self):
        return f"{self.work} ({self.revoked_at:%d/%m/%Y})"


class WorkOpen(models.Model):
    """One person opened a work's page: written once per person and work."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="opens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    by_family = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("opening of a work")
        verbose_name_plural = _("openings of works")
        constraints = [models.UniqueConstraint(fields=["work", "user"], name="one_open_per_work_and_person")]

    def __str__(self):
        return f"{self.user} – {self.work}"


# --- Printed outputs: label sheets for a class, albums of a child ------------------------------------
# Made by workers on the media queue (portfolio.tasks), kept for PORTFOLIO_PRINTOUTS_KEEP_DAYS, and
# downloaded only through portfolio.views_printing, after the access check.


def printout_path(instance, filename: str) -> str:
    return f"portfolio/{instance.school_id}/{instance.FOLDER}/{instance.pk}/{filename}"


class PrintoutState(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    BUILDING = "building", _("Being made")
    READY = "ready", _("Ready")
    EMPTY = "empty", _("Nothing to print")
    FAILED = "failed", _("Failed")


PRINTOUT_PENDING = (PrintoutState.QUEUED, PrintoutState.BUILDING)


class LabelSheet(models.Model):
    """An A4 PDF of QR labels for the works of a class recorded between two dates."""

    FOLDER = "labels"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(
        "schools.Classroom", on_delete=models.CASCADE, related_name="label_sheets", verbose_name=_("class")
    )
    layout = models.CharField(_("label sheet"), max_length=20)
    date_from = models.DateField(_("works from"))
    date_to = models.DateField(_("works until"))
    # Labels already peeled off the first sheet (a sheet used before): printing starts after them.
    skip = models.PositiveSmallIntegerField(_("labels already used"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=PrintoutState.choices, default=PrintoutState.QUEUED)
    total = models.PositiveIntegerField(_("labels"), default=0)
    done = models.PositiveIntegerField(_("labels made"), default=0)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    pdf = models.FileField(upload_to=printout_path, max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(_("why it failed"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("label sheet")
        verbose_name_plural = _("label sheets")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["classroom", "-requested_at"], name="label_sheet_class_newest"),
            models.Index(fields=["requested_at"], name="label_sheet_requested"),
        ]

    def __str__(self):
        return f"{self.classroom} {self.date_from:%d/%m/%Y}–{self.date_to:%d/%m/%Y}"

    @property
    def is_pending(self) -> bool:
        return self.state in PRINTOUT_PENDING


class AlbumScope(models.TextChoices):
    YEAR = "year", _("This school year")
    ALL = "all", _("Everything since the child started")


class Album(models.Model):
    """A child's album: a PDF of the works with their notes and photos, and a ZIP of the files with
    a page that opens without a connection. Asked for by a guardian, for the family."""

    FOLDER = "albums"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="albums", verbose_name=_("child"))
    scope = models.CharField(_("what it holds"), max_length=10, choices=AlbumScope.choices)
    # The period of the works, fixed when asked (None: from the first work, or up to today).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_name = models.CharField(_("period"), max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=PrintoutState.choices, default=PrintoutState.QUEUED)
    total = models.PositiveIntegerField(_("works"), default=0)
    done = models.PositiveIntegerField(_("works done"), default=0)
    pdf = models.FileField(upload_to=printout_path, max_length=300, blank=True)
    archive = models.FileField(upload_to=printout_path, max_length=300, blank=True)
    pdf_size = models.BigIntegerField(default=0)
    archive_size = models.BigIntegerField(default=0)
    # What the consents allowed when it was made: photos (portfolio photos), voice notes (voice
    # recordings). Withdrawn since, the album is no longer handed out.
    with_photos = models.BooleanField(default=False)
    with_voice = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(_("why it failed"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("album")
        verbose_name_plural = _("albums")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["child", "-requested_at"], name="album_child_newest"),
            models.Index(fields=["requested_at"], name="album_requested"),
        ]

    def __str__(self):
        return f"{self.child} – {self.period_name or self.get_scope_display()}"

    @property
    def is_pending(self) -> bool:
        return self.state in PRINTOUT_PENDING
