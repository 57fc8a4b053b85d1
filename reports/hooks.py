"""How reports plug into the core and the mechanisms (called from ReportsConfig.ready()): the school report
on the leader's home, the dashboard and the submitted reports on the authority's page, the nightly job and the demo."""

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


def _leads(user, school) -> bool:
    from schools.policies import is_leader_of

    return school is not None and is_leader_of(user, school.pk)


def _officer_of(user, authority) -> bool:
    from schools.policies import access_for

    posts = access_for(user).authority_ids
    return authority is not None and (authority.pk in posts or authority.province_id in posts)


def _authority_changed(sender, instance, raw=False, **kwargs):
    """An authority renamed, moved or removed: the dashboards' kept heads are read again."""
    from coordination.lib import fragments
    from reports.area import AREA_TOPIC

    fragments.topic_changed(AREA_TOPIC)


def install() -> None:
    from django.db.models.signals import post_delete, post_save

    from coordination.celery import app
    from coordination.lib.links import PageLink, register
    from reports import demo
    from schools.models import Authority

    post_save.connect(_authority_changed, sender=Authority, dispatch_uid="reports.authority_saved")
    post_delete.connect(_authority_changed, sender=Authority, dispatch_uid="reports.authority_deleted")

    register(
        "school",
        PageLink(
            label=_("School report"),
            url=lambda school: reverse("reports:school", args=[school.slug]),
            visible=_leads,
            order=80,
            help_text=_("Figures per month, term and school year; submit a term's report to the authority."),
        ),
    )
    register(
        "authority",
        PageLink(
            label=_("Figures across the schools"),
            url=lambda authority: reverse("reports:area", args=[authority.slug]),
            order=20,
            help_text=_("The same figures side by side for every school, by month, term and school year."),
        ),
    )
    register(
        "authority",
        PageLink(
            label=_("Reports submitted by schools"),
            url=lambda _authority: reverse("reports:submitted"),
            visible=_officer_of,
            order=70,
        ),
    )
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
    demo.register()  # term reports for both schools, after every other app's step (step "reports")
