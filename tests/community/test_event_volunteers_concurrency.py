"""A role never takes more people than its places, and nobody twice, even when many sign up at once."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from community import services_events as services
from community.models import VolunteerRole, VolunteerSignup
from tests.community.factories_events import event_make, role_make
from tests.conftest import requires_postgres
from tests.factories import GuardianshipFactory, UserFactory


def _race(people, role) -> list[str]:
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(person):
        try:
            barrier.wait(timeout=10)
            fresh = VolunteerRole.objects.get(pk=role.pk)
            with translation.override("en"):  # the active language is the thread's own
                services.volunteer_signup(by=person, role=fresh)
            result = "signed"
        except ValidationError as exc:
            result = exc.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_eight_parents_at_once_for_six_places(world):
    requires_postgres()
    role = role_make(event_make(world.school, whole_school=True), slots=6)
    people = []
    for _n in range(8):
        person = UserFactory()
        GuardianshipFactory(child=world.other_class_child, guardian=person)
        people.append(person)
    outcomes = _race(people, role)
    assert outcomes.count("signed") == 6
    assert outcomes.count("This role is full: every place is taken.") == 2
    assert VolunteerSignup.objects.filter(role=role).count() == 6


@pytest.mark.django_db(transaction=True)
def test_the_same_parent_twice_at_once_is_signed_up_once(world):
    requires_postgres()
    role = role_make(event_make(world.school, whole_school=True), slots=6)
    outcomes = _race([world.parent, world.parent, world.parent], role)
    assert outcomes.count("signed") == 1
    assert outcomes.count("You have already signed up for this role.") == 2
    assert VolunteerSignup.objects.filter(role=role).count() == 1
