"""Summary tables: every app's figures per school and month, built by the nightly job, so that no report
or dashboard scans the apps' rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Figure(models.Model):
    """One figure of one section for one school and one calendar month (group "" is the whole school)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    section = models.CharField(_("section"), max_length=40)
    metric = models.CharField(_("figure"), max_length=60)
    group = models.CharField(_("group"), max_length=120, blank=True, default="")
    value = models.BigIntegerField(_("value"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(fields=["school", "month", "section", "metric", "group"], name="unique_figure"),
        ]
        indexes = [models.Index(fields=["month", "section", "metric"], name="figure_month_metric")]

    def __str__(self):
        return f"{self.school_id} {self.month:%Y-%m} {self.section}.{self.metric}[{self.group}]={self.value}"


class AreaFigure(models.Model):
    """One published cell of the authorities' dashboards: a school's, a commune's or the province's figure
    for one period (a month, a term, a school year), as it may be shown.

    Built at night for a whole province and school year at once (`reports.area.area_build`), so that every
    view of it (a commune's, the province's, a month, a term) shows cells of one suppression pattern, and a
    dashboard reads a few rows instead of the apps' tables. A school's cell that is zero and not hidden is
    not stored: the dashboard shows it as 0."""

    class Row(models.TextChoices):
        SCHOOL = "school", _("School")
        COMMUNE = "commune", _("Commune, ward or special zone")
        PROVINCE = "province", _("Province")

    province = models.ForeignKey(
        "schools.Authority", on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "schools.Authority",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("commune, ward or special zone"),
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", null=True, blank=True, verbose_name=_("school")
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("2026-09, 2026-t1 or 2026."))
    row_kind = models.CharField(_("row"), max_length=10, choices=Row.choices)
    section = models.CharField(_("section"), max_length=40)
    metric = models.CharField(_("figure"), max_length=60)
    value = models.BigIntegerField(_("value"))
    # "" when the value is shown; else what is shown instead ("< 5", or "x" for a cell hidden so that a
    # small one cannot be worked out).
    shown = models.CharField(_("shown as"), max_length=4, blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("authority figure")
        verbose_name_plural = _("authority figures")
        indexes = [
            models.Index(fields=["province", "period"], name="areafigure_province_period"),
            models.Index(fields=["commune", "period"], name="areafigure_commune_period"),
        ]

    def __str__(self):
        return f"{self.period} {self.row_kind} {self.section}.{self.metric}={self.shown or self.value}"


# --- Term reports submitted to the authority


class Submission(models.Model):
    """A school's term report as submitted to its commune-level authority: the figures are kept as they were
    sent (`snapshot`), so the officer reads what the school submitted, whatever is rebuilt later."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="report_submissions", verbose_name=_("school")
    )
    authority = models.ForeignKey(
        "schools.Authority", on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted to")
    )
    year_start = models.PositiveSmallIntegerField(_("school year starting in"))
    term = models.PositiveSmallIntegerField(_("term"), choices=[(1, _("Term I")), (2, _("Term II"))])
    cover_note = models.TextField(_("cover note"), blank=True)
    snapshot = models.JSONField(_("figures as submitted"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    acknowledged_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year_start", "term"], name="one_submission_per_school_term"),
        ]
        indexes = [models.Index(fields=["authority", "-submitted_at"], name="submission_authority")]

    def __str__(self):
        return f"{self.school} {self.period_key}"

    @property
    def period_key(self) -> str:
        return f"{self.year_start}-t{self.term}"

    @property
    def is_acknowledged(self) -> bool:
        return self.status == self.Status.ACKNOWLEDGED


class SubmissionEvent(models.Model):
    """What happened to a submitted report, shown to both sides as its history."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Submitted again")
        OPENED = "opened", _("Opened by the authority")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        COMMENTED = "commented", _("Comment")

    # The school too, so that the history can be kept beside its school's other rows.
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("submitted report")
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("submitted report event")
        verbose_name_plural = _("submitted report events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.submission_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
