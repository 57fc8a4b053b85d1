"""What the messages cost and whom they reached, month by month: plain figures for the admin and for reports.

Everything is counted from the deliveries in one aggregate query. Only messages that went out
(`sent`) cost money; the prices are the operator's estimates from settings, read at each call so
that a changed price shows at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from notifications.models import Channel, Delivery
from schools.models import School
from schools.policies import leader_school_ids

State = Delivery.State


@dataclass(frozen=True)
class Prices:
    """What one message costs on each channel, in đồng."""

    sms: int
    zalo: int
    email: int


@dataclass(frozen=True)
class MonthReach:
    """The messages of one month (`month` is its first day in the schools' time zone; None for a total)."""

    month: datetime.date | None
    email_sent: int = 0
    sms_sent: int = 0
    zalo_sent: int = 0
    # SMS sent because Zalo could not reach the person (counted in sms_sent too).
    sms_fallbacks: int = 0
    zalo_delivered: int = 0
    zalo_read: int = 0
    given_up: int = 0
    # The given-up ones (in given_up too) by channel.
    email_given_up: int = 0
    sms_given_up: int = 0
    zalo_given_up: int = 0
    unclear: int = 0
    cost_vnd: int = 0
    zalo_saved_vnd: int = 0

    @property
    def sent(self) -> int:
        return self.email_sent + self.sms_sent + self.zalo_sent

    @property
    def zalo_share(self) -> int | None:
        """Zalo's part of the phone messages (Zalo and SMS) in whole per cent; None when there were none."""
        phone = self.zalo_sent + self.sms_sent
        if not phone:
            return None
        return (200 * self.zalo_sent + phone) // (2 * phone)  # rounded half up, in integers


# The counts, each a conditional Count over the same rows.
_SENT = Q(state=State.SENT)
_COUNTS = {
    "email_sent": _SENT & Q(channel=Channel.EMAIL),
    "sms_sent": _SENT & Q(channel=Channel.SMS),
    "zalo_sent": _SENT & Q(channel=Channel.ZALO),
    "sms_fallbacks": _SENT & Q(channel=Channel.SMS, fallback=True),
    "zalo_delivered": Q(channel=Channel.ZALO, delivered_at__isnull=False),
    "zalo_read": Q(channel=Channel.ZALO, seen_at__isnull=False),
    "given_up": Q(state=State.GIVEN_UP),
    "email_given_up": Q(state=State.GIVEN_UP, channel=Channel.EMAIL),
    "sms_given_up": Q(state=State.GIVEN_UP, channel=Channel.SMS),
    "zalo_given_up": Q(state=State.GIVEN_UP, channel=Channel.ZALO),
    "unclear": Q(state=State.UNCLEAR),
}


def reach_prices() -> Prices:
    """The prices set by the operator (settings NOTIFY_PRICE_*_VND)."""
    return Prices(
        sms=int(settings.NOTIFY_PRICE_SMS_VND),
        zalo=int(settings.NOTIFY_PRICE_ZALO_VND),
        email=int(settings.NOTIFY_PRICE_EMAIL_VND),
    )


def _month_starts(now: datetime.datetime, months: int) -> list[datetime.date]:
    """The first days of the last `months` months, oldest first, the month of `now` last."""
    local = timezone.localtime(now, timezone.get_current_timezone()).date()
    index = local.year * 12 + local.month - 1
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _as_month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_current_timezone())
        return value.date().replace(day=1)
    return value.replace(day=1)


def _priced(month: datetime.date | None, counts: dict[str, int], prices: Prices) -> MonthReach:
    cost = counts["sms_sent"] * prices.sms + counts["zalo_sent"] * prices.zalo + counts["email_sent"] * prices.email
    saved = counts["zalo_sent"] * (prices.sms - prices.zalo)
    return MonthReach(month=month, cost_vnd=cost, zalo_saved_vnd=saved, **counts)


def reach_by_month(
    *, school_ids: list[int] | None, months: int = 12, now: datetime.datetime | None = None
) -> list[MonthReach]:
    """The figures of each of the last `months` months (oldest first, a month without messages as zeros).

    `school_ids`: the schools whose notices count; None counts every delivery, the notices of no
    school (account messages) included: that is the superuser's whole view.
    """
    if months < 1:
        return []
    now = now or timezone.now()
    starts = _month_starts(now, months)
    last = starts[-1]
    after_last = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    deliveries = Delivery.objects.filter(created_at__gte=_midnight(starts[0]), created_at__lt=_midnight(after_last))
    if school_ids is not None:
        deliveries = deliveries.filter(notice__school_id__in=list(school_ids))
    rows = (
        deliveries.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in _COUNTS.items()})
        .order_by("month")
    )
    found = {_as_month(row.pop("month")): row for row in rows}
    prices = reach_prices()
    zeros = dict.fromkeys(_COUNTS, 0)
    return [_priced(start, found.get(start, zeros), prices) for start in starts]


def reach_by_school(
    *, school_ids: list[int], since: datetime.datetime, until: datetime.datetime
) -> dict[int, MonthReach]:
    """The figures of each school's deliveries made in [since, until), priced (its `month` is None); one
    query whatever the number of schools, and a school without deliveries is left out."""
    rows = (
        Delivery.objects.filter(created_at__gte=since, created_at__lt=until, notice__school_id__in=list(school_ids))
        .values("notice__school_id")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in _COUNTS.items()})
        .order_by()
    )
    prices = reach_prices()
    return {row.pop("notice__school_id"): _priced(None, row, prices) for row in rows}


def reach_total(months: list[MonthReach]) -> MonthReach:
    """The sum of some months' figures (its `month` is None)."""
    numbers = [field.name for field in fields(MonthReach) if field.name != "month"]
    return MonthReach(month=None, **{name: sum(getattr(m, name) for m in months) for name in numbers})


def reach_schools(*, user) -> QuerySet[School]:
    """The schools whose figures a person may see: a superuser every school, a leader their own."""
    schools = School.objects.order_by("name", "pk").only("pk", "name")
    if getattr(user, "is_superuser", False):
        return schools
    return schools.filter(pk__in=leader_school_ids(user))
