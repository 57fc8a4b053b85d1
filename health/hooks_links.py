"""Where the health pages are linked from on the core's pages: a leader's home (the school's summary,
follow-up list, check-ups and the read log) and an authority's page (its schools' counts)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register


def _does_health_work(user, school) -> bool:
    from health.policies import is_health_staff

    return school is not None and is_health_staff(user, school.pk)


def _reads_log(user, school) -> bool:
    from health.policies import can_read_health_log

    return school is not None and can_read_health_log(user, school.pk)


def _officer(user, authority) -> bool:
    from schools.policies import can_view_authority

    return authority is not None and can_view_authority(user, authority)


def install() -> None:
    for order, label, name in (
        (61, _("Nutrition summary"), "health:school_summary"),
        (62, _("Children needing follow-up"), "health:follow_up"),
        (63, _("Check-ups"), "health:checkups"),
    ):
        register(
            "school",
            PageLink(
                label=label,
                url=lambda school, name=name: reverse(name, args=[school.slug]),
                visible=_does_health_work,
                order=order,
            ),
        )
    register(
        "school",
        PageLink(
            label=_("Who looked at health records"),
            url=lambda school: reverse("health:reads", args=[school.slug]),
            visible=_reads_log,
            order=65,
        ),
    )
    register(
        "authority",
        PageLink(
            label=_("Children's nutrition in the schools"),
            url=lambda authority: reverse("health:authority_summary", args=[authority.slug]),
            visible=_officer,
            help_text=_("Counts per classification, from 1 to 4 shown as “< 5”."),
        ),
    )
