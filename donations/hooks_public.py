"""What the public part of donations plugs into the rest of the portal: links to the transparency board
on the school's public page and on the leaders' home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register


def _board_url(school) -> str:
    return reverse("donations:transparency", kwargs={"slug": school.slug})


def board_topic(school_id) -> str:
    """What renews a school's kept transparency board (coordination/lib/fragments.py)."""
    return f"donations.board:{school_id}"


def install() -> None:
    from coordination.lib import fragments
    from donations.models import Campaign, LedgerEntry, Settlement, WishItem

    # The board shows the ledger's latest entry and the published campaigns with their wishes, figures
    # and settlements: any of their rows saved or deleted renews the school's board, and only it.
    fragments.shows(LedgerEntry, Campaign, WishItem, Settlement, topic_of=lambda row: board_topic(row.school_id))
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
