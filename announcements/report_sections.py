"""The school report's section on announcements (see reports.sections for the contract).

A month's announcements are those published in it. The families reached are the guardians who were
told when it was published (each got one notice of it); read and acknowledged count those guardians'
receipts, whenever they came, and acknowledgements only for announcements that asked for them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from announcements.models import Announcement, AnnouncementReceipt
from announcements.services import ANNOUNCEMENT_DEDUPE_PREFIX
from coordination.lib.days import days_between
from notifications.models import Category, Notice

ORDER = 40
TITLE = _("Announcements")
METRICS = [
    {"key": "published", "label": _("Announcements published"), "kind": "count"},
    {"key": "families_reached", "label": _("Guardians told"), "kind": "count"},
    {"key": "read", "label": _("Guardians who read them"), "kind": "count"},
    {"key": "asked_to_acknowledge", "label": _("Guardians asked to confirm"), "kind": "count"},
    {"key": "acknowledged", "label": _("Guardians who confirmed"), "kind": "count"},
]
RATES = [
    {"key": "read_rate", "label": _("Read"), "numerator": "read", "denominator": "families_reached"},
    {
        "key": "acknowledged_rate",
        "label": _("Confirmed"),
        "numerator": "acknowledged",
        "denominator": "asked_to_acknowledge",
    },
]


def _key(field: str):
    return Concat(Value(ANNOUNCEMENT_DEDUPE_PREFIX), Cast(field, CharField()), output_field=CharField())


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, "", metric, value) for the announcements published start..end: three queries."""
    since, until = days_between(start, end)
    published = Announcement.objects.filter(
        school_id__in=list(school_ids), published_at__gte=since, published_at__lt=until
    )
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in published.values("school_id").annotate(n=Count("pk")).order_by():
        totals[row["school_id"]]["published"] = row["n"]

    keys = published.annotate(key=_key("pk")).values("key")
    asking = published.filter(requires_acknowledgement=True).annotate(key=_key("pk")).values("key")
    told = (
        Notice.objects.filter(school_id__in=list(school_ids), category=Category.ANNOUNCEMENT, dedupe_key__in=keys)
        .values("school_id")
        .annotate(told=Count("pk"), asked=Count("pk", filter=Q(dedupe_key__in=asking)))
        .order_by()
    )
    for row in told:
        totals[row["school_id"]]["families_reached"] = row["told"]
        totals[row["school_id"]]["asked_to_acknowledge"] = row["asked"]

    # Only the guardians who were told: one who joined later may read it, but was not reached.
    was_told = Notice.objects.filter(recipient_id=OuterRef("guardian_id"), dedupe_key=_key(OuterRef("announcement_id")))
    receipts = (
        AnnouncementReceipt.objects.filter(announcement__in=published)
        .filter(Exists(was_told))
        .values("school_id")
        .annotate(
            read=Count("pk"),
            acknowledged=Count(
                "pk", filter=Q(acknowledged_at__isnull=False, announcement__requires_acknowledgement=True)
            ),
        )
        .order_by()
    )
    for row in receipts:
        totals[row["school_id"]]["read"] = row["read"]
        totals[row["school_id"]]["acknowledged"] = row["acknowledged"]

    for school_id, values in totals.items():
        for metric in METRICS:
            yield school_id, "", metric["key"], values[metric["key"]]
