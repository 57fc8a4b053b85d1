"""What home activities add to the core's pages (coordination/lib/links.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities import policies
from coordination.lib.links import PageLink, register
from parents.policies import is_family_viewer_of
from schools.policies import is_leader_of


def install() -> None:
    register(
        "family_child",
        PageLink(
            label=_("Home activities"),
            url=lambda child: reverse("activities:feed", args=[child.pk]),
            # The feed is the guardians' (answering): never a family viewer's.
            visible=policies.can_view_feed,
            order=10,
            primary=True,
        ),
    )
    register(
        "family_child",
        PageLink(
            label=_("Shared home activities"),
            url=lambda child: reverse("activities:child_answers", args=[child.pk]),
            # On the cards of the children a person follows as a family viewer (read-only).
            visible=lambda user, child: is_family_viewer_of(user, child),
            followers=True,
            order=20,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Home activities"),
            url=lambda classroom: (
                reverse("activities:school_list", args=[classroom.school.slug]) + f"?classroom={classroom.pk}"
            ),
            visible=lambda user, classroom: policies.can_post_activities(user, classroom.school_id),
            order=30,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Post a home activity"),
            url=lambda classroom: (
                reverse("activities:create", args=[classroom.school.slug]) + f"?classroom={classroom.pk}"
            ),
            visible=lambda user, classroom: policies.can_post_to(user, classroom.school, [classroom]),
            order=40,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Home activities"),
            url=lambda school: reverse("activities:school_list", args=[school.slug]),
            order=30,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Answer rates of the classes"),
            url=lambda school: reverse("activities:school_participation", args=[school.slug]),
            visible=lambda user, school: is_leader_of(user, school),
            order=35,
        ),
    )
