"""What the public part of donations plugs into the rest of the portal: links to the transparency board
on the school's public page and on the leaders' home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register


def _board_url(school) -> str:
    return reverse("donations:transparency", kwargs={"slug": school.slug})


def install() -> None:
    register(
        "school_public",
        PageLink(
            label=_("Transparency board: sponsorship received and spent"),
            url=_board_url,
            order=40,
            help_text=_("Every gift and every expense of the school's sponsorship campaigns, in the open."),
        ),
    )
    register("school", PageLink(label=_("Transparency board"), url=_board_url, order=60))
