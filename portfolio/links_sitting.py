"""The links to the class's works on the core's pages (a class, a teacher's home), for those who
record them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.links import PageLink, register
from portfolio import policies


def _teaches(user, _obj=None) -> bool:
    from schools.policies import access_for

    return bool(access_for(user).taught_classroom_ids)


def install() -> None:
    """Called from PortfolioConfig.ready()."""
    register(
        "classroom",
        PageLink(
            label=_("Children's works"),
            url=lambda classroom: reverse("portfolio:class_works", args=[classroom.pk]),
            visible=lambda user, classroom: policies.can_record_works(user, classroom),
            order=55,
        ),
    )
    register(
        "teacher",
        PageLink(
            label=_("Children's works"),
            url=lambda _obj: reverse("portfolio:my_classes_works"),
            visible=_teaches,
            order=55,
        ),
    )
