"""What an e-mail provider reports after it took a message: bounces, rejections, failures.

With a provider's backend from django-anymail (EMAIL_BACKEND=anymail.backends.…)
a message can be refused long after the portal recorded it as sent: the
family's server bounces it, or the provider refuses an address it has
suppressed. The provider tells through a webhook (anymail's, under
/email/events/, switched on by ANYMAIL_WEBHOOK_SECRET), anymail turns it into
a tracking event, and `tracking_event_record` records it on the delivery the
message carried in its metadata: given up for a bounce or a rejection (the
address does not take mail; trying again would only hurt the school's
sender reputation), tried again with backoff for a failure on the provider's
side, and only noted for a delay (the provider keeps trying).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery

logger = logging.getLogger(__name__)

State = Delivery.State

# Anymail's normalised event types (anymail.signals.EventType), as plain strings.
GIVE_UP = {"bounced", "rejected"}
TRY_AGAIN = {"failed"}
NOTE = {"deferred", "complained"}
METADATA_KEY = "delivery"


def message_metadata(delivery: Delivery) -> dict[str, str]:
    """What a notice e-mail carries for its provider, to come back with the provider's events."""
    return {METADATA_KEY: str(delivery.pk)}


def _reason(event) -> str:
    parts = [event.event_type, event.reject_reason, event.description, event.mta_response]
    text = ": ".join(str(part) for part in parts if part)
    return f"reported by the e-mail provider: {text}"[:2000]


def tracking_event_record(event) -> Delivery | None:
    """Record a provider's event on the delivery it is about; None when it is about none of ours."""
    from notifications.channels import delivery_address  # channels imports this module
    from notifications.services import retry_delay

    if event.event_type not in GIVE_UP | TRY_AGAIN | NOTE:
        return None
    try:
        pk = int((event.metadata or {}).get(METADATA_KEY, ""))
    except (TypeError, ValueError):
        return None
    reason = _reason(event)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=pk, channel="email").first()
        if delivery is None:
            return None
        recipient = (event.recipient or "").strip().lower()
        if recipient and recipient != (delivery_address(delivery) or "").lower():
            logger.warning("e-mail event for delivery %s names another recipient; ignored", pk)
            return None
        if event.event_type in NOTE or delivery.state != State.SENT:
            # A delay, a spam report, or news of a delivery already being tried again.
            Delivery.objects.filter(pk=pk).update(last_error=reason)
        elif event.event_type in GIVE_UP or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=pk).update(state=State.GIVEN_UP, last_error=reason, claimed_at=None)
        else:
            Delivery.objects.filter(pk=pk).update(
                state=State.FAILED,
                last_error=reason,
                claimed_at=None,
                sent_at=None,
                not_before=timezone.now() + datetime.timedelta(seconds=retry_delay(delivery.attempts)),
            )
    delivery.refresh_from_db()
    logger.info("delivery %s: %s", pk, reason)
    return delivery


def tracking_received(sender, event, esp_name, **kwargs) -> None:
    """anymail.signals.tracking's receiver."""
    tracking_event_record(event)
