"""How reports plug into the core and the mechanisms (called from ReportsConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _leads(user, school) -> bool:
    from schools.policies import is_leader_of

    return school is not None and is_leader_of(user, school.pk)


def _officer_of(user, authority) -> bool:
    from schools.policies import access_for

    posts = access_for(user).authority_ids
    return authority is not None and (authority.pk in posts or authority.province_id in posts)


def install() -> None:
    """Filled in as the school report and the authority dashboard land."""
    from coordination.lib.links import PageLink, register
    from reports import demo

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
            label=_("Reports submitted by schools"),
            url=lambda _authority: reverse("reports:submitted"),
            visible=_officer_of,
            order=70,
        ),
    )
    demo.register()
