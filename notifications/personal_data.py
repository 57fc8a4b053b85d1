"""What the notifications hold about people: the messages they were sent, where, and how they want them."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, Notice, ReminderTally

DECLARATIONS = [
    {
        "model": "notifications.Notice",
        "holds": _("The messages the portal sent you: title, text, link, and when you read them"),
        "purpose": _("To tell you what concerns your children or your work"),
        "ground": "contract",
        "recipients": [],
        "retention": _("A year by default (the school may set another period), then removed"),
        "people": ("recipient",),
        "erase": "delete",
    },
    {
        "model": "notifications.Delivery",
        "holds": _("When a message went by e-mail, text message or Zalo, and whether it arrived"),
        "purpose": _("To send each message once and to know it arrived"),
        "ground": "contract",
        "recipients": [_("the e-mail, text-message and Zalo providers")],
        "retention": _(
            "The address or number it went to is removed once no bounce can come (a month by default); "
            "the rest goes with the message"
        ),
        "people": ("notice__recipient",),
        "erase": "delete",
    },
    {
        "model": "notifications.Preference",
        "holds": _("How you want to be told: e-mail, text message or Zalo, quiet hours, digests"),
        "purpose": _("To tell you only the way you chose"),
        "ground": "contract",
        "recipients": [],
        "retention": _("While you use the portal"),
        "people": ("user",),
        "erase": "delete",
    },
    {
        "model": "notifications.DigestRun",
        "holds": _("When your daily or weekly summary e-mail was sent"),
        "purpose": _("To send each summary once"),
        "ground": "contract",
        "recipients": [_("the e-mail provider")],
        "retention": _("While you use the portal"),
        "people": ("user",),
        "erase": "delete",
    },
    {
        "model": "notifications.ReminderTally",
        "holds": _("How many reminders about one matter you were sent, once the reminders themselves are removed"),
        "purpose": _("So that nobody is reminded more often than the school's limit"),
        "ground": "contract",
        "recipients": [],
        "retention": _("While you use the portal"),
        "people": ("recipient",),
        "erase": "delete",
    },
    {
        "model": "notifications.SmsCount",
        "holds": _("How many text messages went to a phone number in a day"),
        "purpose": _("To keep the portal's text messages from being misused to flood a number"),
        "ground": "contract",
        "recipients": [],
        "retention": _("90 days by default, then removed"),
        "erase": "keep",
    },
]

NOTICES_DAYS = 365
# Deliveries still on their way keep their address: the worker needs it.
_PENDING = (Delivery.State.QUEUED, Delivery.State.SENDING, Delivery.State.FAILED)


def _follow_up_base(dedupe_key: str) -> str | None:
    """A reminder series' key without the follow-up's number, or None for any other notice."""
    if not dedupe_key.startswith("reminder:") or "#" not in dedupe_key:
        return None
    return dedupe_key.rsplit("#", 1)[0]


def notices_purge(*, school, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Remove a school's notices (and their deliveries) older than the cutoff, counting follow-ups first."""
    with transaction.atomic():
        old = Notice.objects.filter(school=school, created_at__lt=cutoff)
        sent: dict[tuple[int, str], list] = defaultdict(lambda: [0, None])
        for recipient_id, dedupe_key, created_at in old.filter(dedupe_key__startswith="reminder:").values_list(
            "recipient_id", "dedupe_key", "created_at"
        ):
            base = _follow_up_base(dedupe_key)
            if base is not None:
                entry = sent[(recipient_id, base)]
                entry[0] += 1
                entry[1] = max(filter(None, (entry[1], created_at)))
        for (recipient_id, base), (count, last_at) in sent.items():
            tally, created = ReminderTally.objects.select_for_update().get_or_create(
                recipient_id=recipient_id, key=base, defaults={"count": count, "last_at": last_at}
            )
            if not created:
                tally.count += count
                tally.last_at = max(tally.last_at, last_at)
                tally.save(update_fields=["count", "last_at"])
        removed, _by_model = old.delete()
    return removed


def delivery_addresses_purge(*, school, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Blank the addresses and provider errors of a school's deliveries past the bounce window."""
    return (
        Delivery.objects.filter(notice__school=school, created_at__lt=cutoff)
        .exclude(state__in=_PENDING)
        .filter(~Q(address="") | ~Q(last_error=""))
        .update(address="", last_error="")
    )


RETENTION = [
    {
        "key": "notifications.notices",
        "label": _("Messages sent to families and staff"),
        "days": NOTICES_DAYS,
        "purge": notices_purge,
    },
    {
        "key": "notifications.delivery_addresses",
        "label": _("Addresses and numbers messages were sent to"),
        "days": settings.NOTIFY_BOUNCE_WINDOW_DAYS,
        "purge": delivery_addresses_purge,
    },
]
