"""The day-before reminder of an event: to the families invited, and to every volunteer signed up.

The words carry the event's title, time and place, never a child's details.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from notifications.reminders import Reminder, ReminderRun

TITLE = _("Tomorrow: %(title)s")
BODY = _("%(title)s is tomorrow, %(date)s at %(time)s, at %(place)s.")
VOLUNTEER_BODY = _("%(title)s is tomorrow, %(date)s at %(time)s, at %(place)s. Thank you for helping as: %(roles)s.")


def events_tomorrow(run: ReminderRun):
    """One reminder per event starting tomorrow to its invited families, and one per volunteer with their roles."""
    from community.models import Event, VolunteerSignup
    from notifications.models import local_zone
    from parents.models import Guardianship

    zone = local_zone()
    tomorrow = run.today + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min), zone)
    events = list(
        Event.objects.filter(
            starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1), cancelled_at__isnull=True
        )
        .prefetch_related("classrooms")
        .order_by("pk")
    )
    for event in events:
        local = timezone.localtime(event.starts_at, zone)
        context = {
            "title": event.title,
            "date": local.strftime("%d/%m/%Y"),
            "time": local.strftime("%H:%M"),
            "place": event.place,
        }
        url = reverse("community:event_detail", args=[event.pk])
        volunteers: dict[int, list[str]] = {}
        for guardian_id, role_name in (
            VolunteerSignup.objects.filter(role__event=event, guardian__is_active=True)
            .order_by("role_id")
            .values_list("guardian_id", "role__name")
        ):
            volunteers.setdefault(guardian_id, []).append(role_name)
        children = {"child__school_id": event.school_id, "child__left_on__isnull": True}
        if not event.whole_school:
            children["child__classroom_id__in"] = [c.pk for c in event.classrooms.all()]
        families = set(
            Guardianship.objects.active()
            .filter(guardian__is_active=True, **children)
            .values_list("guardian_id", flat=True)
        ) - set(volunteers)
        if families:
            yield Reminder(
                recipients=tuple(sorted(families)),
                category=Category.EVENTS,
                title=TITLE,
                body=BODY,
                context=context,
                url=url,
                key=f"event:{event.pk}:{tomorrow.isoformat()}",
                school_id=event.school_id,
            )
        for guardian_id, roles in sorted(volunteers.items()):
            yield Reminder(
                recipients=(guardian_id,),
                category=Category.EVENTS,
                title=TITLE,
                body=VOLUNTEER_BODY,
                context={**context, "roles": ", ".join(roles)},
                url=url,
                key=f"event:{event.pk}:{tomorrow.isoformat()}",
                school_id=event.school_id,
            )
