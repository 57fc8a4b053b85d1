import datetime

from django.utils import timezone

from community.models import EventAnswer, VolunteerSignup
from tests.community.factories_events import event_make, role_make
from tests.community.factories_library import LibraryLoanFactory
from tests.reports.conftest import assert_same_queries, figures_of


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def loan(world, out: datetime.date, due: datetime.date, returned: datetime.date | None = None, *, school=None):
    school = school or world.school
    child = world.child if school == world.school else world.other_school_child
    return LibraryLoanFactory(
        copy__item__school=school,
        child=child,
        borrower=world.parent,
        out_at=_at(out),
        due_on=due,
        returned_at=returned and _at(returned),
    )


def event(world, on: datetime.date, *, school=None, **extra):
    return event_make(
        school or world.school, by=world.principal, whole_school=True, starts_at=_at(on), ends_at=_at(on, 12), **extra
    )


def answer(event, guardian, coming=True, people=0):
    return EventAnswer.objects.create(
        school_id=event.school_id, event=event, guardian=guardian, coming=coming, people=people
    )


def test_loans_and_events_of_the_month(world, third_school):
    loan(world, d(10, 2), d(10, 9), d(10, 8))
    loan(world, d(10, 3), d(10, 10), d(10, 12))  # late
    loan(world, d(9, 20), d(9, 27), d(10, 1))  # September's loan, returned late in October
    loan(world, d(10, 20), d(10, 27))  # still out at the end of October: overdue
    loan(world, d(10, 25), d(11, 1))  # still out, not due yet
    loan(world, d(9, 1), d(9, 8), d(11, 3))  # overdue all October
    loan(world, d(10, 5), d(10, 6), school=world.other_school)

    festival = event(world, d(10, 15))
    stage, cooking = role_make(festival, slots=6), role_make(festival, name="Nấu chè", slots=4)
    for guardian in (world.parent, world.other_parent):
        VolunteerSignup.objects.create(school=world.school, role=stage, guardian=guardian)
    VolunteerSignup.objects.create(school=world.school, role=cooking, guardian=world.parent)
    answer(festival, world.parent, people=3)
    answer(festival, world.other_parent, coming=False)
    cancelled = event(world, d(10, 20), cancelled_at=_at(d(10, 18)), title="Hội chợ")
    role_make(cancelled, slots=5)
    answer(cancelled, world.parent, people=2)
    answer(event(world, d(11, 5), title="Ngày hội sách"), world.parent, people=2)
    answer(event(world, d(10, 10), school=world.other_school), world.foreign_parent, people=2)

    found = figures_of("community", [world.school.pk, world.other_school.pk])

    mine = {key: value for (school_id, _group, key), value in found.items() if school_id == world.school.pk}
    assert (mine["loans_made"], mine["loans_returned"], mine["returned_late"], mine["overdue"]) == (4, 3, 2, 2)
    assert mine["events_held"] == 1
    assert (mine["families_coming"], mine["people_coming"]) == (1, 3)
    assert (mine["volunteer_places"], mine["volunteer_signups"]) == (10, 3)
    other = world.other_school.pk
    assert found[(other, "", "loans_made")] == 1
    assert found[(other, "", "overdue")] == 1
    assert found[(other, "", "people_coming")] == 2
    assert {group for (_school, group, _key) in found} == {""}


def test_queries_do_not_grow_with_schools(world, third_school):
    loan(world, d(10, 2), d(10, 9), d(10, 8))
    answer(event(world, d(10, 15)), world.parent, people=3)
    assert assert_same_queries("community", world, third_school) == 5
