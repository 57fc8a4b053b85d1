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
