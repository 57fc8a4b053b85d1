import datetime

from django.utils import timezone

from feedback.models import FeedbackSettings, Poll
from tests.feedback.factories import item_make
from tests.reports.conftest import assert_same_queries, figures_of


def _at(month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, 9))


def item(world, sent, *, answered=None, days=None, escalated=None, **fields):
    return item_make(
        world,
        created_at=sent,
        answer="Cảm ơn phụ huynh, nhà trường đã sửa." if answered else "",
        answered_at=answered,
        answered_by=world.principal if answered else None,
        response_working_days=days,
        escalated_at=escalated,
        **fields,
    )


def poll(world, asked, school=None):
    return Poll.objects.create(
        school=school or world.school,
        question="Ngày nào tổ chức hội chợ?",
        created_at=asked,
        closes_at=asked + datetime.timedelta(days=3),
    )


def test_items_answers_escalations_and_polls(world, third_school):
    FeedbackSettings.objects.create(school=world.school, escalation_working_days=3)
    item(world, _at(10, 2), answered=_at(10, 3), days=1)
    item(world, _at(10, 5), answered=_at(10, 14), days=5)  # late
    item(world, _at(9, 28), answered=_at(10, 1), days=3)  # September's item answered in October, at the limit
    item(world, _at(10, 10), escalated=_at(10, 16))
    item(world, _at(10, 12), route="authority", topic="staff")
    item(world, _at(11, 2))
    poll(world, _at(10, 5))
    poll(world, _at(9, 5))
    # Hoa Sen keeps the default limit of five working days.
    item(world, _at(10, 1), answered=_at(10, 8), days=4, school=world.other_school, by=world.foreign_parent)

    found = figures_of("feedback", [world.school.pk, world.other_school.pk])

    mine = {key: value for (school_id, _group, key), value in found.items() if school_id == world.school.pk}
    assert mine == {
        "received": 3,
        "answered": 3,
        "answered_in_time": 1,
        "escalated": 1,
        "sent_to_authority": 1,
        "polls": 1,
    }
    other = world.other_school.pk
    assert (found[(other, "", "answered")], found[(other, "", "answered_in_time")]) == (1, 1)
    assert found[(other, "", "polls")] == 0


def test_queries_do_not_grow_with_schools(world, third_school):
    item(world, _at(10, 2), answered=_at(10, 3), days=1)
    poll(world, _at(10, 5))
    assert assert_same_queries("feedback", world, third_school) == 2
