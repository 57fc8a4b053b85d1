"""How privacy plugs into the core and the mechanisms (called from PrivacyConfig.ready()): links on the
family's and the leader's pages, the nightly retention and the deadline reminders, the demo step."""

from __future__ import annotations

from celery.schedules import crontab
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BEAT_SCHEDULE = {
    # 02:30, after the reports' nightly build: what each school's periods say is removed.
    "privacy-retention": {
        "task": "privacy.tasks.privacy_retention",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # 07:00 on every day: the contacts hear of a deadline before it passes (once per deadline).
    "privacy-deadline-reminders": {
        "task": "privacy.tasks.privacy_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 3600},
    },
}


def _leads(user, school) -> bool:
    from privacy.policies import is_privacy_contact

    return school is not None and is_privacy_contact(user, school)


def install() -> None:
    from coordination.celery import app
    from coordination.lib import demo as demo_steps
    from coordination.lib.links import PageLink, register
    from privacy import demo

    register(
        "school",
        PageLink(
            label=_("Privacy requests"),
            url=lambda school: reverse("privacy:queue", args=[school.slug]),
            visible=_leads,
            order=85,
            help_text=_("Families' requests to see, correct or erase their data, with the legal deadlines."),
        ),
    )
    register(
        "family_child",
        PageLink(
            label=_("Privacy: see, download or erase data"),
            url=lambda _child: reverse("privacy:mine"),
            order=95,
        ),
    )
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
    # After every other app's step: the demo family's copy holds what they made.
    demo_steps.register(
        "privacy", demo.seed_demo_step, after=tuple(name for name in demo_steps._steps if name != "privacy")
    )
