"""How reports plug into the core and the mechanisms (called from ReportsConfig.ready()): the link to the
authorities' dashboard on the authority's page, and the nightly job."""

from __future__ import annotations

from celery.schedules import crontab
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BEAT_SCHEDULE = {
    # 01:30 every night, when nobody enters figures: the apps' figures and the authorities' tables, so that
    # officers see yesterday's figures in the morning. Each step replaces its rows, so a late run is harmless.
    "reports-nightly": {
        "task": "reports.tasks.reports_nightly",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 4 * 3600},
    },
}


def install() -> None:
    from coordination.celery import app
    from coordination.lib.links import PageLink, register

    register(
        "authority",
        PageLink(
            label=_("Figures across the schools"),
            url=lambda authority: reverse("reports:area", args=[authority.slug]),
            order=20,
            help_text=_("The same figures side by side for every school, by month, term and school year."),
        ),
    )
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
