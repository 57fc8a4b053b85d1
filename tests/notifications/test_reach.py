"""The cost and reach figures (notifications.reach): counted from the deliveries, month by month, per school."""

from __future__ import annotations

import datetime
import itertools

import pytest

from notifications.models import Delivery, Notice
from notifications.reach import MonthReach, reach_by_month, reach_total
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db
State = Delivery.State
NOW = at(2026, 3, 20, 10, 0)
_keys = itertools.count()


def deliver(recipient, school, channel, state=State.SENT, created_at=None, **fields) -> Delivery:
    """One delivery of a notice of its own (a notice has at most one delivery per channel)."""
    key = f"reach:{next(_keys)}"
    notice = Notice.objects.create(
        recipient=recipient, school=school, category="announcement", title=key, dedupe_key=key
    )
    return Delivery.objects.create(
        notice=notice, channel=channel, state=state, created_at=created_at or at(2026, 3, 10, 9, 0), **fields
    )


def march(months: list[MonthReach]) -> MonthReach:
    return next(month for month in months if month.month == datetime.date(2026, 3, 1))


def test_the_figures_are_the_rows_of_the_month(world):
    school, parent = world.school, world.parent
    for _ in range(3):
        deliver(parent, school, "email")
    deliver(parent, school, "email", State.GIVEN_UP)
    deliver(parent, school, "sms")
    deliver(parent, school, "sms", fallback=True)
    deliver(parent, school, "sms", State.FAILED, fallback=True)  # not (yet) sent: neither cost nor fallback
    seen = at(2026, 3, 10, 9, 5)
    deliver(parent, school, "zalo", delivered_at=seen, seen_at=seen)
    deliver(parent, school, "zalo", delivered_at=seen, seen_at=seen)
    deliver(parent, school, "zalo", delivered_at=seen)
    deliver(parent, school, "zalo")
    deliver(parent, school, "zalo", State.UNCLEAR)

    figures = march(reach_by_month(school_ids=[school.pk], now=NOW))

    assert (figures.email_sent, figures.sms_sent, figures.zalo_sent) == (3, 2, 4)
    assert figures.sms_fallbacks == 1
    assert (figures.zalo_delivered, figures.zalo_read) == (3, 2)
    assert (figures.given_up, figures.unclear) == (1, 1)
    assert figures.zalo_share == 67  # 4 of the 6 messages to phones
    assert figures.cost_vnd == 2 * 800 + 4 * 200 + 3 * 0
    assert figures.zalo_saved_vnd == 4 * (800 - 200)


def test_the_prices_are_read_when_asked(world, settings):
    deliver(world.parent, world.school, "sms")
    deliver(world.parent, world.school, "zalo")
    deliver(world.parent, world.school, "email")
    settings.NOTIFY_PRICE_SMS_VND = 1_000
    settings.NOTIFY_PRICE_ZALO_VND = 300
    settings.NOTIFY_PRICE_EMAIL_VND = 5

    figures = march(reach_by_month(school_ids=None, now=NOW))

    assert figures.cost_vnd == 1_000 + 300 + 5
    assert figures.zalo_saved_vnd == 700


def test_twelve_months_oldest_first_with_empty_months_as_zeros(world):
    deliver(world.parent, world.school, "sms", created_at=at(2025, 4, 1, 0, 0))  # the oldest month shown
    deliver(world.parent, world.school, "sms", created_at=at(2025, 3, 31, 23, 59))  # thirteen months ago

    months = reach_by_month(school_ids=None, now=NOW)

    assert [m.month for m in months] == [datetime.date(2025 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(12)]
    assert months[0].sms_sent == 1
    assert all(m == MonthReach(month=m.month) for m in months[1:])
    assert months[-1].zalo_share is None  # neither SMS nor Zalo: no share to speak of


def test_months_are_the_schools_months(world):
    """Just before midnight on the 31st in Hà Nội is still March there, whatever the hour in UTC."""
    deliver(world.parent, world.school, "zalo", created_at=at(2026, 3, 31, 23, 30))
    deliver(world.parent, world.school, "zalo", created_at=at(2026, 4, 1, 0, 30))  # 17:30 UTC on 31 March

    months = reach_by_month(school_ids=None, now=at(2026, 4, 2))

    assert [(m.month, m.zalo_sent) for m in months[-2:]] == [
        (datetime.date(2026, 3, 1), 1),
        (datetime.date(2026, 4, 1), 1),
    ]


def test_a_school_counts_its_own_notices_only(world):
    deliver(world.parent, world.school, "sms")
    deliver(world.foreign_parent, world.other_school, "sms")
    deliver(world.foreign_parent, world.other_school, "zalo")
    deliver(world.parent, None, "sms")  # a sign-in code: the account's, no school's

    assert march(reach_by_month(school_ids=[world.school.pk], now=NOW)).sms_sent == 1
    other = march(reach_by_month(school_ids=[world.other_school.pk], now=NOW))
    assert (other.sms_sent, other.zalo_sent) == (1, 1)
    assert march(reach_by_month(school_ids=[], now=NOW)).sms_sent == 0
    everything = march(reach_by_month(school_ids=None, now=NOW))
    assert (everything.sms_sent, everything.zalo_sent) == (3, 1)


def test_one_query_whatever_the_number_of_rows(world, django_assert_num_queries):
    for day in range(1, 25):
        deliver(world.parent, world.school, "zalo", created_at=at(2025, 4 + day % 9, day))

    with django_assert_num_queries(1):
        reach_by_month(school_ids=[world.school.pk], now=NOW)


def test_the_total_adds_the_months_up(world):
    deliver(world.parent, world.school, "sms", created_at=at(2026, 1, 5))
    deliver(world.parent, world.school, "zalo", created_at=at(2026, 2, 5), seen_at=at(2026, 2, 5))
    deliver(world.parent, world.school, "zalo", created_at=at(2026, 3, 5))

    total = reach_total(reach_by_month(school_ids=None, now=NOW))

    assert total.month is None
    assert (total.sms_sent, total.zalo_sent, total.zalo_read, total.sent) == (1, 2, 1, 3)
    assert total.zalo_share == 67
    assert total.cost_vnd == 800 + 2 * 200 and total.zalo_saved_vnd == 2 * 600
