"""What the health station's exchange plugs into the rest of the portal: a link to the import page on
the leaders' home page, and a link to a class's export on the class, for the nurse and the leaders."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register
from health.policies import can_manage_health


def _import_url(school) -> str:
    return reverse("health:station_import", kwargs={"slug": school.slug})


def _export_url(classroom) -> str:
    return reverse("health:class_export", kwargs={"classroom_id": classroom.pk})


def install() -> None:
    register(
        "school",
        PageLink(
            label=_("Health station: import and export measurements"),
            url=_import_url,
            visible=lambda user, school: can_manage_health(user, school.pk),
            order=70,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Measurements for the health station (XLSX)"),
            url=_export_url,
            visible=lambda user, classroom: can_manage_health(user, classroom.school_id),
            order=80,
        ),
    )
