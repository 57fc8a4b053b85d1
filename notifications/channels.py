"""How a notice leaves the portal: e-mail and SMS, a batch at a time, and the digest e-mail.

deliver_all sends a batch and reports each delivery's fate: sent, a
DeliveryError with a readable reason (the caller records it and decides
whether to try again), or taken over by another worker. It is given a
`commit` callable that records deliveries as sent, and calls it once a
message is as good as delivered: for e-mail through a backend with a
two-phase send (coordination.lib.mail.EmailBackend), after the message body
and before its end-of-data mark, so that a worker killed at any moment never
sends it twice; for any other e-mail backend (a provider's API, say) and for
SMS, after the backend or gateway took the message.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import smtplib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from email.utils import formatdate

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from coordination.lib.mail import MailServerUnavailable, NotAcceptedAfterCommit, NotCommitted, Outgoing
from notifications.budgets import Kind, SmsBudgetExceeded, sms_budget_take
from notifications.email_events import message_metadata
from notifications.models import ACCOUNT_TEXTS, Channel, Delivery, DigestRun, Notice
from notifications.sms import SmsError, sms_gateway

# Not a failure of the message: the task's time is up, and its caller gives
# back what it has not finished.
INTERRUPTIONS = (SoftTimeLimitExceeded,)
# A Vietnamese text message (UCS-2) holds 70 characters a segment: keep it to
# a few segments and send the rest by link.
SMS_MAX_CHARS = 300


class DeliveryError(Exception):
    """The message did not go.

    `permanent`: trying again will not help. `after_commit`: the delivery had
    already been recorded as sent. `unavailable`: no connection to the mail
    server could be opened, so the next e-mails would fail the same way.
    """

    def __init__(self, message: str, *, permanent: bool = False, after_commit: bool = False, unavailable: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.after_commit = after_commit
        self.unavailable = unavailable


def user_language(user) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _email_context(**extra) -> dict:
    return {
        "site_url": settings.SITE_URL,
        "notices_url": settings.SITE_URL + reverse("notifications:list"),
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "LANGUAGE_CODE": translation.get_language(),
        **extra,
    }


def _render(template: str, context: dict) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", context).split())
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return subject, text, html


def _message(
    *, to: str, texts: tuple[str, str, str], message_id: str, language: str, **headers: str
) -> EmailMultiAlternatives:
    subject, text, html = texts
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        headers={"Message-ID": message_id, "Content-Language": language, **headers},
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass(frozen=True)
class SchoolName:
    name: str


@dataclass(frozen=True)
class NoticeContent:
    """All that a notice e-mail shows, and nothing about the person it goes to.

    A fan-out gives thousands of people notices with the same content: their
    e-mail is rendered once per content and language. The templates get this
    instead of the Notice, so that nothing of one person (their name, their
    address) can end up in the copy rendered for another.
    """

    title: str
    body: str
    url: str
    absolute_url: str
    urgent: bool
    created_at: datetime.datetime
    school: SchoolName | None

    @classmethod
    def of(cls, notice: Notice) -> NoticeContent:
        return cls(
            title=notice.title,
            body=notice.body,
            url=notice.url,
            absolute_url=notice.absolute_url,
            urgent=notice.urgent,
            created_at=notice.created_at,
            school=SchoolName(notice.school.name) if notice.school_id else None,
        )


@functools.lru_cache(maxsize=128)
def _notice_texts(content: NoticeContent, language: str, site_url: str, zone: str) -> tuple[str, str, str]:
    with translation.override(language), timezone.override(zone):
        return _render("notice", _email_context(notice=content))


def _notice_key(notice: Notice) -> tuple:
    """What a notice e-mail's texts depend on (the links and the time shown depend on the last two)."""
    zone = timezone.get_current_timezone_name()
    return NoticeContent.of(notice), user_language(notice.recipient), settings.SITE_URL, zone


def notice_email(*, delivery: Delivery) -> EmailMultiAlternatives:
    notice = delivery.notice
    content, language, site_url, zone = _notice_key(notice)
    texts = _notice_texts(content, language, site_url, zone)
    message = _message(to=delivery_address(delivery), texts=texts, message_id=delivery.message_id, language=language)
    # A provider's backend (django-anymail) sends it along, and its bounce
    # reports come back with it (notifications.email_events).
    message.metadata = message_metadata(delivery)
    return message


# What differs from one copy of a notice e-mail to the next, as it stands in
# the copy flattened once: short ASCII values, which the e-mail package
# writes on a line of their own.
PER_COPY = {
    "To": "recipient@copy.invalid",
    "Message-ID": "<message-id@copy.invalid>",
    "Date": "date of the copy",
}


@functools.lru_cache(maxsize=64)
def _notice_flattened(
    content: NoticeContent, language: str, site_url: str, zone: str, from_email: str
) -> tuple[bytes, bytes] | None:
    """One notice e-mail flattened by Django and the e-mail package; None if it cannot serve as a pattern."""
    message = _message(
        to=PER_COPY["To"],
        texts=_notice_texts(content, language, site_url, zone),
        message_id=PER_COPY["Message-ID"],
        language=language,
        Date=PER_COPY["Date"],
    )
    message.from_email = from_email
    head, _blank, body = message.message().as_bytes(linesep="\r\n").partition(b"\r\n\r\n")
    head = b"\r\n" + head + b"\r\n"  # so that every header line reads "\r\nName: value\r\n"
    if any(head.count(_header_line(name, value)) != 1 for name, value in PER_COPY.items()):
        return None
    return head, b"\r\n" + body


def _header_line(name: str, value: str) -> bytes:
    return f"\r\n{name}: {value}\r\n".encode()


def notice_email_data(*, delivery: Delivery) -> tuple[str, bytes]:
    """The notice e-mail as it goes over SMTP: (recipient, bytes), the same message as notice_email().

    Flattening a MIME message costs more than the rest of sending it; a
    fan-out sends the same content to thousands. So each content is flattened
    once (with its texts, see _notice_texts) and each copy only gets its own
    recipient, Message-ID and date.
    """
    notice = delivery.notice
    from_email = settings.DEFAULT_FROM_EMAIL
    pattern = _notice_flattened(*_notice_key(notice), from_email)
    to = sanitize_address(delivery_address(delivery), settings.DEFAULT_CHARSET)
    if pattern is None:
        return to, notice_email(delivery=delivery).message().as_bytes(linesep="\r\n")
    head, body = pattern
    for name, value in (
        ("To", to),
        ("Message-ID", delivery.message_id),
        ("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
    ):
        head = head.replace(_header_line(name, PER_COPY[name]), _header_line(name, value), 1)
    return to, head[2:] + body  # the body keeps the blank line that ends the header


def digest_email(*, user, run: DigestRun, notices: Sequence[Notice]) -> EmailMultiAlternatives:
    language = user_language(user)
    with translation.override(language):
        texts = _render("digest", _email_context(user=user, notices=notices, count=len(notices), run=run))
    return _message(to=user.email, texts=texts, message_id=run.message_id, language=language)


def sms_text(notice: Notice) -> str:
    if notice.category in ACCOUNT_TEXTS and notice.body:
        # An account message's body is the whole text (a code, a warning);
        # its title only says what it is about.
        return notice.body
    link = notice.absolute_url
    room = SMS_MAX_CHARS - (len(link) + 1 if link else 0)
    text = notice.title if not notice.body else f"{notice.title}: {notice.body}"
    text = Truncator(" ".join(text.split())).chars(room)
    return f"{text} {link}" if link else text


def email_connection():
    """A connection of EMAIL_BACKEND for a batch of e-mails: opened at the first, closed by the caller."""
    return get_connection()


def sends_then_commits(connection) -> bool:
    return bool(getattr(connection, "supports_send_then_commit", False))


def _error(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"


def _refused_for_good(exc: BaseException) -> bool:
    """A 5xx about this message or its recipient (no such mailbox, rejected content): trying again will not help.

    A refused sender or DATA command is the portal's or the server's problem,
    not the family's: those are tried again like any other failure.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, NotAcceptedAfterCommit):
        return exc.smtp_code is not None and 500 <= exc.smtp_code < 600
    return False


def delivery_address(delivery: Delivery) -> str:
    """Where the delivery goes: the address it names, else the person's e-mail or verified number ('' if none)."""
    if delivery.address:
        return delivery.address
    recipient = delivery.notice.recipient
    if delivery.channel == Channel.EMAIL:
        return recipient.email
    # Only a number the person proved is theirs: a mistyped one would tell a
    # stranger about a child.
    return recipient.phone if recipient.phone and recipient.phone_verified else ""


def _no_address(delivery: Delivery) -> DeliveryError | None:
    if delivery_address(delivery):
        return None
    if delivery.channel == Channel.EMAIL:
        return DeliveryError("the person has no e-mail address any more", permanent=True)
    return DeliveryError("the person has no verified phone number any more", permanent=True)


# commit(deliveries, end): record those deliveries as sent, call end(pks of
# those recorded) the moment that is decided, and return those pks (the others
# were taken over by another worker).
Commit = Callable[[Sequence[Delivery], Callable[[Collection[int]], None]], Collection[int]]


def deliver_all(
    deliveries: Sequence[Delivery], *, connection, commit: Commit
) -> Iterator[tuple[Delivery, Exception | None]]:
    """Send the deliveries; yield each with None (sent), a DeliveryError, or TakenOver.

    `connection` is an e-mail connection (email_connection) for the whole
    batch. Once no connection to the mail server can be opened, the rest of
    the e-mails fail with that error without being tried one by one.
    """
    emails = [d for d in deliveries if d.channel == Channel.EMAIL]
    if emails and sends_then_commits(connection):
        yield from _emails_send_then_commit(emails, connection=connection, commit=commit)
    else:
        unavailable = None
        for delivery in emails:
            outcome = unavailable or _email_then_commit(delivery, connection=connection, commit=commit)
            if isinstance(outcome, DeliveryError) and outcome.unavailable and unavailable is None:
                unavailable = _not_tried(outcome)
            yield delivery, outcome
    for delivery in deliveries:
        if delivery.channel == Channel.SMS:
            yield delivery, _sms_then_commit(delivery, commit=commit)


def deliver(delivery: Delivery, *, connection=None, commit=None) -> None:
    """Send one delivery, or raise DeliveryError (or TakenOver); `commit` as for deliver_all (default: none)."""
    own = connection is None and delivery.channel == Channel.EMAIL
    connection = email_connection() if own else connection
    try:
        for _delivery, outcome in deliver_all([delivery], connection=connection, commit=commit or _record_nothing):
            if outcome is not None:
                raise outcome
    finally:
        if own:
            with contextlib.suppress(Exception):
                connection.close()


def _nothing_to_end(pks: Collection[int]) -> None:
    pass


def _record_nothing(deliveries: Sequence[Delivery], end: Callable[[Collection[int]], None]) -> set[int]:
    pks = {d.pk for d in deliveries}
    end(pks)
    return pks


class TakenOver(Exception):
    """The delivery was no longer this worker's when it was to be recorded as sent (its lease ran out)."""


def _not_tried(error: DeliveryError) -> DeliveryError:
    return DeliveryError(f"{error} (not tried: the mail server could not be reached)", unavailable=True)


def _emails_send_then_commit(emails: Sequence[Delivery], *, connection, commit):
    """E-mails through a two-phase backend (coordination.lib.mail): each is recorded as sent before its end."""
    sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
    unavailable = None
    size = max(1, getattr(connection, "parallel", 1))
    for start in range(0, len(emails), size):
        ready, outgoing = [], []
        for delivery in emails[start : start + size]:
            error = unavailable or _no_address(delivery)
            if error is not None:
                yield delivery, error
                continue
            try:
                to, data = notice_email_data(delivery=delivery)
            except INTERRUPTIONS:
                raise
            except Exception as exc:  # a broken template or text: this delivery's failure, not the batch's
                yield delivery, DeliveryError(_error(exc))
                continue
            ready.append(delivery)
            outgoing.append(Outgoing(sender=sender, recipients=(to,), data=data))
        if not ready:
            continue

        def commit_positions(positions: list[int], end, ready=ready) -> list[int]:
            def end_recorded(pks: Collection[int]) -> None:
                end([i for i in positions if ready[i].pk in pks])

            recorded = commit([ready[i] for i in positions], end_recorded)
            return [i for i in positions if ready[i].pk in recorded]

        results = connection.send_group_then_commit(outgoing, commit=commit_positions)
        for delivery, result in zip(ready, results, strict=True):
            outcome = outcome_of(result)
            if isinstance(outcome, DeliveryError) and outcome.unavailable:
                # Tried once, for the first; the others only shared its fate.
                if unavailable is None:
                    unavailable = _not_tried(outcome)
                else:
                    outcome = unavailable
            yield delivery, outcome


def outcome_of(result: BaseException | None) -> Exception | None:
    """What send_group_then_commit reported for one message, as deliver_all reports it."""
    if result is None:
        return None
    if isinstance(result, NotCommitted):
        # Dropped before its end: the worker that took the delivery over sends it.
        return TakenOver(str(result))
    if isinstance(result, MailServerUnavailable):
        return DeliveryError(_error(result.__cause__ or result), unavailable=True)
    if isinstance(result, NotAcceptedAfterCommit):
        return DeliveryError(_error(result), permanent=_refused_for_good(result), after_commit=True)
    return DeliveryError(_error(result), permanent=_refused_for_good(result))


def _email_then_commit(delivery: Delivery, *, connection, commit) -> Exception | None:
    """An e-mail through any other backend (a provider's API, the console, the tests' outbox).

    Such a backend tells only afterwards that it took the message, so the
    delivery is recorded as sent then: a worker killed in between sends it
    again once its lease runs out, with the same Message-ID (which receiving
    servers may use to drop the copy).
    """
    error = _no_address(delivery)
    if error is not None:
        return error
    try:
        connection.open()  # kept open for the rest of the batch
    except INTERRUPTIONS:
        raise
    except Exception as exc:
        return DeliveryError(_error(exc), unavailable=True)
    try:
        message = notice_email(delivery=delivery)
        message.connection = connection
        message.send()
    except INTERRUPTIONS:
        raise
    except Exception as exc:  # SMTP, DNS, a provider's API: every failure is recorded and retried
        # A broken connection would fail every later message of the batch: the next one opens anew.
        with contextlib.suppress(Exception):
            connection.close()
        return DeliveryError(_error(exc), permanent=_refused_for_good(exc))
    return None if delivery.pk in commit([delivery], _nothing_to_end) else TakenOver("sent, then found taken over")


def _sms_budget_refusal(delivery: Delivery) -> DeliveryError | None:
    """A notice to a member takes from the person's daily SMS budget, once (not again on a retry).

    Account messages took from theirs when they were asked for
    (services.account_message_send).
    """
    if delivery.notice.category in ACCOUNT_TEXTS or delivery.attempts > 1:
        return None
    try:
        sms_budget_take(kind=Kind.NOTICE, person_id=delivery.notice.recipient_id)
    except SmsBudgetExceeded as exc:
        return DeliveryError(
            f"the person has had as many text messages today as SMS_NOTICE_PER_PERSON_DAY allows "
            f"({exc.budget.limit}); the notice is in the portal",
            permanent=True,
        )
    return None


def _sms_then_commit(delivery: Delivery, *, commit) -> Exception | None:
    """A text message: the gateway too tells only afterwards that it took it, as other e-mail backends above."""
    error = _no_address(delivery)
    if error is not None:
        return error
    error = _sms_budget_refusal(delivery)
    if error is not None:
        return error
    try:
        sms_gateway().send(to=delivery_address(delivery), body=sms_text(delivery.notice))
    except SmsError as exc:
        return DeliveryError(str(exc), permanent=exc.permanent)
    except INTERRUPTIONS:
        raise
    except Exception as exc:  # a third-party gateway class may raise anything
        return DeliveryError(_error(exc))
    return None if delivery.pk in commit([delivery], _nothing_to_end) else TakenOver("sent, then found taken over")
