"""How the events part of the app plugs into the core and the mechanisms (called from CommunityConfig.ready()):
links on the menu and the leaders' home, the day-before reminder, and who may open a gallery photo's file."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _in_events(user, _obj=None) -> bool:
    """Families and the staff who organise events (read from the request's caches: the menu costs no query)."""
    from parents.policies import is_guardian
    from schools.models import LEADER_ROLES, StaffRole
    from schools.policies import access_for

    roles = set(access_for(user).roles_by_school.values())
    return bool(roles & (LEADER_ROLES | {StaffRole.TEACHER})) or is_guardian(user)


def _organises_at(user, school) -> bool:
    from community.policies_events import can_create_event_at

    return school is not None and can_create_event_at(user, school.pk)


def _organises_for(user, classroom) -> bool:
    from community.policies_events import creatable_classroom_ids

    return classroom is not None and bool(creatable_classroom_ids(user, classroom.school_id, [classroom.pk]))


def _media_resolver(user, media) -> bool:
    from community.selectors_events import can_view_event_media

    return can_view_event_media(user, media)


def install() -> None:
    from community.models import EventPhoto
    from community.reminders_events import events_tomorrow
    from coordination.lib.links import PageLink, register
    from mediafiles import access, usage
    from notifications.reminders import Job, reminder_source_register

    register("menu", PageLink(label=_("Events"), url=lambda _obj: reverse("community:event_list"), visible=_in_events))
    register(
        "school",
        PageLink(
            label=_("Plan an event"),
            url=lambda school: reverse("community:event_create", args=[school.slug]),
            visible=_organises_at,
            order=70,
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Plan an event for the class"),
            url=lambda classroom: (
                reverse("community:event_create", args=[classroom.school.slug]) + f"?classroom={classroom.pk}"
            ),
            visible=_organises_for,
            order=70,
        ),
    )
    access.register(_media_resolver)
    usage.register(EventPhoto, "media")
    reminder_source_register(job=Job.EVENTS_TOMORROW, produce=events_tomorrow, name="community.events_tomorrow")
