"""What announcements and pick-up notices add to the core's pages (coordination/lib/links.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from announcements import policies
from coordination.lib.links import PageLink, register
from schools.policies import is_leader_of


def _can_post_to_class(user, classroom) -> bool:
    return policies.can_post_announcement(user, classroom.school, [classroom])


def install() -> None:
    register(
        "child",
        PageLink(
            label=_("Send a pick-up notice"),
            url=lambda child: reverse("announcements:pickup_notices", args=[child.pk]),
            visible=policies.can_send_pickup_notice,
            order=10,
            primary=True,
            help_text=_(
                "Late or early pick-up, someone else picking up, or absent today: the class teachers are told at once."
            ),
        ),
    )
    register(
        "child",
        PageLink(label=_("Announcements"), url=lambda child: reverse("announcements:announcement_list"), order=20),
    )
    register(
        "teacher",
        PageLink(
            label=_("Today's pick-up notices"),
            url=lambda _obj: reverse("announcements:pickup_notices_today"),
            order=10,
            primary=True,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Today's pick-up notices"),
            url=lambda classroom: reverse("announcements:classroom_pickup_notices", args=[classroom.pk]),
            order=10,
            primary=True,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Post an announcement"),
            url=lambda classroom: (
                reverse("announcements:announcement_create", args=[classroom.school.slug])
                + f"?classroom={classroom.pk}"
            ),
            visible=_can_post_to_class,
            order=20,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Announcements"),
            url=lambda classroom: reverse("announcements:school_announcements", args=[classroom.school.slug]),
            visible=lambda user, classroom: policies.can_manage_announcements(user, classroom.school_id),
            order=60,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Announcements"),
            url=lambda school: reverse("announcements:school_announcements", args=[school.slug]),
            order=10,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Post an announcement"),
            url=lambda school: reverse("announcements:announcement_create", args=[school.slug]),
            visible=lambda user, school: is_leader_of(user, school),
            order=20,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Today's pick-up notices"),
            url=lambda _school: reverse("announcements:pickup_notices_today"),
            order=40,
        ),
    )
