"""How privacy plugs into the core and the mechanisms (called from PrivacyConfig.ready())."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.lib import links, panels
from coordination.lib.links import PageLink


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
    breaches = breaches_open(school=school)
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
BREACHES_LINK = PageLink(
    label=_("Data breaches"), url=lambda _school: reverse("privacy:breaches"), visible=_leader, order=90
)


def install() -> None:
    links.register("family_child", READS_LINK)
    links.register("school", BREACHES_LINK)
    panels.register("school", open_breaches_panel)
