"""How a notice leaves the portal: one function per channel, and the digest e-mail.

Each sender raises DeliveryError with a readable reason; the caller records it
on the delivery and decides whether to try again.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from notifications.models import Channel, Delivery, DigestRun, Notice
from notifications.sms import SmsError, sms_gateway

# A Vietnamese text message (UCS-2) holds 70 characters a segment: keep it to
# a few segments and send the rest by link.
SMS_MAX_CHARS = 300


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def user_language(user) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _email_context(user, **extra) -> dict:
    return {
        "user": user,
        "site_url": settings.SITE_URL,
        "notices_url": settings.SITE_URL + reverse("notifications:list"),
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "LANGUAGE_CODE": translation.get_language(),
        **extra,
    }


def _email(*, user, template: str, context: dict, message_id: str) -> EmailMultiAlternatives:
    with translation.override(user_language(user)):
        context = _email_context(user, **context)
        subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", context).split())
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
        language = translation.get_language()
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={"Message-ID": message_id, "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def notice_email(*, delivery: Delivery) -> EmailMultiAlternatives:
    notice = delivery.notice
    return _email(user=notice.recipient, template="notice", context={"notice": notice}, message_id=delivery.message_id)


def digest_email(*, user, run: DigestRun, notices: Sequence[Notice]) -> EmailMultiAlternatives:
    return _email(
        user=user,
        template="digest",
        context={"notices": notices, "count": len(notices), "run": run},
        message_id=run.message_id,
    )


def sms_text(notice: Notice) -> str:
    link = notice.absolute_url
    room = SMS_MAX_CHARS - (len(link) + 1 if link else 0)
    text = notice.title if not notice.body else f"{notice.title}: {notice.body}"
    text = Truncator(" ".join(text.split())).chars(room)
    return f"{text} {link}" if link else text


def email_deliver(delivery: Delivery) -> None:
    if not delivery.notice.recipient.email:
        raise DeliveryError("the person has no e-mail address any more", permanent=True)
    try:
        notice_email(delivery=delivery).send()
    except Exception as exc:  # SMTP, DNS, a provider's API: every failure is recorded and retried
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from exc


def sms_deliver(delivery: Delivery) -> None:
    recipient = delivery.notice.recipient
    if not recipient.phone or not recipient.phone_verified:
        raise DeliveryError("the person has no verified phone number any more", permanent=True)
    try:
        sms_gateway().send(to=recipient.phone, body=sms_text(delivery.notice))
    except SmsError as exc:
        raise DeliveryError(str(exc), permanent=exc.permanent) from exc
    except Exception as exc:  # a third-party gateway class may raise anything
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from exc


SENDERS = {Channel.EMAIL: email_deliver, Channel.SMS: sms_deliver}


def deliver(delivery: Delivery) -> None:
    """Send one delivery through its channel, or raise DeliveryError."""
    SENDERS[delivery.channel](delivery)
