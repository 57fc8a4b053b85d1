"""Community, events: URLs (merged into tests/test_authorization_matrix.py).

The objects: Sao Mai's Mid-Autumn festival for the whole school, next week. Its invited families are the
guardians of a child still at Sao Mai (parent, other parent); its organisers the leaders; the teachers of
its classes (every class, for the whole school) see it and keep its gallery. The nurse, the accountant,
the kitchen, family viewers, officers and other schools have nothing to do with it.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import SCOPED, Entry, expect

TITLE = "Vui Tết Trung thu"
VIEWERS = expect(parents=404, parent=200, other_parent=200, school_teachers=200, leaders=200)
FAMILIES_POST = expect(parent="redirect", other_parent="redirect")
ORGANISERS = expect(leaders=200)


def _festival(w: World):
    from tests.community.factories_events import event_make, role_make

    event = event_make(w.school, whole_school=True, title=TITLE, by=w.principal)
    event.stage = role_make(event, name="Dựng sân khấu", slots=6)
    return event


def _festival_signed_up(w: World):
    from community.models import VolunteerSignup

    event = _festival(w)
    VolunteerSignup.objects.create(school=w.school, role=event.stage, guardian=w.parent)
    return event


def _photo(w: World):
    from tests.community.factories_events import photo_make

    event = _festival(w)
    event.photo = photo_make(event, w.teacher)
    return event


def _events(w: World):
    from community.models import Event

    return list(Event.objects.values_list("title", flat=True))


def _places(w: World):
    from community.models import Event

    return list(Event.objects.values_list("place", flat=True))


def _cancelled(w: World):
    from community.models import Event

    return list(Event.objects.values_list("cancel_reason", flat=True))


def _festival_moved(w: World) -> dict:
    from django.utils import timezone

    event = w.made
    return {
        "title": event.title,
        "kind": event.kind,
        "starts_at": f"{timezone.localtime(event.starts_at):%Y-%m-%dT%H:%M}",
        "ends_at": f"{timezone.localtime(event.ends_at):%Y-%m-%dT%H:%M}",
        "place": "Hội trường",
    }


def _answers(w: World):
    from community.models import EventAnswer

    return sorted(EventAnswer.objects.values_list("guardian_id", "people"))


def _roles(w: World):
    from community.models import VolunteerRole

    return sorted(VolunteerRole.objects.values_list("name", "slots"))


def _signups(w: World):
    from community.models import VolunteerSignup

    return sorted(VolunteerSignup.objects.values_list("role_id", "guardian_id"))


def _photos(w: World):
    from community.models import EventPhoto

    return EventPhoto.objects.count()


def _tags(w: World):
    return sorted(w.made.photo.children.values_list("pk", flat=True))


def _next_week(w: World) -> dict:
    import datetime

    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=7)
    return {
        "title": "Tiết dạy mẫu",
        "kind": "demonstration_lesson",
        "starts_at": f"{day:%Y-%m-%d}T08:00",
        "ends_at": f"{day:%Y-%m-%d}T09:00",
        "place": "Phòng Lá 1",
        "classrooms": [w.classroom.pk],
    }


MATRIX: dict[str, Entry | list[Entry]] = {
    "events/": Entry("/events/", expect(others=200)),
    "events/schools/<slug:slug>/new/": [
        Entry("/events/schools/sao-mai/new/", expect(leaders=200, school_teachers=200), shows="Sao Mai"),
        Entry(
            "/events/schools/sao-mai/new/",
            # The other teacher may plan events, but not for Lá 1: the form says so and nothing is made.
            expect(leaders="redirect", teacher="redirect", other_teacher=400),
            method="post",
            data=_next_week,
            effect=_events,
        ),
    ],
    "events/<int:event_id>/": Entry(lambda w: f"/events/{w.made.pk}/", VIEWERS, setup=_festival, shows=TITLE),
    "events/<int:event_id>/edit/": [
        Entry(lambda w: f"/events/{w.made.pk}/edit/", ORGANISERS, setup=_festival, shows=TITLE),
        Entry(
            lambda w: f"/events/{w.made.pk}/edit/",
            expect(leaders="redirect"),
            method="post",
            setup=_festival,
            data=_festival_moved,
            effect=_places,
        ),
    ],
    "events/<int:event_id>/cancel/": Entry(
        lambda w: f"/events/{w.made.pk}/cancel/",
        expect(leaders="redirect"),
        method="post",
        setup=_festival,
        data=lambda w: {"reason": "Trời mưa bão"},
        effect=_cancelled,
    ),
    "events/<int:event_id>/answer/": Entry(
        lambda w: f"/events/{w.made.pk}/answer/",
        FAMILIES_POST,
        method="post",
        setup=_festival,
        data=lambda w: {"coming": "yes", "people": "3"},
        effect=_answers,
    ),
    "events/<int:event_id>/organise/": [
        Entry(lambda w: f"/events/{w.made.pk}/organise/", ORGANISERS, setup=_festival, shows="Dựng sân khấu"),
        Entry(
            lambda w: f"/events/{w.made.pk}/organise/",
            expect(leaders="redirect"),
            method="post",
            setup=_festival,
            data=lambda w: {"name": "Nấu ăn", "slots": "4"},
            effect=_roles,
        ),
    ],
    "events/<int:event_id>/export.csv": Entry(
        lambda w: f"/events/{w.made.pk}/export.csv", ORGANISERS, setup=_festival_signed_up
    ),
    "events/<int:event_id>/export.xlsx": Entry(
        lambda w: f"/events/{w.made.pk}/export.xlsx", ORGANISERS, setup=_festival_signed_up
    ),
    "events/<int:event_id>/gallery/": [
        Entry(lambda w: f"/events/{w.made.pk}/gallery/", VIEWERS, setup=_photo, shows=TITLE),
        Entry(
            # No photo sent: the event's staff are told to upload one; families may not add photos.
            lambda w: f"/events/{w.made.pk}/gallery/",
            expect(leaders=400, school_teachers=400),
            method="post",
            setup=_photo,
            data=lambda w: {"caption": "Rước đèn"},
            effect=_photos,
        ),
    ],
    "events/roles/<int:role_id>/": Entry(
        lambda w: f"/events/roles/{w.made.stage.pk}/",
        expect(leaders="redirect"),
        method="post",
        setup=_festival,
        data=lambda w: {"action": "slots", "slots": "8"},
        effect=_roles,
    ),
    "events/roles/<int:role_id>/sign-up/": Entry(
        lambda w: f"/events/roles/{w.made.stage.pk}/sign-up/",
        FAMILIES_POST,
        method="post",
        setup=_festival,
        effect=_signups,
    ),
    "events/roles/<int:role_id>/cancel/": Entry(
        lambda w: f"/events/roles/{w.made.stage.pk}/cancel/",
        FAMILIES_POST,
        method="post",
        setup=_festival_signed_up,
        effect=_signups,
        changes_for=frozenset({"parent"}),  # the other parent is told they were not signed up
    ),
    "events/photos/<int:photo_id>/": Entry(
        lambda w: f"/events/photos/{w.made.photo.pk}/",
        expect(leaders="redirect", school_teachers="redirect"),
        method="post",
        setup=_photo,
        data=lambda w: {"action": "tag", "children": [w.child.pk]},
        effect=_tags,
    ),
}


def _event_admin(w: World):
    return _festival(w)


ADMIN_MODELS: dict = {"community/event": (SCOPED, _event_admin)}
