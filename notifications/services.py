"""Writes for notifications: send and fan out notices, deliver them, digests, reading, preferences.

Texts are rendered in each recipient's language when the notice is made:
callers pass translatable text (`gettext_lazy("… %(name)s …")`, a callable,
or a plain string) plus a `context` dict for `%` formatting, never text
already translated for the sender.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db import connection as database
from django.db.models import Case, Exists, F, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from coordination.lib.mail import NotCommitted, Outgoing
from notifications import budgets, channels, policies, tasks, zalo
from notifications.caching import forget_unread_of
from notifications.channels import DeliveryError, user_language
from notifications.models import (
    ACCOUNT_TEXTS,
    ALWAYS_SENT,
    CHOOSABLE,
    Category,
    Channel,
    Delivery,
    DigestRun,
    Frequency,
    Notice,
    Preference,
    SmsChoice,
    ZaloEvent,
    ZaloTemplate,
    safe_notice_url,
)
from schools.models import School

logger = logging.getLogger(__name__)

State = Delivery.State
Translatable = str | Promise | Callable[[], str]
TITLE_MAX = Notice._meta.get_field("title").max_length


# --- Rendering -----------------------------------------------------------------------------------


def _render(text: Translatable, context: Mapping[str, Any] | None) -> str:
    value = text() if callable(text) else str(text)
    if context:
        value = value % {key: str(v) if isinstance(v, Promise) else v for key, v in context.items()}
    return value


def text_render(*, text: Translatable, language: str, context: Mapping[str, Any] | None = None) -> str:
    """The text in one language, with its `%(name)s` placeholders filled."""
    with translation.override(language):
        return _render(text, context)


def _title(value: str) -> str:
    return Truncator(" ".join(value.split())).chars(TITLE_MAX)


def _check(*, category: str, url: str, dedupe_key: str) -> None:
    if category not in Category.values:
        raise ValueError(f"unknown notice category: {category!r}")
    if not dedupe_key or len(dedupe_key) > Notice._meta.get_field("dedupe_key").max_length:
        raise ValueError("a notice needs a dedupe key of at most 200 characters")
    if not safe_notice_url(url):
        raise ValueError(f"a notice links inside the portal only, not to {url!r}")


# --- Creating notices ------------------------------------------------------------------------------


def _always_sent_plan(*, notice: Notice, user, now: datetime.datetime) -> list[Delivery]:
    """Like an account message: at once, on the person's e-mail, or by SMS to a verified number
    when they have no e-mail; never held for a digest or the quiet hours."""
    if user.email:
        return [Delivery(notice=notice, channel=Channel.EMAIL, not_before=now, created_at=now)]
    if user.phone and user.phone_verified:
        return [Delivery(notice=notice, channel=Channel.SMS, not_before=now, created_at=now)]
    return []


def _zalo_carries(*, notice: Notice, user, preference: Preference, zalo_categories: Callable[[], set[str]]) -> bool:
    """Whether this notice can go by Zalo: chosen, a verified number Zalo reaches, an approved template."""
    if not preference.choice_for(notice.category)["zalo"]:
        return False
    if not (user.phone and user.phone_verified) or not preference.zalo_reaches(user.phone):
        return False
    return notice.category in zalo_categories()


def _deliveries_plan(
    *,
    notice: Notice,
    user,
    preference: Preference,
    now: datetime.datetime,
    zalo_categories: Callable[[], set[str]] = zalo.categories_approved,
) -> list[Delivery]:
    """The deliveries the person's choices ask for; none for a channel they have no address for.

    `zalo_categories` is asked (once, by a caller that caches it) only when
    the person chose Zalo for the notice's category.
    """
    if notice.category in ALWAYS_SENT:
        return _always_sent_plan(notice=notice, user=user, now=now)
    plan = []
    by_zalo = _zalo_carries(notice=notice, user=user, preference=preference, zalo_categories=zalo_categories)
    for channel in preference.channels_for(notice.category, urgent=notice.urgent, zalo=by_zalo):
        if channel == Channel.EMAIL and not user.email:
            continue
        # Only a number the person proved is theirs: a mistyped one would tell
        # a stranger about a child.
        if channel == Channel.SMS and not (user.phone and user.phone_verified):
            continue
        if channel == Channel.EMAIL and preference.uses_digest and not notice.urgent:
            plan.append(Delivery(notice=notice, channel=channel, digest=True, not_before=now, created_at=now))
        else:
            # Urgent notices skip the digest, not the quiet hours: the night is
            # the family's, and the end of quiet hours is still before school.
            not_before = preference.after_quiet_hours(now)
            plan.append(Delivery(notice=notice, channel=channel, not_before=not_before, created_at=now))
    return plan


def _enqueue(delivery_ids: list[int]) -> None:
    """Queue the deliveries' tasks, NOTIFY_SEND_BATCH_SIZE deliveries a task."""
    size = max(1, settings.NOTIFY_SEND_BATCH_SIZE)
    for start in range(0, len(delivery_ids), size):
        try:
            tasks.notify_deliver_batch.delay(list(delivery_ids[start : start + size]))
        except BrokerError:
            # The notices are saved; the sweeper sends them when the broker is back.
            logger.exception("could not queue %s deliveries; the sweeper will", len(delivery_ids) - start)
            return


def _enqueue_on_commit(delivery_ids: list[int]) -> None:
    if delivery_ids:
        transaction.on_commit(partial(_enqueue, list(delivery_ids)))


def _preference_ensure(*, user) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    return preference


def _notice_create_once(*, recipient, dedupe_key: str, **fields) -> Notice | None:
    """The notice, or None when the person already has one with this key (another sender won a race)."""
    try:
        with transaction.atomic():
            return Notice.objects.create(recipient=recipient, dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        if Notice.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
            return None
        raise


def notice_send(
    *,
    recipient,
    category: str,
    title: Translatable,
    body: Translatable,
    url: str = "",
    dedupe_key: str,
    school: School | None = None,
    urgent: bool = False,
    context: Mapping[str, Any] | None = None,
    child_name: str = "",
    kind: Translatable = "",
) -> Notice | None:
    """Tell one person something once: None if they already got this dedupe key.

    `child_name` (a child's given name, nothing more) and `kind` (a few words
    such as "Picked up late") are what a Zalo template may say besides the
    category: the only words about a child that leave the portal.
    """
    _check(category=category, url=url, dedupe_key=dedupe_key)
    if not recipient.is_active:
        return None
    language = user_language(recipient)
    now = timezone.now()
    with transaction.atomic():
        if Notice.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
            return None
        preference = _preference_ensure(user=recipient)
        notice = _notice_create_once(
            recipient=recipient,
            school=school,
            category=category,
            title=_title(text_render(text=title, language=language, context=context)),
            body=text_render(text=body, language=language, context=context),
            url=url,
            urgent=urgent,
            child_name=child_name[: Notice._meta.get_field("child_name").max_length],
            kind=Truncator(text_render(text=kind, language=language)).chars(Notice._meta.get_field("kind").max_length),
            created_at=now,
            dedupe_key=dedupe_key,
        )
        if notice is None:
            return None
        deliveries = _deliveries_plan(notice=notice, user=recipient, preference=preference, now=now)
        for delivery in deliveries:
            delivery.save()
        _enqueue_on_commit([d.pk for d in deliveries if not d.digest and d.not_before <= now])
    return notice


def account_message_send(
    *,
    recipient,
    channel: str,
    title: str,
    body: str = "",
    address: str = "",
    dedupe_key: str = "",
    client_ip: str = "",
) -> Notice | None:
    """Send a message about the person's account (a sign-in code, a password link, a welcome) at once.

    The person asked for it, or cannot use the portal without it: it goes on
    `channel` whatever their preferences and the hour, to `address` when given
    (a new e-mail or number to confirm), else to their own. The texts are
    already in the person's language. It is kept as a notice, read already
    (nothing to ring the bell for), and its delivery is tracked, retried and
    shown in the admin like any other. Without a `dedupe_key` every call is a
    new message (each "send me a code" is); with one, a repeated call sends
    nothing and returns None.

    `title` says what the message is about and is kept; `body` is what is
    sent (the whole text message, or the e-mail's text) and may hold a
    secret: it is erased once the delivery is sent or given up, and never
    shown in the admin. A text message takes from the SMS budgets of its kind
    first (per number, per `client_ip` and per day: notifications.budgets),
    and raises SmsBudgetExceeded, making nothing, when one is spent.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel: {channel!r}")
    key = dedupe_key or f"account:{uuid.uuid4().hex}"
    _check(category=Category.ACCOUNT, url="", dedupe_key=key)
    if dedupe_key and Notice.objects.filter(recipient=recipient, dedupe_key=key).exists():
        return None
    if channel == Channel.SMS:
        budgets.sms_budget_take(kind=budgets.Kind.ACCOUNT, number=address or recipient.phone or "", ip=client_ip)
    now = timezone.now()
    with transaction.atomic():
        notice = _notice_create_once(
            recipient=recipient,
            category=Category.ACCOUNT,
            title=_title(title),
            body=body,
            created_at=now,
            read_at=now,
            dedupe_key=key,
        )
        if notice is None:
            return None
        delivery = Delivery.objects.create(
            notice=notice, channel=channel, address=address, not_before=now, created_at=now
        )
        _enqueue_on_commit([delivery.pk])
    return notice


def notice_fan_out(
    *,
    recipient_ids: Iterable[int],
    category: str,
    title: Translatable,
    body: Translatable,
    url: str = "",
    dedupe_key: str,
    school: School | None = None,
    urgent: bool = False,
    context: Mapping[str, Any] | None = None,
) -> int:
    """Send one notice to many people, one task per NOTIFY_BATCH_SIZE of them; returns the number of tasks."""
    _check(category=category, url=url, dedupe_key=dedupe_key)
    # Rendered once per language here, so that the tasks carry plain text
    # (a lazy string cannot travel through the broker).
    titles = {code: _title(text_render(text=title, language=code, context=context)) for code, _n in settings.LANGUAGES}
    bodies = {code: text_render(text=body, language=code, context=context) for code, _n in settings.LANGUAGES}
    ids = sorted({int(pk) for pk in recipient_ids})
    size = max(1, settings.NOTIFY_BATCH_SIZE)
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    for batch in batches:
        transaction.on_commit(
            partial(
                tasks.notify_fan_out_batch.delay,
                recipient_ids=batch,
                category=category,
                titles=titles,
                bodies=bodies,
                url=url,
                dedupe_key=dedupe_key,
                school_id=school.pk if school else None,
                urgent=urgent,
            )
        )
    return len(batches)


def _preferences_ensure(*, user_ids: list[int]) -> dict[int, Preference]:
    found = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    missing = [pk for pk in user_ids if pk not in found]
    if missing:
        Preference.objects.bulk_create([Preference(user_id=pk) for pk in missing], ignore_conflicts=True)
        found.update({p.user_id: p for p in Preference.objects.filter(user_id__in=missing)})
    return found


def notices_send_batch(
    *,
    recipient_ids: list[int],
    category: str,
    titles: Mapping[str, str],
    bodies: Mapping[str, str],
    url: str,
    dedupe_key: str,
    school_id: int | None,
    urgent: bool,
) -> int:
    """One batch of a fan-out, in a fixed number of queries; returns the number of new notices."""
    _check(category=category, url=url, dedupe_key=dedupe_key)
    now = timezone.now()
    fallback = settings.LANGUAGE_CODE
    with transaction.atomic():
        already = set(
            Notice.objects.filter(recipient_id__in=recipient_ids, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        users = {
            user.pk: user
            for user in get_user_model()
            .objects.filter(pk__in=recipient_ids, is_active=True)
            .exclude(pk__in=already)
            .only("pk", "email", "phone", "phone_verified", "language")
        }
        if not users:
            return 0
        preferences = _preferences_ensure(user_ids=list(users))
        new = []
        for user in users.values():
            language = user_language(user)
            new.append(
                Notice(
                    recipient_id=user.pk,
                    school_id=school_id,
                    category=category,
                    title=titles.get(language) or titles[fallback],
                    body=bodies.get(language) or bodies[fallback],
                    url=url,
                    urgent=urgent,
                    created_at=now,
                    dedupe_key=dedupe_key,
                )
            )
        Notice.objects.bulk_create(new, ignore_conflicts=True)
        forget_unread_of(users)  # bulk_create() sends no signal (notifications/caching.py)
        # Read back only what this batch made: a copy of the same batch running
        # at the same time (a redelivered task) inserted its rows with another
        # created_at, and its own deliveries.
        notices = list(Notice.objects.filter(recipient_id__in=list(users), dedupe_key=dedupe_key, created_at=now))
        zalo_categories = functools.cache(zalo.categories_approved)  # asked once, if anyone chose Zalo
        plan = [
            delivery
            for notice in notices
            for delivery in _deliveries_plan(
                notice=notice,
                user=users[notice.recipient_id],
                preference=preferences[notice.recipient_id],
                now=now,
                zalo_categories=zalo_categories,
            )
        ]
        Delivery.objects.bulk_create(plan, ignore_conflicts=True)
        due = Delivery.objects.filter(
            notice__in=[n.pk for n in notices], digest=False, state=State.QUEUED, not_before__lte=now
        ).values_list("pk", flat=True)
        _enqueue_on_commit(list(due))
    return len(notices)


# --- Delivering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryOutcome:
    state: str  # sent, failed, given_up, or skipped (someone else has it, or nothing to do)
    retry_in: int | None = None


@dataclass
class BatchOutcome:
    """What happened to each delivery of a batch (those not listed were skipped)."""

    outcomes: dict[int, DeliveryOutcome] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return dict(Counter(outcome.state for outcome in self.outcomes.values()))

    def retries(self) -> dict[int, list[int]]:
        """Seconds from now → the deliveries due again then."""
        due = defaultdict(list)
        for pk, outcome in self.outcomes.items():
            if outcome.retry_in is not None:
                due[outcome.retry_in].append(pk)
        return dict(due)


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: doubling from NOTIFY_RETRY_BASE_SECONDS, capped."""
    delay = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return min(delay, settings.NOTIFY_RETRY_MAX_SECONDS)


def _lease_start(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)


def deliveries_claim(*, delivery_ids: Iterable[int], now: datetime.datetime | None = None) -> list[Delivery]:
    """Take for this worker those of the deliveries that are due and nobody holds, in one UPDATE … RETURNING."""
    ids = sorted({int(pk) for pk in delivery_ids})
    if not ids:
        return []
    now = now or timezone.now()
    # One conditional UPDATE: of two workers holding the same ids, each row
    # goes to one. A claim older than the lease belongs to a worker that died
    # mid-send. RETURNING tells exactly which rows this one won (Django's
    # update() gives only their number); PostgreSQL and SQLite both have it.
    at = database.ops.adapt_datetimefield_value
    # Only the table's name and placeholders go into the text; values are parameters.
    table, placeholders = database.ops.quote_name(Delivery._meta.db_table), ", ".join(["%s"] * len(ids))
    sql = (
        f"UPDATE {table} SET state = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
        f"WHERE id IN ({placeholders}) AND digest = %s AND attempts < %s "
        "AND ((state IN (%s, %s) AND not_before <= %s) OR (state = %s AND claimed_at < %s AND channel <> %s)) "
        "RETURNING id"
    )
    # (A Zalo message whose worker died may have gone: it is never taken
    # over, but settled as unclear by the sweeper.)
    params = [State.SENDING, at(now), *ids, False, settings.NOTIFY_MAX_ATTEMPTS]
    params += [State.QUEUED, State.FAILED, at(now), State.SENDING, at(_lease_start(now)), Channel.ZALO]
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        won = [row[0] for row in cursor.fetchall()]
    if not won:
        return []
    return list(
        Delivery.objects.filter(pk__in=won).select_related("notice__recipient", "notice__school").order_by("pk")
    )


def delivery_claim(*, delivery_id: int, now: datetime.datetime | None = None) -> Delivery | None:
    """Take one delivery for this worker, or None if it is not due or someone else holds it."""
    claimed = deliveries_claim(delivery_ids=[delivery_id], now=now)
    return claimed[0] if claimed else None


def _still_ours(delivery: Delivery, *, state: str = State.SENDING) -> QuerySet[Delivery]:
    """The delivery, if no other worker took it over since this one claimed it."""
    return Delivery.objects.filter(
        pk=delivery.pk, state=state, claimed_at=delivery.claimed_at, attempts=delivery.attempts
    )


def _error_text(exc: Exception) -> str:
    return (str(exc) or exc.__class__.__name__)[:2000]


def _deliveries_mark_sent(
    deliveries: Sequence[Delivery],
    end: Callable[[set[int]], None],
    also: Callable[[set[int]], None] | None = None,
) -> set[int]:
    """Record as sent those deliveries still this worker's, and return their pks.

    `end(pks)` runs the moment that record is decided (it finishes the
    e-mails: see coordination.lib.mail): on PostgreSQL as soon as COMMIT has
    gone out, before its answer, since PostgreSQL commits what it received
    even if this process dies while it waits; elsewhere right after the commit.
    `also(pks)` records more in the same transaction (a digest's run).
    """
    also = also or _nothing_more
    if not deliveries:
        end(set())
        return set()
    claimed_at = deliveries[0].claimed_at
    if any(d.claimed_at != claimed_at for d in deliveries):
        raise ValueError("deliveries of one claim at a time")
    pks = [d.pk for d in deliveries]
    ended = False

    def end_once(recorded: set[int]) -> None:
        nonlocal ended
        ended = True
        end(recorded)

    try:
        if _commits_then_acts():
            database.set_autocommit(False)
            try:
                recorded = _deliveries_mark_sent_sql(pks, claimed_at)
                also(recorded)
                _commit_then(partial(end_once, recorded))
            except BaseException:
                with contextlib.suppress(DatabaseError):
                    database.rollback()
                raise
            finally:
                with contextlib.suppress(DatabaseError):
                    database.set_autocommit(True)
        else:
            # Committed at once (autocommit), or with the caller's transaction.
            with transaction.atomic() if also is not _nothing_more else contextlib.nullcontext():
                recorded = _deliveries_mark_sent_sql(pks, claimed_at)
                also(recorded)
            end_once(recorded)
        return recorded
    except DatabaseError:
        if not ended:
            raise  # nothing was finished: the server drops the messages, the deliveries stay claimable
        # The e-mails went out but their record failed, or its outcome is
        # unknown (the connection broke): record it again, or they would be
        # sent again once their lease runs out.
        try:
            database.close()
            with transaction.atomic():
                _deliveries_mark_sent_sql(pks, claimed_at)
                recorded = set(
                    Delivery.objects.filter(pk__in=pks, state=State.SENT, claimed_at=claimed_at).values_list(
                        "pk", flat=True
                    )
                )
                also(recorded)
            return recorded
        except DatabaseError:
            logger.exception("%s e-mails went out but are not recorded as sent: they may go twice", len(pks))
            raise


def _nothing_more(recorded: set[int]) -> None:
    pass


def _deliveries_mark_sent_sql(pks: list[int], claimed_at: datetime.datetime) -> set[int]:
    # Plain SQL for RETURNING. The claim's time tells this worker's claim from
    # a later one's: a takeover always claims later.
    at = database.ops.adapt_datetimefield_value
    table, placeholders = database.ops.quote_name(Delivery._meta.db_table), ", ".join(["%s"] * len(pks))
    sql = (
        f"UPDATE {table} SET state = %s, sent_at = %s "  # noqa: S608 (names and placeholders only)
        f"WHERE id IN ({placeholders}) AND state = %s AND claimed_at = %s RETURNING id"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, [State.SENT, at(timezone.now()), *pks, State.SENDING, at(claimed_at)])
        return {row[0] for row in cursor.fetchall()}


def _commits_then_acts() -> bool:
    """Whether _commit_then can act between sending COMMIT and its answer (PostgreSQL through psycopg2)."""
    if database.vendor != "postgresql" or database.in_atomic_block:
        return False
    database.ensure_connection()
    return type(database.connection).__module__.startswith("psycopg2")


def _commit_then(action: Callable[[], None]) -> None:
    """Commit the open transaction, running `action` as soon as COMMIT has gone to PostgreSQL.

    psycopg2 sends COMMIT, then waits for the answer through its "wait
    callback" when one is set: `action` runs at the start of that wait. What
    it raises is raised after the commit (it must not break the wait).
    """
    import psycopg2.extensions
    import psycopg2.extras

    ours, fired, failure = database.connection, False, None

    def wait(pg_connection) -> None:
        nonlocal fired, failure
        if pg_connection is ours and not fired:
            fired = True
            try:
                action()
            except BaseException as exc:  # raised again below, once the wait is over
                failure = exc
        psycopg2.extras.wait_select(pg_connection)

    # Process-wide, so only for this commit; another thread's query meanwhile
    # just waits the usual way.
    previous = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(wait)
    try:
        database.commit()
    finally:
        psycopg2.extensions.set_wait_callback(previous)
    if not fired:
        action()
    elif failure is not None:
        raise failure


def _delivery_failed(delivery: Delivery, exc: DeliveryError) -> DeliveryOutcome:
    """Record a failed attempt: try again after a backoff, or give up after the last attempt or for good."""
    error = _error_text(exc)
    if delivery.notice.category in ACCOUNT_TEXTS and delivery.notice.body:
        # A gateway may echo the message in its answer: its secret stays out of the admin and the logs.
        error = error.replace(delivery.notice.body, "[…]")
    # A refusal at the very end of an e-mail comes after the delivery was
    # recorded as sent (see coordination.lib.mail): undo that.
    ours = _still_ours(delivery, state=State.SENT if exc.after_commit else State.SENDING)
    if exc.permanent or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        ours.update(state=State.GIVEN_UP, last_error=error, claimed_at=None, sent_at=None)
        logger.warning("delivery %s given up after %s attempts: %s", delivery.pk, delivery.attempts, error)
        return DeliveryOutcome(State.GIVEN_UP)
    delay = retry_delay(delivery.attempts)
    ours.update(
        state=State.FAILED,
        last_error=error,
        claimed_at=None,
        sent_at=None,
        not_before=timezone.now() + datetime.timedelta(seconds=delay),
    )
    logger.info("delivery %s failed (attempt %s), retry in %s s: %s", delivery.pk, delivery.attempts, delay, error)
    return DeliveryOutcome(State.FAILED, retry_in=delay)


def _delivery_record(delivery: Delivery, outcome: Exception | None) -> DeliveryOutcome:
    if outcome is None:
        return DeliveryOutcome(State.SENT)
    if isinstance(outcome, DeliveryError):
        return _delivery_failed(delivery, outcome)
    # Taken over after this worker's lease ran out. Through the two-phase
    # e-mail backend the message was dropped before its end, and the worker
    # that took over sends it; through any other backend or SMS it went out
    # here too, with the same Message-ID.
    logger.warning("delivery %s was taken over after its lease ran out: %s", delivery.pk, outcome)
    # (If the commit's outcome was only unclear, it is still this worker's: give it back.)
    _deliveries_release([delivery])
    return DeliveryOutcome("skipped")


def _deliveries_release(deliveries: list[Delivery]) -> None:
    """Give back what this worker claimed and did not get to (a time limit, a lost database)."""
    if not deliveries:
        return
    try:
        Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], state=State.SENDING, claimed_at=deliveries[0].claimed_at
        ).update(state=State.QUEUED, claimed_at=None, attempts=F("attempts") - 1)
    except DatabaseError:
        logger.exception("could not give back %s deliveries; their lease will run out", len(deliveries))


def deliveries_send(*, delivery_ids: Iterable[int]) -> BatchOutcome:
    """Claim a batch of deliveries, send them (the e-mails over one connection), and record each result.

    One delivery's failure is its own: it is recorded on it, with its own
    attempts and backoff, and the others go on.
    """
    claimed = deliveries_claim(delivery_ids=delivery_ids)
    result = BatchOutcome()
    if not claimed:
        return result
    by_zalo = [d for d in claimed if d.channel == Channel.ZALO]
    claimed = [d for d in claimed if d.channel != Channel.ZALO]
    connection = channels.email_connection() if any(d.channel == Channel.EMAIL for d in claimed) else None
    try:
        for delivery, outcome in channels.deliver_all(claimed, connection=connection, commit=_deliveries_mark_sent):
            result.outcomes[delivery.pk] = _delivery_record(delivery, outcome)
        if by_zalo:
            _zalo_send(by_zalo, result)
    finally:
        _deliveries_release([d for d in [*claimed, *by_zalo] if d.pk not in result.outcomes])
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    account = {d.pk for d in claimed if d.notice.category in ACCOUNT_TEXTS}
    over = (State.SENT, State.GIVEN_UP)
    done = [pk for pk, outcome in result.outcomes.items() if pk in account and outcome.state in over]
    if done:
        account_texts_erase(delivery_ids=done)
    return result


def account_texts_erase(*, delivery_ids: Iterable[int] | None = None) -> int:
    """Erase the text of account messages whose delivery is over (sent or given up); returns how many.

    A sign-in code or a password link is kept only until it is sent: the
    notice and its delivery stay (for counting and for the admin) with their
    title, and without the secret. With no ids, every such message (the sweep,
    for a worker that died between sending and erasing).
    """
    over = {"category__in": ACCOUNT_TEXTS, "deliveries__state__in": [State.SENT, State.GIVEN_UP]}
    if delivery_ids is not None:
        over["deliveries__pk__in"] = list(delivery_ids)
        if not over["deliveries__pk__in"]:
            return 0
    # An account message has one delivery (account_message_send).
    return Notice.objects.filter(**over).exclude(body="").update(body="")


def delivery_send(*, delivery_id: int) -> DeliveryOutcome:
    """Claim one delivery, send it through its channel, and record the result."""
    return deliveries_send(delivery_ids=[delivery_id]).outcomes.get(delivery_id, DeliveryOutcome("skipped"))


def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again what is due and was not (quiet hours over, lost retries, dead workers); returns how many."""
    now = now or timezone.now()
    lease_start = _lease_start(now)
    # A worker died while sending by Zalo: the message may have gone, so it is
    # not sent again; Zalo's report or status query settles it.
    Delivery.objects.filter(state=State.SENDING, channel=Channel.ZALO, claimed_at__lt=lease_start).update(
        state=State.UNCLEAR,
        last_error="The worker stopped while sending: Zalo may have the message, so it is not sent again.",
        claimed_at=None,
        sent_at=F("claimed_at"),
    )
    # A worker died during the last attempt allowed.
    Delivery.objects.filter(
        state=State.SENDING, claimed_at__lt=lease_start, attempts__gte=settings.NOTIFY_MAX_ATTEMPTS
    ).update(state=State.GIVEN_UP, last_error="The worker stopped during the last attempt.", claimed_at=None)
    # A digest job died: its notices wait for the next digest.
    Delivery.objects.filter(state=State.SENDING, digest=True, claimed_at__lt=lease_start).update(
        state=State.QUEUED, claimed_at=None
    )
    # ... and, when digests go two-phase, what the dead job had claimed and not
    # recorded never reached anyone: the next job sends those periods again.
    # (Through another backend they may have gone: the period stays taken.)
    if channels.sends_then_commits(channels.email_connection()):
        DigestRun.objects.filter(sent_at__isnull=True, created_at__lt=lease_start).delete()
    # The grace period leaves alone what was queued a moment ago and is
    # already on its way through the broker.
    settled = now - datetime.timedelta(seconds=settings.NOTIFY_SWEEP_GRACE_SECONDS)
    due = list(
        Delivery.objects.filter(digest=False)
        .filter(
            Q(state__in=[State.QUEUED, State.FAILED], not_before__lte=settled)
            | Q(state=State.SENDING, claimed_at__lt=lease_start)
        )
        .order_by("not_before")
        .values_list("pk", flat=True)[: settings.NOTIFY_SWEEP_LIMIT]
    )
    _enqueue(due)
    account_texts_erase()
    zalo_sweep(now=now)
    return len(due)


def deliveries_retry(*, deliveries: QuerySet[Delivery], by) -> int:
    """Queue failed or given-up deliveries again with a fresh count of attempts (the admin's retry)."""
    allowed = [d.pk for d in deliveries.select_related("notice") if policies.can_retry_delivery(by, d)]
    now = timezone.now()
    with transaction.atomic():
        retried = Delivery.objects.filter(pk__in=allowed, state__in=[State.FAILED, State.GIVEN_UP])
        # An account message given up has lost its text (a code, a link, long
        # expired by now): the person asks for a new one instead.
        retried = retried.exclude(notice__category__in=ACCOUNT_TEXTS, notice__body="")
        # A Zalo message that an SMS already replaced stays given up: the family must not be told twice.
        replaced = Delivery.objects.filter(notice=OuterRef("notice"), channel=Channel.SMS, fallback=True)
        retried = retried.exclude(Q(channel=Channel.ZALO) & Exists(replaced))
        ids = list(retried.filter(digest=False).values_list("pk", flat=True))
        count = retried.update(state=State.QUEUED, attempts=0, not_before=now, claimed_at=None)
        _enqueue_on_commit(ids)
    return count


# --- Zalo ------------------------------------------------------------------------------------------


def _zalo_send(deliveries: list[Delivery], result: BatchOutcome) -> None:
    """Send a claimed batch by Zalo over one connection; record each outcome in `result`.

    The sent ones are recorded together at the end (a few queries per
    batch): a worker that dies before leaves them claimed, and the sweeper
    settles them as unclear, never sends them again (deliveries_sweep).
    """
    backend = zalo.zalo_backend()
    templates = zalo.templates_approved()
    sent: dict[int, str] = {}
    token: str | None = None
    token_error: zalo.ZaloError | None = None
    try:
        for delivery in deliveries:
            notice = delivery.notice
            template = templates.get(notice.category)
            try:
                if template is None:
                    raise zalo.ZaloError("the category has no approved Zalo template any more", kind=zalo.PERMANENT)
                phone = zalo.zalo_phone(channels.delivery_address(delivery))
                if not phone:
                    raise zalo.ZaloError("the person has no verified phone number any more", kind=zalo.PERMANENT)
                message = zalo.ZaloMessage(
                    phone=phone,
                    template_id=template.template_id,
                    template_data=zalo.template_data(notice, template, language=user_language(notice.recipient)),
                    tracking_id=str(delivery.pk),
                )
                if token_error is not None:
                    raise token_error  # the tokens could not be renewed: not again for each message
                if token is None:
                    try:
                        token = zalo.access_token(backend)
                    except zalo.ZaloError as exc:
                        token_error = exc
                        raise
                try:
                    sent[delivery.pk] = _zalo_send_one(backend, message, token)
                except zalo.ZaloError as exc:
                    if exc.kind != zalo.TOKEN:
                        raise
                    # Refused token (revoked, or renewed elsewhere): renew once and try again.
                    token = zalo.access_token(backend, rejected=token)
                    sent[delivery.pk] = _zalo_send_one(backend, message, token)
            except zalo.ZaloError as exc:
                result.outcomes[delivery.pk] = _zalo_failed(delivery, exc, template=template)
            except channels.INTERRUPTIONS:
                raise
            except Exception as exc:  # a broken template or backend: this delivery's failure, recorded
                logger.exception("Zalo delivery %s failed", delivery.pk)
                error = zalo.ZaloError(channels._error(exc), kind=zalo.RETRY)
                result.outcomes[delivery.pk] = _zalo_failed(delivery, error, template=template)
    finally:
        backend.close()
        _zalo_mark_sent([d for d in deliveries if d.pk in sent], sent, result)


class _Interrupted(zalo.ZaloError):
    pass


def _zalo_send_one(backend, message: zalo.ZaloMessage, token: str) -> str:
    """One request; interrupted while waiting for the answer (a time limit), the message may have gone."""
    try:
        return backend.send(message, access_token=token)
    except channels.INTERRUPTIONS as exc:
        raise _Interrupted("the task's time ran out while Zalo answered", kind=zalo.UNCLEAR) from exc


def _zalo_mark_sent(deliveries: list[Delivery], msg_ids: Mapping[int, str], result: BatchOutcome) -> None:
    if not deliveries:
        return
    now = timezone.now()
    ours = Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], state=State.SENDING, claimed_at=deliveries[0].claimed_at
    )
    ours.update(
        state=State.SENT,
        sent_at=now,
        last_error="",
        external_id=Case(*[When(pk=pk, then=Value(msg_ids[pk])) for pk in msg_ids], default=Value("")),
    )
    for delivery in deliveries:
        result.outcomes[delivery.pk] = DeliveryOutcome(State.SENT)


def _zalo_failed(delivery: Delivery, exc: zalo.ZaloError, *, template) -> DeliveryOutcome:
    """Record a Zalo failure: unclear (never again), retried, or given up with the SMS fallback."""
    notice = delivery.notice
    now = timezone.now()
    error = _error_text(exc)
    if exc.kind == zalo.UNCLEAR:
        _still_ours(delivery).update(state=State.UNCLEAR, last_error=error, claimed_at=None, sent_at=now)
        logger.warning("Zalo delivery %s: %s; it is not sent again", delivery.pk, error)
        if isinstance(exc, _Interrupted):
            raise exc.__cause__
        return DeliveryOutcome(State.UNCLEAR)
    if exc.kind == zalo.UNREACHABLE:
        Preference.objects.filter(user_id=notice.recipient_id).update(
            zalo_unreachable_phone=notice.recipient.phone or "",
            zalo_unreachable_reason=exc.unreachable_reason,
            zalo_unreachable_at=now,
        )
    if exc.kind == zalo.TEMPLATE and template is not None:
        changes = {"last_error": error, "last_error_at": now}
        if exc.code in zalo.TEMPLATE_NOT_USABLE:
            changes["approved"] = False  # no more notices by Zalo in this category until the superuser looks
        ZaloTemplate.objects.filter(pk=template.pk).update(**changes)
        logger.error("Zalo template of %s: %s", notice.category, error)
    retry = exc.kind in (zalo.RETRY, zalo.TOKEN)
    # An urgent notice cannot wait for Zalo's retries: SMS at once.
    if retry and not notice.urgent and delivery.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        return _delivery_failed(delivery, DeliveryError(error))
    outcome = _delivery_failed(delivery, DeliveryError(error, permanent=True))
    if outcome.state == State.GIVEN_UP:
        zalo_fallback(delivery=delivery, now=now)
    return outcome


def zalo_fallback(*, delivery: Delivery, now: datetime.datetime | None = None) -> Delivery | None:
    """The SMS instead of a Zalo message that could not reach the person, if their SMS choice asks for it.

    Made once at most (one delivery per notice and channel); None when no text
    message goes (the person chose none for such notices, or has no verified number).
    """
    notice, now = delivery.notice, now or timezone.now()
    user = notice.recipient
    preference = Preference.objects.filter(user_id=user.pk).first()
    if preference is None or not preference.sms_covers(notice.category, urgent=notice.urgent):
        return None
    if not (user.phone and user.phone_verified):
        return None
    not_before = preference.after_quiet_hours(now)
    Delivery.objects.bulk_create(
        [Delivery(notice=notice, channel=Channel.SMS, fallback=True, not_before=not_before, created_at=now)],
        ignore_conflicts=True,
    )
    sms = Delivery.objects.filter(notice=notice, channel=Channel.SMS).first()
    if sms is not None and sms.state == State.QUEUED and sms.not_before <= now:
        _enqueue_on_commit([sms.pk])
    return sms


def zalo_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Settle Zalo messages without a report: the timed fallback (with the webhook only), then the status query."""
    now = now or timezone.now()
    counts = {"fallbacks": 0, "settled": 0}
    if settings.ZALO_OA_SECRET_KEY:
        # Only with the webhook: without it no "delivered" report ever comes,
        # and every urgent family would get both.
        late = now - datetime.timedelta(seconds=settings.ZALO_DELIVERY_TIMEOUT_SECONDS)
        has_sms = Delivery.objects.filter(notice=OuterRef("notice"), channel=Channel.SMS)
        waiting = (
            Delivery.objects.filter(
                channel=Channel.ZALO,
                state__in=[State.SENT, State.UNCLEAR],
                delivered_at__isnull=True,
                notice__urgent=True,
                sent_at__lt=late,
                sent_at__gte=now - datetime.timedelta(days=1),
            )
            .exclude(Exists(has_sms))
            .select_related("notice__recipient")[: settings.ZALO_STATUS_LIMIT]
        )
        for delivery in waiting:
            if zalo_fallback(delivery=delivery, now=now) is not None:
                Delivery.objects.filter(pk=delivery.pk).update(
                    last_error="No delivery report from Zalo in time: sent by SMS as well."
                )
                counts["fallbacks"] += 1
    counts["settled"] = _zalo_status_query(now=now)
    return counts


def _zalo_status_query(*, now: datetime.datetime) -> int:
    """Ask ZNS what became of messages sent a while ago without a report; returns how many it settled."""
    after = now - datetime.timedelta(seconds=settings.ZALO_STATUS_AFTER_SECONDS)
    asked_before = now - datetime.timedelta(seconds=settings.ZALO_STATUS_AFTER_SECONDS)
    pending = list(
        Delivery.objects.filter(
            channel=Channel.ZALO,
            state__in=[State.SENT, State.UNCLEAR],
            delivered_at__isnull=True,
            sent_at__lt=after,
            sent_at__gte=now - datetime.timedelta(days=1),
        )
        .exclude(external_id="")
        .filter(Q(status_checked_at__isnull=True) | Q(status_checked_at__lt=asked_before))
        .select_related("notice__recipient")
        .order_by("sent_at")[: settings.ZALO_STATUS_LIMIT]
    )
    if not pending:
        return 0
    backend, settled = zalo.zalo_backend(), 0
    try:
        token = zalo.access_token(backend)
        for delivery in pending:
            phone = zalo.zalo_phone(channels.delivery_address(delivery))
            try:
                status = backend.status(msg_id=delivery.external_id, phone=phone, access_token=token)
            except zalo.ZaloError as exc:
                logger.info("Zalo status of delivery %s: %s", delivery.pk, exc)
                Delivery.objects.filter(pk=delivery.pk).update(status_checked_at=now)
                continue
            settled += _zalo_settle(delivery, status, now=now)
    except zalo.ZaloError as exc:
        logger.warning("Zalo status query stopped: %s", exc)
    finally:
        backend.close()
    return settled


def _zalo_settle(delivery: Delivery, status: int, *, now: datetime.datetime) -> int:
    if status == zalo.DELIVERED:
        Delivery.objects.filter(pk=delivery.pk).update(state=State.SENT, delivered_at=now, status_checked_at=now)
        return 1
    if status == zalo.NOT_DELIVERED:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=State.GIVEN_UP, last_error="Zalo reports the message was not delivered.", status_checked_at=now
        )
        zalo_fallback(delivery=delivery, now=now)
        return 1
    Delivery.objects.filter(pk=delivery.pk).update(status_checked_at=now)
    return 0


# What Zalo's webhook reports, by event name.
ZALO_DELIVERED_EVENTS = frozenset({"user_received_message"})
ZALO_SEEN_EVENTS = frozenset({"user_seen_message"})
ZALO_FAILED_EVENTS = frozenset({"user_not_received_message"})
ZALO_TEMPLATE_EVENTS = frozenset({"change_template_status"})


def _zalo_event_time(value, default: datetime.datetime) -> datetime.datetime:
    """Zalo's times are milliseconds since the epoch."""
    try:
        return datetime.datetime.fromtimestamp(int(value) / 1000, tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return default


def _zalo_event_deliveries(message: Mapping) -> QuerySet[Delivery]:
    tracking = str(message.get("tracking_id") or "")
    msg_ids = [str(m) for m in (message.get("msg_ids") or []) if m] + [str(message.get("msg_id") or "")]
    msg_ids = [m for m in msg_ids if m]
    found = Q(pk=int(tracking)) if tracking.isdigit() else Q(pk__in=[])
    if msg_ids:
        found |= Q(external_id__in=msg_ids)
    return Delivery.objects.filter(found, channel=Channel.ZALO)


def zalo_event_record(*, payload: Mapping, signature_valid: bool) -> ZaloEvent:
    """Record one call of Zalo's webhook, and what it says on the delivery it names (only if signed)."""
    now = timezone.now()
    name = str(payload.get("event_name") or "")[:60]
    if not signature_valid:
        logger.warning("Zalo webhook call refused: bad signature (event %r)", name)
        return ZaloEvent.objects.create(event_name=name, signature_valid=False, outcome="refused: bad signature")
    message = payload.get("message") if isinstance(payload.get("message"), Mapping) else {}
    at = _zalo_event_time(message.get("delivery_time") or payload.get("timestamp"), now)
    if name in ZALO_TEMPLATE_EVENTS:
        template_id = str(payload.get("template_id") or message.get("template_id") or "")
        status = str(payload.get("status") or message.get("status") or "").upper()
        changed = ZaloTemplate.objects.filter(template_id=template_id).update(
            approved=status == "ENABLE", last_error="" if status == "ENABLE" else f"Zalo: {status}", last_error_at=now
        )
        return ZaloEvent.objects.create(event_name=name, signature_valid=True, outcome=f"template {status}: {changed}")
    deliveries = list(_zalo_event_deliveries(message).select_related("notice__recipient"))
    if not deliveries:
        return ZaloEvent.objects.create(event_name=name, signature_valid=True, outcome="no such delivery")
    delivery = deliveries[0]
    if name in ZALO_DELIVERED_EVENTS:
        # An unclear message is settled: it went.
        Delivery.objects.filter(pk=delivery.pk, delivered_at__isnull=True).update(
            delivered_at=at, state=Case(When(state=State.UNCLEAR, then=Value(State.SENT)), default=F("state"))
        )
        outcome = "delivered"
    elif name in ZALO_SEEN_EVENTS:
        Delivery.objects.filter(pk=delivery.pk, seen_at__isnull=True).update(
            seen_at=at, delivered_at=Coalesce(F("delivered_at"), Value(at))
        )
        outcome = "read"
    elif name in ZALO_FAILED_EVENTS:
        failed = Delivery.objects.filter(
            pk=delivery.pk, state__in=[State.SENT, State.UNCLEAR], delivered_at__isnull=True
        )
        if failed.update(state=State.GIVEN_UP, last_error="Zalo reports the message was not delivered."):
            zalo_fallback(delivery=delivery, now=now)
        outcome = "not delivered"
    else:
        outcome = "ignored"
    return ZaloEvent.objects.create(event_name=name, signature_valid=True, delivery=delivery, outcome=outcome)


# --- Digests ---------------------------------------------------------------------------------------


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send every digest that is due, a batch of people at a time; returns the number of e-mails."""
    now = now or timezone.now()
    sent, after = 0, 0
    while True:
        pending = list(
            Delivery.objects.filter(state=State.QUEUED, digest=True, notice__recipient_id__gt=after)
            .values("notice__recipient_id")
            .annotate(oldest=Min("not_before"))
            .order_by("notice__recipient_id")[: settings.NOTIFY_DIGEST_BATCH_SIZE]
        )
        if not pending:
            return sent
        after = pending[-1]["notice__recipient_id"]
        sent += _digest_batch_send(oldest={row["notice__recipient_id"]: row["oldest"] for row in pending}, now=now)


def _digest_batch_send(*, oldest: dict[int, datetime.datetime], now: datetime.datetime) -> int:
    """Digests for one batch of people, in the same few queries whatever the batch size."""
    due = []
    for preference in Preference.objects.filter(user_id__in=list(oldest)).select_related("user"):
        slot = preference.digest_slot(now)
        if slot is None or preference.is_quiet_at(now) or oldest[preference.user_id] > slot:
            continue
        due.append((preference, slot))
    if not due:
        return 0

    # Claim (person, period) before sending: a second job, or this one run
    # again, finds the row taken and sends nothing.
    token = uuid.uuid4()
    DigestRun.objects.bulk_create(
        [
            DigestRun(
                user_id=p.user_id,
                period_key=p.digest_period_key(slot),
                slot_at=slot,
                claim_token=token,
                created_at=now,
            )
            for p, slot in due
        ],
        ignore_conflicts=True,
    )
    runs = {run.user_id: run for run in DigestRun.objects.filter(claim_token=token)}
    if not runs:
        return 0
    in_this_digest = DigestRun.objects.filter(
        claim_token=token, user_id=OuterRef("notice__recipient_id"), slot_at__gte=OuterRef("not_before")
    )
    Delivery.objects.filter(state=State.QUEUED, digest=True).filter(Exists(in_this_digest)).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    claimed = defaultdict(list)
    for delivery in (
        Delivery.objects.filter(state=State.SENDING, digest=True, claimed_at=now, notice__recipient_id__in=list(runs))
        .select_related("notice__school")
        .order_by("notice__created_at", "notice_id")
    ):
        claimed[delivery.notice.recipient_id].append(delivery)

    users = {p.user_id: p.user for p, _slot in due}
    ready, empty, failures = [], [], []
    for user_id, run in runs.items():
        deliveries = claimed.get(user_id)
        if not deliveries:
            empty.append(run.pk)
        elif not users[user_id].email:
            no_address = DeliveryError("the person has no e-mail address any more", permanent=True)
            failures.append((run, deliveries, no_address))
        else:
            ready.append((run, deliveries, users[user_id]))
    if empty:
        DigestRun.objects.filter(pk__in=empty).delete()

    connection = channels.email_connection()
    try:
        if channels.sends_then_commits(connection):
            counts = _digests_send_then_commit(ready, connection=connection, failures=failures)
        else:
            counts = _digests_send_then_record(ready, connection=connection, failures=failures, claimed_at=now)
    finally:
        connection.close()
    for run, deliveries, exc in failures:
        _digest_failed(run=run, deliveries=deliveries, exc=exc, claimed_at=now)
    return len(counts)


def _digest_message(run: DigestRun, deliveries: list[Delivery], user):
    return channels.digest_email(user=user, run=run, notices=[d.notice for d in deliveries])


def _digests_runs_record(chosen, recorded: set[int]) -> dict[int, int]:
    """Mark the digests whose notices were recorded as sent; returns {run pk: notices in it}."""
    counts = {run.pk: n for run, deliveries, _user in chosen if (n := sum(d.pk in recorded for d in deliveries))}
    if counts:
        DigestRun.objects.filter(pk__in=list(counts)).update(
            sent_at=timezone.now(), notice_count=Case(*[When(pk=pk, then=Value(n)) for pk, n in counts.items()])
        )
    return counts


def _digests_send_then_record(ready, *, connection, failures, claimed_at) -> dict[int, int]:
    """Through a backend that tells only afterwards that it took a message: all recorded at the end of the batch.

    A job killed during the batch leaves its digests unrecorded: their period
    is not sent again (its runs stay claimed), and their notices wait for the
    next digest, which may repeat those that went out.
    """
    sent = []
    for run, deliveries, user in ready:
        try:
            message = _digest_message(run, deliveries, user)
            message.connection = connection
            message.send()
        except Exception as exc:  # one person's failure must not stop the others' digests
            failures.append((run, deliveries, exc))
        else:
            sent.append((run, deliveries, user))
    if not sent:
        return {}
    with transaction.atomic():
        Delivery.objects.filter(
            pk__in=[d.pk for _run, deliveries, _user in sent for d in deliveries],
            state=State.SENDING,
            claimed_at=claimed_at,
        ).update(state=State.SENT, sent_at=timezone.now())
        return _digests_runs_record(sent, {d.pk for _run, deliveries, _user in sent for d in deliveries})


def _digests_send_then_commit(ready, *, connection, failures) -> dict[int, int]:
    """Through the two-phase SMTP backend: each digest and its notices are recorded before the message ends.

    As for single notices (deliveries_send), a job killed at any moment sends
    no digest twice: before the record the server drops the message and the
    sweeper frees the period for the next job (deliveries_sweep); after it,
    the server has the whole message.
    """
    counts: dict[int, int] = {}
    size = max(1, getattr(connection, "parallel", 1))
    for start in range(0, len(ready), size):
        group, outgoing = [], []
        for run, deliveries, user in ready[start : start + size]:
            try:
                outgoing.append(Outgoing.of(_digest_message(run, deliveries, user)))
            except Exception as exc:  # a broken template or text: this digest's failure
                failures.append((run, deliveries, exc))
            else:
                group.append((run, deliveries, user))
        if not group:
            continue

        def commit_positions(positions: list[int], end, group=group) -> list[int]:
            chosen = [group[i] for i in positions]
            recorded_counts: dict[int, int] = {}

            def also(recorded: set[int]) -> None:
                recorded_counts.update(_digests_runs_record(chosen, recorded))

            def end_recorded(pks: Collection[int]) -> None:
                end([i for i in positions if any(d.pk in pks for d in group[i][1])])

            deliveries = [d for _run, ds, _user in chosen for d in ds]
            recorded = _deliveries_mark_sent(deliveries, end_recorded, also=also)
            counts.update(recorded_counts)
            return [i for i in positions if any(d.pk in recorded for d in group[i][1])]

        results = connection.send_group_then_commit(outgoing, commit=commit_positions)
        for (run, deliveries, _user), result in zip(group, results, strict=True):
            if result is None or isinstance(result, NotCommitted):
                continue  # sent; or taken over (its notices were freed for another digest)
            counts.pop(run.pk, None)
            failures.append((run, deliveries, channels.outcome_of(result)))
    return counts


def _digest_failed(*, run: DigestRun, deliveries: list[Delivery], exc: Exception, claimed_at) -> None:
    error = _error_text(exc)
    permanent = getattr(exc, "permanent", False)
    give_up = Q(attempts__gte=settings.NOTIFY_MAX_ATTEMPTS) | Q(pk__in=[d.pk for d in deliveries] if permanent else [])
    # SENT too: a server that refused a digest at its end, after the commit.
    Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], state__in=[State.SENDING, State.SENT], claimed_at=claimed_at
    ).update(
        state=Case(When(give_up, then=Value(State.GIVEN_UP)), default=Value(State.QUEUED)),
        last_error=error,
        claimed_at=None,
    )
    # Without its run the period is tried again by the next digest job.
    run.delete()
    logger.warning("digest for user %s failed: %s", run.user_id, error)


# --- Reading ------------------------------------------------------------------------------------


def notice_mark_read(*, notice: Notice, user) -> bool:
    """Mark one of the person's own notices read; False if it already was."""
    if not policies.can_read_notice(user, notice):
        raise PermissionDenied
    now = timezone.now()
    updated = Notice.objects.filter(pk=notice.pk, recipient=user, read_at__isnull=True).update(read_at=now)
    forget_unread_of([user.pk])
    if updated:
        notice.read_at = now
    return bool(updated)


def notices_mark_all_read(*, user) -> int:
    """Mark every unread notice of the person read; returns how many."""
    marked = Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_of([user.pk])
    return marked


# --- Preferences --------------------------------------------------------------------------------


def _preference_errors(
    *,
    user,
    channels: Mapping[str, Mapping],
    frequency: str,
    digest_weekday: int,
    quiet_start,
    quiet_end,
    language: str,
) -> list[str]:
    errors = []
    unknown = sorted(set(channels) - set(CHOOSABLE))
    if unknown:
        errors.append(_("Unknown category: %(names)s.") % {"names": ", ".join(unknown)})
    if any(choice.get("sms", SmsChoice.OFF) not in SmsChoice.values for choice in channels.values()):
        errors.append(_("Choose when to get text messages: never, only when urgent, or always."))
    by_zalo = sorted(category for category, choice in channels.items() if choice.get("zalo"))
    if by_zalo:
        if not (user.phone and user.phone_verified):
            errors.append(_("Zalo messages go to a verified phone number: add and verify one in your account first."))
        elif not set(by_zalo) <= zalo.categories_approved():
            errors.append(_("The school cannot send these notices by Zalo yet: choose e-mail or SMS for them."))
    if frequency not in Frequency.values:
        errors.append(_("Choose how often to get e-mails."))
    if not isinstance(digest_weekday, int) or not 0 <= digest_weekday <= 6:
        errors.append(_("Choose a day of the week for the weekly e-mail."))
    if quiet_start == quiet_end:
        errors.append(_("Quiet hours must start and end at different times."))
    if language not in dict(settings.LANGUAGES):
        errors.append(_("Choose a language."))
    return errors


@transaction.atomic
def preference_update(
    *,
    user,
    channels: Mapping[str, Mapping[str, Any]],
    frequency: str,
    digest_time: datetime.time,
    digest_weekday: int,
    quiet_start: datetime.time,
    quiet_end: datetime.time,
    language: str,
    zalo_try_again: bool = False,
) -> Preference:
    """Save how the person wants to be told; what is still waiting follows the new choices.

    `zalo_try_again` forgets that Zalo could not reach the person's number
    (they made a Zalo account, or unblocked the school's Official Account).
    """
    errors = _preference_errors(
        user=user,
        channels=channels,
        frequency=frequency,
        digest_weekday=digest_weekday,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        language=language,
    )
    if errors:
        raise ValidationError(errors)
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.channels = {
        category: {
            "email": bool(choice.get("email")),
            "sms": choice.get("sms", SmsChoice.OFF),
            "zalo": bool(choice.get("zalo")),
        }
        for category, choice in {**preference.channels, **channels}.items()
        if category in CHOOSABLE
    }
    if zalo_try_again:
        preference.zalo_unreachable_phone, preference.zalo_unreachable_reason = "", ""
        preference.zalo_unreachable_at = None
    preference.frequency = frequency
    preference.digest_time = digest_time
    preference.digest_weekday = digest_weekday
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.save()
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])

    waiting = Delivery.objects.filter(notice__recipient=user, state__in=[State.QUEUED, State.FAILED])
    # A channel switched off stops what has not gone out yet (account messages
    # are not the person's to switch off).
    switched_off = Q(pk__in=[])
    for category in CHOOSABLE:
        choice = preference.choice_for(category)
        if not choice["email"]:
            switched_off |= Q(notice__category=category, channel=Channel.EMAIL)
        if not choice["zalo"]:
            switched_off |= Q(notice__category=category, channel=Channel.ZALO)
        if choice["sms"] == SmsChoice.OFF:
            switched_off |= Q(notice__category=category, channel=Channel.SMS)
        elif choice["sms"] == SmsChoice.URGENT:
            switched_off |= Q(notice__category=category, channel=Channel.SMS, notice__urgent=False)
    waiting.filter(switched_off).delete()
    # No digest any more: what waited for one goes out on its own.
    if not preference.uses_digest:
        now = timezone.now()
        not_before = preference.after_quiet_hours(now)
        ids = list(waiting.filter(digest=True).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(digest=False, not_before=not_before)
        if not_before <= now:
            _enqueue_on_commit(ids)
    return preference
