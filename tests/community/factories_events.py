"""Makers for the events part's tests."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from community.models import Event, EventPhoto, VolunteerRole


def event_make(school, *, by=None, classrooms=(), whole_school=False, days=7, title="Tết Trung thu", **extra) -> Event:
    """An event `days` from now (negative: in the past), for some classes or the whole school."""
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days)
    event = Event.objects.create(
        school=school,
        title=title,
        kind=extra.pop("kind", "festival"),
        starts_at=extra.pop("starts_at", starts),
        ends_at=extra.pop("ends_at", starts + datetime.timedelta(hours=3)),
        place=extra.pop("place", "Sân trường"),
        programme=extra.pop("programme", "Rước đèn, phá cỗ"),
        whole_school=whole_school,
        created_by=by,
        **extra,
    )
    if classrooms:
        event.classrooms.set(classrooms)
    return event


def role_make(event, name="Dựng sân khấu", slots=6) -> VolunteerRole:
    return VolunteerRole.objects.create(school_id=event.school_id, event=event, name=name, slots=slots)


def photo_make(event, by, *, children=(), caption="") -> EventPhoto:
    """A ready photo in the event's gallery, tagged with these children."""
    from mediafiles.models import Audience, Kind, MediaFile, State

    media = MediaFile.objects.create(
        school_id=event.school_id,
        uploaded_by=by,
        audience=Audience.STAFF,
        kind=Kind.IMAGE,
        state=State.READY,
        original_name="trung-thu.jpg",
        content_type="image/jpeg",
        size=1000,
        received=1000,
        original=f"schools/{event.school_id}/trung-thu.jpg",
    )
    photo = EventPhoto.objects.create(school_id=event.school_id, event=event, media=media, caption=caption, added_by=by)
    photo.children.set(children)
    return photo


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """The people read English: messages are asserted in those words (import into each test module)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
