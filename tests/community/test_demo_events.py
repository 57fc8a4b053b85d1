"""The events part of the demo: an upcoming Mid-Autumn festival with volunteer roles partly filled (set up
the stage: 6 places), a demonstration lesson in Lá 1 with answers; run twice, it adds nothing."""

from __future__ import annotations

import random

import pytest

from community import demo_events
from community.models import Event, EventAnswer, VolunteerRole, VolunteerSignup
from coordination.lib import demo as demo_steps
from schools.models import school_today

pytestmark = pytest.mark.django_db


def run(*names):
    cache: dict = {}
    for step in demo_steps.steps_in_order():
        if step.name in names:
            step.run(demo_steps.DemoContext(rng=random.Random(f"demo:{step.name}"), log=lambda _m: None, cache=cache))


def counts():
    return (
        Event.objects.count(),
        VolunteerRole.objects.count(),
        VolunteerSignup.objects.count(),
        EventAnswer.objects.count(),
    )


def test_the_events_demo():
    run("schools", "families", "community")
    festival = Event.objects.get(title=demo_events.FESTIVAL)
    assert festival.whole_school and festival.starts_at.date() > school_today()
    stage = VolunteerRole.objects.get(event=festival, name="Dựng sân khấu")
    assert stage.slots == 6 and 0 < stage.signups.count() < 6
    lesson = Event.objects.get(title=demo_events.LESSON)
    assert lesson.kind == "demonstration_lesson"
    assert [c.name for c in lesson.classrooms.all()] == ["Lá 1"]
    assert lesson.answers.filter(coming=True).exists() and lesson.answers.filter(coming=False).exists()
    # The demo parent is left to answer and sign up themselves.
    assert not VolunteerSignup.objects.filter(guardian__email="parent@saomai.test").exists()
    open_day = Event.objects.get(title=demo_events.OPEN_DAY)
    photos = {p.caption: sorted(c.full_name for c in p.children.all()) for p in open_day.photos.all()}
    assert photos["Bé Khôi rước đèn"] == ["Nguyễn Minh Khôi"] and photos["Sân khấu trước giờ diễn"] == []
    assert all(p.media.state == "ready" for p in open_day.photos.all())
    first = counts()
    run("community")
    assert counts() == first
