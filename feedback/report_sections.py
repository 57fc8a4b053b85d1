"""The school report's section on the feedback box and polls (see reports.sections for the contract).

Counts only, never a text nor a sender. Items sent to the school count in the month they were sent,
their answers in the month they were answered. An answer is in time when it came before the item
would have gone to the authority: fewer working days (on the school's calendar, as kept on the item)
than the school's limit. Items sent straight to the authority are counted apart; the school never
sees them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from coordination.lib.days import days_between
from feedback.models import DEFAULT_ESCALATION_DAYS, FeedbackItem, FeedbackSettings, Poll, Route

ORDER = 100
TITLE = _("Feedback box and polls")
METRICS = [
    {"key": "received", "label": _("Suggestions, questions and concerns received"), "kind": "count"},
    {"key": "answered", "label": _("Answered"), "kind": "count"},
    {"key": "answered_in_time", "label": _("Answered within the school's limit"), "kind": "count"},
    {"key": "escalated", "label": _("Sent on to the authority unanswered"), "kind": "count"},
    {"key": "sent_to_authority", "label": _("Concerns sent straight to the authority"), "kind": "count"},
    {"key": "polls", "label": _("Polls asked"), "kind": "count"},
]
RATES = [
    {
        "key": "answered_in_time_rate",
        "label": _("Answered within the school's limit"),
        "numerator": "answered_in_time",
        "denominator": "answered",
    },
]


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, "", metric, value) for the items and polls of start..end: two queries."""
    since, until = days_between(start, end)
    limit = Coalesce(
        Subquery(
            FeedbackSettings.objects.filter(school_id=OuterRef("school_id")).values("escalation_working_days")[:1]
        ),
        Value(DEFAULT_ESCALATION_DAYS),
        output_field=IntegerField(),
    )
    to_school = Q(route=Route.SCHOOL)
    sent = Q(created_at__gte=since, created_at__lt=until)
    answered = to_school & Q(answered_at__gte=since, answered_at__lt=until)
    escalated = Q(escalated_at__gte=since, escalated_at__lt=until)
    rows = (
        FeedbackItem.objects.filter(Q(school_id__in=list(school_ids)) & (sent | answered | escalated))
        .values("school_id")
        .annotate(
            received=Count("pk", filter=sent & to_school),
            answered=Count("pk", filter=answered),
            answered_in_time=Count("pk", filter=answered & Q(response_working_days__lt=limit)),
            escalated=Count("pk", filter=escalated),
            sent_to_authority=Count("pk", filter=sent & Q(route=Route.AUTHORITY)),
        )
        .order_by()
    )
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        totals[row.pop("school_id")].update(row)
    polls = Poll.objects.filter(school_id__in=list(school_ids), created_at__gte=since, created_at__lt=until)
    for row in polls.values("school_id").annotate(n=Count("pk")).order_by():
        totals[row["school_id"]]["polls"] = row["n"]
    for school_id, values in totals.items():
        for metric in METRICS:
            yield school_id, "", metric["key"], values[metric["key"]]
