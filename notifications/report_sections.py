"""The school report's section on messages to families (see reports.sections for the contract).

A month's messages are the notices made in it (what each person sees in the portal) and their
deliveries by e-mail, SMS and Zalo, with what they cost: the same figures as the messages' page of
the admin (notifications.reach), per school. A message "failed" when the portal gave up on it; Zalo
alone reports delivery and reading, so e-mail and SMS have no such figures.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from coordination.lib.days import days_between
from notifications.models import Notice
from notifications.reach import reach_by_school

ORDER = 90
TITLE = _("Messages to families")
METRICS = [
    {"key": "inapp_sent", "label": _("Messages in the portal"), "kind": "count"},
    {"key": "inapp_read", "label": _("Messages read in the portal"), "kind": "count"},
    {"key": "email_sent", "label": _("E-mails sent"), "kind": "count"},
    {"key": "email_failed", "label": _("E-mails that failed"), "kind": "count"},
    {"key": "sms_sent", "label": _("SMS sent"), "kind": "count"},
    {"key": "sms_fallbacks", "label": _("SMS sent because Zalo could not reach the person"), "kind": "count"},
    {"key": "sms_failed", "label": _("SMS that failed"), "kind": "count"},
    {"key": "zalo_sent", "label": _("Zalo messages sent"), "kind": "count"},
    {"key": "zalo_delivered", "label": _("Zalo messages delivered"), "kind": "count"},
    {"key": "zalo_read", "label": _("Zalo messages read"), "kind": "count"},
    {"key": "zalo_failed", "label": _("Zalo messages that failed"), "kind": "count"},
    {"key": "phone_sent", "label": _("Messages to phones (SMS and Zalo)"), "kind": "count"},
    {"key": "cost", "label": _("Estimated cost"), "kind": "money"},
    {"key": "zalo_saved", "label": _("Saved by sending Zalo instead of SMS"), "kind": "money"},
]
RATES = [
    {
        "key": "inapp_read_rate",
        "label": _("Read in the portal"),
        "numerator": "inapp_read",
        "denominator": "inapp_sent",
    },
    {
        "key": "zalo_share",
        "label": _("Zalo's share of phone messages"),
        "numerator": "zalo_sent",
        "denominator": "phone_sent",
    },
    {
        "key": "zalo_delivered_rate",
        "label": _("Zalo messages delivered"),
        "numerator": "zalo_delivered",
        "denominator": "zalo_sent",
    },
]

# metric -> MonthReach's field
_REACH = {
    "email_sent": "email_sent",
    "email_failed": "email_given_up",
    "sms_sent": "sms_sent",
    "sms_fallbacks": "sms_fallbacks",
    "sms_failed": "sms_given_up",
    "zalo_sent": "zalo_sent",
    "zalo_delivered": "zalo_delivered",
    "zalo_read": "zalo_read",
    "zalo_failed": "zalo_given_up",
    "cost": "cost_vnd",
    "zalo_saved": "zalo_saved_vnd",
}


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, "", metric, value) for the messages made start..end: two queries."""
    since, until = days_between(start, end)
    notices = (
        Notice.objects.filter(school_id__in=list(school_ids), created_at__gte=since, created_at__lt=until)
        .values("school_id")
        .annotate(sent=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
        .order_by()
    )
    for row in notices:
        yield row["school_id"], "", "inapp_sent", row["sent"]
        yield row["school_id"], "", "inapp_read", row["read"]
    for school_id, reach in reach_by_school(school_ids=school_ids, since=since, until=until).items():
        for key, name in _REACH.items():
            yield school_id, "", key, getattr(reach, name)
        yield school_id, "", "phone_sent", reach.sms_sent + reach.zalo_sent
