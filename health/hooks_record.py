"""Where a child's health record is linked from on the core's pages (coordination/lib/links.py).

The family's cards show it to guardians only, never to a family viewer (`followers` stays False):
health data is not for followers. The guardian check reads the person's children kept for the
request (`parents.policies.guardian_child_ids`), so a card costs no query.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register
from health.policies import can_view_health
from parents.policies import is_guardian_of

LABEL = _("Health and growth")


def _url(child) -> str:
    return reverse("health:child", args=[child.pk])


def install() -> None:
    register("family_child", PageLink(label=LABEL, url=_url, visible=is_guardian_of, order=40))
    register("child", PageLink(label=LABEL, url=_url, visible=can_view_health, order=60))
    register("staff_child", PageLink(label=LABEL, url=_url, visible=can_view_health, order=60))
