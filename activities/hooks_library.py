"""What the authorities' library and commendations add to the core's pages (coordination/lib/links.py and
coordination/lib/panels.py)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities import policies
from coordination.lib import panels
from coordination.lib.links import PageLink, register


def _library_home(_obj=None) -> str:
    return reverse("activities:library_home")


def _in_library(user, _obj=None) -> bool:
    # Read from the memberships cached for the request: the menu may not query the database.
    return policies.is_library_user(user)


def commendations_panel(request, school) -> str:
    """The authorities' commendations of the school and its families, on its public page."""
    from activities.selectors_library import commendations_for_school

    commendations = commendations_for_school(school=school)
    if not commendations:
        return ""
    return render_to_string(
        "activities/_commendations_panel.html", {"school": school, "commendations": commendations}, request=request
    )


def install() -> None:
    library = _("Library of home activities")
    register("menu", PageLink(label=library, url=_library_home, visible=_in_library))
    register(
        "teacher",
        PageLink(
            label=library,
            url=_library_home,
            help_text=_("Good activities of other schools of your commune and province, to copy into your class."),
            order=60,
        ),
    )
    register("school", PageLink(label=library, url=_library_home, order=60))
    curates = policies.can_curate_library
    register(
        "authority",
        PageLink(
            label=library,
            url=lambda authority: reverse("activities:library", args=[authority.slug]),
            visible=curates,
            order=40,
        ),
    )
    register(
        "authority",
        PageLink(
            label=_("Which activities were copied"),
            url=lambda authority: reverse("activities:library_reuse", args=[authority.slug]),
            visible=curates,
            order=41,
        ),
    )
    register(
        "authority",
        PageLink(
            label=_("Commendations"),
            url=lambda authority: reverse("activities:commendations", args=[authority.slug]),
            visible=curates,
            order=42,
        ),
    )
    panels.register("school_public", commendations_panel, order=40)
