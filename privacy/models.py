"""Data-subject requests and their history, exports, erasures, retention, legal holds and the breach register."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See and get a copy of the data")
    CORRECTION = "correction", _("Correct the data")
    WITHDRAWAL = "withdrawal", _("Withdraw a consent")
    ERASURE = "erasure", _("Erase the data")
    RESTRICTION = "restriction", _("Restrict the processing")
    OBJECTION = "objection", _("Object to the processing")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged, in progress")
    WAITING = "waiting", _("Waiting for the other guardians")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused, with the reason")
    CANCELLED = "cancelled", _("Cancelled by the person")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED, RequestStatus.WAITING)


class Channel(models.TextChoices):
    PORTAL = "portal", _("On the portal")
    PAPER = "paper", _("On paper or in person")


class PrivacyRequest(models.Model):
    """One request of a person about their own data or their child's, with its legal deadlines."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    # The person who asked: an account, or for a paper request, a name and how to reach them.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="privacy_requests"
    )
    requester_name = models.CharField(_("name of the person asking"), max_length=150, blank=True)
    requester_contact = models.CharField(_("how to reach them"), max_length=150, blank=True)
    relationship = models.CharField(_("who they are"), max_length=100, blank=True)
    # Set when a guardian asks about their child; empty when the person asks about themselves.
    child = models.ForeignKey("schools.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    consent_purpose = models.CharField(_("consent"), max_length=30, blank=True)
    details = models.TextField(_("what the person asks"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    acknowledge_by = models.DateField(_("acknowledge by"))
    complete_by = models.DateField(_("complete by"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("answer to the person"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["school", "status", "complete_by"])]
        constraints = [
            # A second identical request while the first is open is refused (with a message, in the form).
            models.UniqueConstraint(
                fields=["requester", "kind", "child"],
                condition=Q(status__in=OPEN_STATUSES, requester__isnull=False, child__isnull=False),
                name="privacy_request_one_open_per_child",
            ),
            models.UniqueConstraint(
                fields=["requester", "kind"],
                condition=Q(status__in=OPEN_STATUSES, requester__isnull=False, child__isnull=True),
                name="privacy_request_one_open_for_self",
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | ~Q(requester_name=""), name="privacy_request_has_a_person"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def deadline(self):
        return self.extended_to or self.complete_by

    @property
    def person_label(self) -> str:
        if self.requester_id:
            return self.requester.full_name or self.requester.email or self.requester.phone or str(self.requester)
        return self.requester_name


class RequestEvent(models.Model):
    """One step of a request: who, when, what (never the erased data itself)."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        EXTENDED = "extended", _("Deadline extended")
        NOTE = "note", _("Note")
        EXPORTED = "exported", _("Copy of the data prepared")
        CORRECTED = "corrected", _("Data corrected")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        ERASED = "erased", _("Data erased")
        WAITING = "waiting", _("Waiting for the other guardians")
        OTHERS_TOLD = "others_told", _("The other guardians were told")
        COMPLETED = "completed", _("Completed")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")
        REMINDED = "reminded", _("Reminder sent")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def export_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def export_path(instance: Export, filename: str) -> str:
    return f"privacy/exports/{instance.token}/{filename}"


class Export(models.Model):
    """A family's copy of its data: a ZIP built by a worker, downloaded through a link that expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be prepared")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_exports")
    request = models.ForeignKey(
        PrivacyRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    token = models.CharField(max_length=64, unique=True, default=export_token, editable=False)
    file = models.FileField(upload_to=export_path, max_length=300, blank=True)
    size = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("copy of a family's data")
        verbose_name_plural = _("copies of families' data")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class Erasure(models.Model):
    """That a child's or a person's data was erased, when, why and how many rows: never what they held."""

    class Subject(models.TextChoices):
        CHILD = "child", _("A child's data")
        PERSON = "person", _("A person's own data")

    class Reason(models.TextChoices):
        REQUEST = "request", _("At the family's request")
        RETENTION = "retention", _("The retention period ended")
        REPLAY = "replay", _("Replayed after a restore")

    school = models.ForeignKey("schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    subject_id = models.BigIntegerField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    request = models.ForeignKey(PrivacyRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, blank=True)
    log_name = models.CharField(max_length=200, blank=True)  # the object kept outside the database

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        indexes = [models.Index(fields=["subject", "subject_id"])]

    def __str__(self):
        return f"{self.subject} {self.subject_id} {self.at:%Y-%m-%d}"


class LegalHold(models.Model):
    """While it stands, a child's or a person's data is not erased (a dispute, an inquiry, an audit)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(user__isnull=False), name="legal_hold_has_a_subject"
            )
        ]

    def __str__(self):
        return self.reason[:60]


class RetentionPeriod(models.Model):
    """A school's own period for one retention rule (the declarations give the default)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "key"], name="retention_period_once")]

    def __str__(self):
        return f"{self.key}: {self.days}"


class RetentionRun(models.Model):
    """One run of the retention job for one school, and what it removed."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.school_id} {self.at:%Y-%m-%d}"


class Breach(models.Model):
    """A suspected or confirmed personal data breach, on the 72-hour clock to notify the authority."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being handled")
        NOTIFIED = "notified", _("Authority notified")
        CLOSED = "closed", _("Closed")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    found_at = models.DateTimeField(_("found"))
    occurred_at = models.DateTimeField(_("happened"), null=True, blank=True)
    data_affected = models.TextField(_("data affected"))
    people_affected = models.PositiveIntegerField(_("number of people affected"), default=0)
    children = models.ManyToManyField(
        "schools.Child", blank=True, related_name="+", verbose_name=_("children affected")
    )
    consequences = models.TextField(_("likely consequences"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    authority_notified_at = models.DateTimeField(_("authority notified"), null=True, blank=True)
    families_told_at = models.DateTimeField(_("families told"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("data breach")
        verbose_name_plural = _("data breaches")

    def __str__(self):
        return self.title

    @property
    def notify_by(self):
        return self.found_at + datetime.timedelta(hours=settings.PRIVACY_BREACH_NOTIFY_HOURS)


class BreachEvent(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
