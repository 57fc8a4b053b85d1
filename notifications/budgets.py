"""How many text messages may go: a budget per kind of message, counted in the database before sending.

Two kinds, each with its own budgets (settings; 0 switches one off):

- ACCOUNT: texts that anyone can cause without being a verified member: a
  sign-up or phone-verification code, a sign-in code, "this number already
  has an account". Per number per day (SMS_ACCOUNT_PER_NUMBER_DAY), per IP
  address per hour (SMS_ACCOUNT_PER_IP_HOUR: a parents' meeting signs up
  on one Wi-Fi) and all together per day (SMS_ACCOUNT_PER_DAY).
- NOTICE: notices to members (pick-up notices, announcements, reminders),
  per person per day (SMS_NOTICE_PER_PERSON_DAY). The ACCOUNT budgets never
  hold these back.

A text takes one unit from each of its budgets in one transaction, each
with a conditional upsert (INSERT … ON CONFLICT DO UPDATE … WHERE sent <
limit … RETURNING), so that any number of web and worker processes never
let more through than the limit; if one budget refuses, the units taken from
the others are given back (the transaction rolls back). A refusal is counted
on the budget that refused. Days are the schools' days (Asia/Ho_Chi_Minh).
The superuser sees the counts in the admin (SmsCount).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection as database
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import SmsCount

Kind = SmsCount.Kind
Scope = SmsCount.Scope

# What the person who asked for the text is told, on the page they were on.
REFUSED_MESSAGES = {
    Scope.NUMBER: _(
        "Too many text messages have been sent to this number today. "
        "Try again tomorrow, or use an e-mail address instead."
    ),
    Scope.IP: _(
        "Too many text messages have been asked for from your network in the last hour. "
        "Try again later, or use an e-mail address instead."
    ),
    Scope.ALL: _(
        "The portal has sent as many sign-up and sign-in text messages as it may today. "
        "Try again tomorrow, or use an e-mail address instead."
    ),
    Scope.PERSON: _("Too many text messages have been sent to this person today."),
}


class SmsBudgetExceeded(Exception):
    """A text was refused: one of its budgets is spent. Already counted."""

    def __init__(self, budget: Budget):
        super().__init__(
            f"{budget.kind} text refused: {budget.scope} budget of {budget.limit} spent ({budget.setting})"
        )
        self.budget = budget

    @property
    def scope(self) -> str:
        return self.budget.scope

    @property
    def message(self):
        """What to tell the person, in their language (a lazy string)."""
        return REFUSED_MESSAGES[self.budget.scope]


@dataclass(frozen=True)
class Budget:
    kind: str
    scope: str
    key: str
    period_start: datetime.datetime
    limit: int
    setting: str


def _day_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now, timezone.get_default_timezone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _hour_start(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now, timezone.get_default_timezone())
    return local.replace(minute=0, second=0, microsecond=0)


def _budgets(
    *, kind: str, number: str = "", ip: str = "", person_id: int | None = None, now: datetime.datetime
) -> list[Budget]:
    """The budgets a text of this kind takes from, in a fixed order (so that two transactions never deadlock)."""
    day = _day_start(now)
    if kind == Kind.NOTICE:
        if person_id is None:
            return []
        return [
            Budget(
                kind, Scope.PERSON, str(person_id), day, settings.SMS_NOTICE_PER_PERSON_DAY, "SMS_NOTICE_PER_PERSON_DAY"
            )
        ]
    budgets = []
    if number:
        budgets.append(
            Budget(kind, Scope.NUMBER, number, day, settings.SMS_ACCOUNT_PER_NUMBER_DAY, "SMS_ACCOUNT_PER_NUMBER_DAY")
        )
    if ip:
        budgets.append(
            Budget(
                kind, Scope.IP, ip[:64], _hour_start(now), settings.SMS_ACCOUNT_PER_IP_HOUR, "SMS_ACCOUNT_PER_IP_HOUR"
            )
        )
    budgets.append(Budget(kind, Scope.ALL, "", day, settings.SMS_ACCOUNT_PER_DAY, "SMS_ACCOUNT_PER_DAY"))
    return [budget for budget in budgets if budget.limit > 0]


def _upsert(budget: Budget, *, sent: int, refused: int, update: str, condition: str = "", extra=()) -> list:
    # Only the table's and columns' names and placeholders go into the text; values are parameters.
    quote = database.ops.quote_name
    table = quote(SmsCount._meta.db_table)
    columns = ", ".join(quote(name) for name in ["kind", "scope", "key", "period_start", "sent", "refused"])
    target = ", ".join(quote(name) for name in ["kind", "scope", "key", "period_start"])
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({target}) DO UPDATE SET {update} {condition} RETURNING {quote('sent')}"
    )
    at = database.ops.adapt_datetimefield_value(budget.period_start)
    with database.cursor() as cursor:
        cursor.execute(sql, [budget.kind, budget.scope, budget.key, at, sent, refused, *extra])
        return cursor.fetchall()


def _take(budget: Budget) -> bool:
    """One unit of the budget, if it has one left: one statement, whatever other processes do meanwhile."""
    quote = database.ops.quote_name
    table, sent = quote(SmsCount._meta.db_table), quote("sent")
    rows = _upsert(
        budget,
        sent=1,
        refused=0,
        update=f"{sent} = {table}.{sent} + 1",
        condition=f"WHERE {table}.{sent} < %s",
        extra=[budget.limit],
    )
    return bool(rows)


def _refusal_count(budget: Budget) -> None:
    quote = database.ops.quote_name
    table, refused = quote(SmsCount._meta.db_table), quote("refused")
    _upsert(budget, sent=0, refused=1, update=f"{refused} = {table}.{refused} + 1")


class _Spent(Exception):
    def __init__(self, budget: Budget):
        self.budget = budget


def sms_budget_take(
    *, kind: str, number: str = "", ip: str = "", person_id: int | None = None, now: datetime.datetime | None = None
) -> None:
    """Take one text from each budget of its kind, or raise SmsBudgetExceeded (counted) and take nothing."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            for budget in _budgets(kind=kind, number=number, ip=ip, person_id=person_id, now=now):
                if not _take(budget):
                    raise _Spent(budget)
    except _Spent as spent:
        _refusal_count(spent.budget)
        raise SmsBudgetExceeded(spent.budget) from None


def sms_budget_check(*, number: str = "", ip: str = "", now: datetime.datetime | None = None) -> None:
    """Raise SmsBudgetExceeded (counted) if an account text to this number, from this address, would be refused now.

    Forms ask before they change anything, so that a refused sign-up makes no
    account; sms_budget_take, when the text is made, is what holds the line.
    """
    now = now or timezone.now()
    budgets = _budgets(kind=Kind.ACCOUNT, number=number, ip=ip, now=now)
    if not budgets:
        return
    match = Q(pk__in=[])
    for budget in budgets:
        match |= Q(kind=budget.kind, scope=budget.scope, key=budget.key, period_start=budget.period_start)
    sent = {
        (row.scope, row.key, row.period_start): row.sent
        for row in SmsCount.objects.filter(match).only("scope", "key", "period_start", "sent")
    }
    for budget in budgets:
        if sent.get((budget.scope, budget.key, budget.period_start), 0) >= budget.limit:
            _refusal_count(budget)
            raise SmsBudgetExceeded(budget)


def sms_counts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the counts older than SMS_COUNTS_KEEP_DAYS; returns how many."""
    now = now or timezone.now()
    cutoff = _day_start(now) - datetime.timedelta(days=settings.SMS_COUNTS_KEEP_DAYS)
    deleted, _by_model = SmsCount.objects.filter(period_start__lt=cutoff).delete()
    return deleted
