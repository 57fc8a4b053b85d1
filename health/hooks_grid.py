"""Measuring day's hooks: the nurse lands on their classes after signing in, and the core's pages link
to a class's grid (a class, for whoever may measure it; a leader's home, for the school's classes)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.homes import role_home_register
from coordination.lib.links import PageLink, register


def _can_measure(user, classroom) -> bool:
    from health.policies import can_measure_classroom

    return classroom is not None and can_measure_classroom(user, classroom)


def _does_health_work(user, school) -> bool:
    from health.policies import is_health_staff

    return school is not None and is_health_staff(user, school.pk)


def _is_nurse(user, _obj=None) -> bool:
    """The top menu asks on every page: the person's roles are already read (no query)."""
    from schools.models import StaffRole
    from schools.policies import access_for

    return StaffRole.NURSE in access_for(user).roles_by_school.values()


def install() -> None:
    """Called from HealthConfig.ready()."""
    from schools.models import StaffRole

    role_home_register(StaffRole.NURSE, lambda _user: reverse("health:home"))
    register(
        "classroom",
        PageLink(
            label=_("Measuring day"),
            url=lambda classroom: reverse("health:grid", args=[classroom.pk]),
            visible=_can_measure,
            order=60,
        ),
    )
    register("menu", PageLink(label=_("Measuring day"), url=lambda _obj: reverse("health:home"), visible=_is_nurse))
    register(
        "school",
        PageLink(
            label=_("Measuring day"),
            url=lambda _school: reverse("health:home"),
            visible=_does_health_work,
            order=60,
        ),
    )
