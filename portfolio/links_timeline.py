"""Where the portfolio timeline is linked from on the core's pages (coordination/lib/links.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register
from portfolio import policies


def _url(child) -> str:
    return reverse("portfolio:child_portfolio", args=[child.pk])


def install() -> None:
    # A child's card on the family's home: the guardians', and a family viewer's (read-only).
    register(
        "family_child",
        PageLink(label=_("Portfolio"), url=_url, visible=policies.can_view_portfolio, followers=True, order=25),
    )
    # A child's page, for the family.
    register("child", PageLink(label=_("Portfolio"), url=_url, visible=policies.can_view_portfolio, order=55))
    # A child's page, for the staff who may see the child (leaders, the nurse, the class's teachers).
    register("staff_child", PageLink(label=_("Portfolio"), url=_url, visible=policies.can_view_portfolio, order=55))
