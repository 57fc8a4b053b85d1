import datetime
import itertools

from django.utils import timezone

from notifications.models import Delivery, Notice
from tests.reports.conftest import assert_same_queries, figures_of

State = Delivery.State
_keys = itertools.count()


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


OCT_10 = _at(datetime.date(2026, 10, 10))


def notice(recipient, school, *, created_at=OCT_10, read=False) -> Notice:
    key = f"report:{next(_keys)}"
    return Notice.objects.create(
        recipient=recipient,
        school=school,
        category="announcement",
        title=key,
        dedupe_key=key,
        created_at=created_at,
        read_at=created_at if read else None,
    )


def deliver(recipient, school, channel, state=State.SENT, created_at=OCT_10, **fields) -> Delivery:
    return Delivery.objects.create(
        notice=notice(recipient, school, created_at=created_at),
        channel=channel,
        state=state,
        created_at=created_at,
        **fields,
    )


def test_messages_by_channel_and_their_cost(world, settings, third_school):
    settings.NOTIFY_PRICE_SMS_VND = 800
    settings.NOTIFY_PRICE_ZALO_VND = 200
    settings.NOTIFY_PRICE_EMAIL_VND = 0
    school, parent = world.school, world.parent
    notice(parent, school, read=True)
    deliver(parent, school, "email")
    deliver(parent, school, "email", State.GIVEN_UP)
    deliver(parent, school, "sms", fallback=True)
    deliver(parent, school, "sms", State.GIVEN_UP)
    deliver(parent, school, "zalo", delivered_at=OCT_10, seen_at=OCT_10)
    deliver(parent, school, "zalo", delivered_at=OCT_10)
    deliver(parent, school, "zalo", State.GIVEN_UP)
    # 1 November 00:30 in the schools' time zone is still 31 October in UTC: November's all the same.
    deliver(parent, school, "sms", created_at=_at(datetime.date(2026, 11, 1), hour=0).replace(minute=30))
    deliver(parent, school, "sms", created_at=_at(datetime.date(2026, 9, 30)))
    deliver(world.foreign_parent, world.other_school, "zalo")

    found = figures_of("notifications", [school.pk, world.other_school.pk])

    mine = {key: value for (school_id, group, key), value in found.items() if school_id == school.pk}
    assert {group for (_school, group, _key) in found} == {""}
    assert mine["inapp_sent"] == 8  # one notice of its own, and the notice of each of October's 7 deliveries
    assert mine["inapp_read"] == 1
    assert (mine["email_sent"], mine["email_failed"]) == (1, 1)
    assert (mine["sms_sent"], mine["sms_fallbacks"], mine["sms_failed"]) == (1, 1, 1)
    assert (mine["zalo_sent"], mine["zalo_delivered"], mine["zalo_read"], mine["zalo_failed"]) == (2, 2, 1, 1)
    assert mine["phone_sent"] == 3
    assert mine["cost"] == 800 + 2 * 200
    assert mine["zalo_saved"] == 2 * (800 - 200)
    assert found[(world.other_school.pk, "", "zalo_sent")] == 1
    assert found[(world.other_school.pk, "", "cost")] == 200


def test_queries_do_not_grow_with_schools(world, third_school):
    deliver(world.parent, world.school, "sms")
    assert assert_same_queries("notifications", world, third_school) <= 2
