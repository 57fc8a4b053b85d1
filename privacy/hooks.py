"""How privacy plugs into the core and the mechanisms (called from PrivacyConfig.ready()): links on the
family's and the leader's pages, the open breaches' clocks on the leader's home, the nightly retention and
the deadline reminders, the demo step."""

from __future__ import annotations

from celery.schedules import crontab
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.lib import fragments, links, panels
from coordination.lib.links import PageLink

BEAT_SCHEDULE = {
    # 02:30, after the reports' nightly build: what each school's periods say is removed.
    "privacy-retention": {
        "task": "privacy.tasks.privacy_retention",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # 03:00: copies of families' data past their date are deleted.
    "privacy-exports-expire": {
        "task": "privacy.tasks.exports_expire",
        "schedule": crontab(hour=3, minute=0),
        "options": {"expires": 6 * 3600},
    },
    # 07:00 on every day: the contacts hear of a deadline before it passes (once per deadline).
    "privacy-deadline-reminders": {
        "task": "privacy.tasks.privacy_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 3600},
    },
}


def _contact(user, school) -> bool:
    from privacy.policies import is_privacy_contact

    return school is not None and is_privacy_contact(user, school)


def _guardian(user, child) -> bool:
    from privacy.policies import can_see_child_reads

    return can_see_child_reads(user, child)


def _leader(user, school) -> bool:
    from privacy.policies import can_manage_breaches

    return can_manage_breaches(user, school)


def open_breaches_panel(request, school) -> str:
    """The open breaches' 72-hour clocks on a leader's home; nothing when there is none."""
    from privacy.selectors_breaches import breach_clock, breaches_open

    if school is None or not _leader(request.user, school):
        return ""
    # Kept between requests until one of the school's breaches changes (install() below); the clocks
    # are worked out from the time of each request.
    breaches = fragments.kept(
        None, "privacy.open_breaches", lambda: breaches_open(school=school), schools=(),
        topics=[breaches_topic(school.pk)],
    )  # fmt: skip
    if not breaches:
        return ""
    now = timezone.now()
    for breach in breaches:
        breach.clock = breach_clock(breach, now=now)
    return render_to_string("privacy/_open_breaches_panel.html", {"breaches": breaches}, request=request)


READS_LINK = PageLink(
    label=_("Who looked at the records"),
    url=lambda child: reverse("privacy:child_reads", args=[child.pk]),
    visible=_guardian,
    order=90,
)
MINE_LINK = PageLink(
    label=_("Privacy: see, download or erase data"),
    url=lambda _child: reverse("privacy:mine"),
    visible=_guardian,
    order=95,
)
QUEUE_LINK = PageLink(
    label=_("Privacy requests"),
    url=lambda school: reverse("privacy:queue", args=[school.slug]),
    visible=_contact,
    order=85,
    help_text=_("Families' requests to see, correct or erase their data, with the legal deadlines."),
)
BREACHES_LINK = PageLink(
    label=_("Data breaches"), url=lambda _school: reverse("privacy:breaches"), visible=_leader, order=90
)


def breaches_topic(school_id) -> str:
    """What renews a school's kept list of open breaches (coordination/lib/fragments.py)."""
    return f"privacy.breaches:{school_id}"


def install() -> None:
    from coordination.celery import app
    from coordination.lib import demo as demo_steps
    from privacy import demo
    from privacy.models import Breach

    # The leader's home keeps the school's open breaches: any breach of the school saved or deleted renews
    # them, and nothing else.
    fragments.shows(Breach, topic_of=lambda breach: breaches_topic(breach.school_id))

    links.register("family_child", READS_LINK)
    links.register("family_child", MINE_LINK)
    links.register("school", QUEUE_LINK)
    links.register("school", BREACHES_LINK)
    panels.register("school", open_breaches_panel)
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
    # After every other app's step: the demo family's copy holds what they made.
    demo_steps.register(
        "privacy", demo.seed_demo_step, after=tuple(name for name in demo_steps._steps if name != "privacy")
    )
