"""Notices to one person, their e-mail and SMS deliveries, and each person's choices.

A notice is what the person sees in the portal; a delivery is one attempt to
tell them elsewhere (one per channel, at most), with its own state so that a
dead worker or a failing gateway never loses or doubles a message.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlparse

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ACTIVITY = "activity", _("Home activities")
    FEEDBACK = "feedback", _("Teachers' feedback")
    WORKS = "works", _("Children's works")
    ANNOUNCEMENT = "announcement", _("School announcements")
    PICKUP = "pickup", _("Pick-up notices")
    LOANS = "loans", _("Borrowed toys and costumes")
    EVENTS = "events", _("Events and volunteering")
    PLEDGES = "pledges", _("Contributions and pledges")
    HEALTH = "health", _("Health and growth")
    HONOUR_ROLL = "honour_roll", _("Honour roll and thanks")
    FEEDBACK_BOX = "feedback_box", _("Feedback box and polls")
    ACCOUNT = "account", _("Your account")
    FAMILY = "family", _("Who looks after your child")


# Sign-in codes, password links, a new staff member's welcome: the person asked
# for them (or cannot use the portal without them), so they go at once on the
# channel they are for, whatever the preferences and the hour. A new guardian of
# a child, or a pick-up person added or removed, goes the same way to the
# child's other guardians and teachers: one of them may have to say at once
# that they do not know this person.
ALWAYS_SENT = frozenset({Category.ACCOUNT, Category.FAMILY})
# Account messages may hold a secret (a sign-in code, a password link): their text is erased once
# sent, hidden in the admin, and their SMS count against the sign-up budgets, not a member's.
ACCOUNT_TEXTS = frozenset({Category.ACCOUNT})
# The categories a person chooses channels for.
CHOOSABLE = [category for category in Category if category not in ALWAYS_SENT]


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class SmsChoice(models.TextChoices):
    OFF = "off", _("Never")
    URGENT = "urgent", _("Only when urgent")
    ALL = "all", _("Always")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one e-mail per notice")
    DAILY = "daily", _("One e-mail a day")
    WEEKLY = "weekly", _("One e-mail a week")


# Text messages cost the family attention (and the school money): only what
# cannot wait goes by SMS unless the person asks for more.
DEFAULT_SMS = {Category.ANNOUNCEMENT: SmsChoice.URGENT, Category.PICKUP: SmsChoice.ALL}


def default_channels() -> dict[str, dict]:
    return {
        category.value: {"email": True, "sms": DEFAULT_SMS.get(category, SmsChoice.OFF).value, "zalo": False}
        for category in Category
    }


def local_zone() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def safe_notice_url(url: str) -> bool:
    """A notice links inside the portal only: a path, or an address on SITE_URL."""
    if not url:
        return True
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return True
    site, target = urlparse(settings.SITE_URL), urlparse(url)
    return target.scheme == site.scheme and target.netloc == site.netloc


class Notice(models.Model):
    """One message to one person, shown in the portal and sent on the channels they chose."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("school"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # What a Zalo template may say about the notice besides its kind (see
    # notifications.zalo): a child's given name, never more about a child,
    # and a short kind ("Picked up late") where the category says too little.
    child_name = models.CharField(_("child's given name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Whoever sends a notice names it (e.g. "activity:42:posted"), so that a
    # retried job or a double click never tells the same person twice.
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notice_unique_dedupe_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_recipient_newest"),
            # The nightly report figures count a month of a school's notices (notifications/report_sections.py).
            models.Index(fields=["school", "created_at"], name="notice_school_created"),
            # The bell counts unread notices on every page: a small partial index.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notice_recipient_unread"),
            # Account messages whose text (a sign-in code, a password link) is
            # still kept: few, and erased once sent (services.deliveries_sweep).
            models.Index(
                fields=["created_at"], condition=Q(category="account") & ~Q(body=""), name="notice_account_text_kept"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def absolute_url(self) -> str:
        if self.url.startswith("/"):
            return settings.SITE_URL + self.url
        return self.url


class Delivery(models.Model):
    """A notice sent by e-mail, SMS or Zalo: at most one per notice and channel."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        GIVEN_UP = "given_up", _("Given up")
        # A Zalo message whose request got no clear answer (a timeout, a
        # dropped connection): it may have gone, so it is never sent again,
        # only settled by Zalo's report or its status query.
        UNCLEAR = "unclear", _("Outcome unknown")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notice"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    # Waits for the person's daily or weekly digest instead of going out alone.
    digest = models.BooleanField(_("in the digest"), default=False)
    # Where it goes when not to the person's own address or verified number: a
    # new e-mail address or phone number that the message is to confirm.
    address = models.CharField(_("address"), max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Not sent before this moment: the end of quiet hours, or the next retry.
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    # Set when a worker takes the delivery; a claim older than the lease is
    # presumed dead (the worker was killed) and may be taken again.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Zalo: the message id ZNS answered with, and what its reports said.
    external_id = models.CharField(_("message id"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    seen_at = models.DateTimeField(_("read on the phone"), null=True, blank=True)
    # When ZNS's status query was last asked about it (not more than once per ZALO_STATUS_AFTER_SECONDS).
    status_checked_at = models.DateTimeField(_("status asked"), null=True, blank=True)
    # An SMS sent because Zalo could not reach the person (its Zalo delivery says why).
    fallback = models.BooleanField(_("instead of Zalo"), default=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="delivery_one_per_channel"),
        ]
        indexes = [
            models.Index(fields=["state", "not_before"], name="delivery_state_not_before"),
            # The digest job looks only at e-mails waiting for a digest.
            models.Index(fields=["notice"], condition=Q(state="queued", digest=True), name="delivery_digest_pending"),
            # Zalo messages waiting for a delivery report (the timed fallback, the status query).
            models.Index(
                fields=["sent_at"],
                condition=Q(channel="zalo", state__in=["sent", "unclear"], delivered_at__isnull=True),
                name="delivery_zalo_unreported",
            ),
            models.Index(fields=["created_at"], name="delivery_created"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.notice}"

    @property
    def message_id(self) -> str:
        """The same for every attempt, so that a receiver can drop a duplicate."""
        return f"<notice-{self.notice_id}.{self.channel}.{self.pk}@{mail_domain()}>"


def mail_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


class ZaloUnreachable(models.TextChoices):
    NO_ACCOUNT = "no_account", _("No Zalo account on this number")
    BLOCKED = "blocked", _("The Official Account is blocked")
    INVALID = "invalid", _("Zalo does not accept this number")


class Preference(models.Model):
    """How one person wants to be told; the row is made the first time they get a notice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    # {category: {"email": bool, "sms": "off" | "urgent" | "all", "zalo": bool}};
    # a category missing here (a new one) gets the defaults.
    channels = models.JSONField(_("channels"), default=default_channels, blank=True)
    frequency = models.CharField(
        _("e-mail frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    digest_time = models.TimeField(_("digest time"), default=datetime.time(18, 0))
    digest_weekday = models.PositiveSmallIntegerField(_("weekly digest day"), choices=list(WEEKDAYS.items()), default=6)
    quiet_start = models.TimeField(_("quiet hours start"), default=datetime.time(21, 0))
    quiet_end = models.TimeField(_("quiet hours end"), default=datetime.time(6, 30))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Zalo could not reach this number (no Zalo account, or the Official
    # Account is blocked): messages go by SMS instead until the person asks to
    # try Zalo again, or has another number.
    zalo_unreachable_phone = models.CharField(_("number Zalo could not reach"), max_length=20, blank=True)
    zalo_unreachable_reason = models.CharField(
        _("why Zalo could not reach it"), max_length=20, choices=ZaloUnreachable.choices, blank=True
    )
    zalo_unreachable_at = models.DateTimeField(_("when Zalo could not reach it"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(condition=~Q(quiet_start=F("quiet_end")), name="preference_quiet_hours_not_empty"),
            models.CheckConstraint(condition=Q(digest_weekday__lte=6), name="preference_weekday_valid"),
        ]

    def __str__(self):
        return str(self.user)

    def choice_for(self, category: str) -> dict:
        default = default_channels()[category]
        stored = (self.channels or {}).get(category) or {}
        return {
            "email": bool(stored.get("email", default["email"])),
            "sms": stored.get("sms") if stored.get("sms") in SmsChoice.values else default["sms"],
            "zalo": bool(stored.get("zalo", default["zalo"])),
        }

    def sms_covers(self, category: str, *, urgent: bool) -> bool:
        """Whether the person's SMS choice asks for such a notice by text message."""
        sms = self.choice_for(category)["sms"]
        return sms == SmsChoice.ALL or (sms == SmsChoice.URGENT and urgent)

    def zalo_reaches(self, phone: str) -> bool:
        """False while this number is marked as one Zalo cannot reach."""
        return not (self.zalo_unreachable_phone and self.zalo_unreachable_phone == phone)

    def channels_for(self, category: str, *, urgent: bool, zalo: bool = False) -> list[str]:
        """The channels besides the portal itself that this person chose for such a notice.

        `zalo`: whether Zalo can carry it (an approved template for the
        category, a verified number Zalo reaches). Zalo, when chosen, replaces
        SMS: the text message then goes only as a fallback (channels.zalo).
        """
        choice = self.choice_for(category)
        channels = []
        if choice["email"]:
            channels.append(Channel.EMAIL.value)
        if choice["zalo"] and zalo:
            channels.append(Channel.ZALO.value)
        elif self.sms_covers(category, urgent=urgent):
            channels.append(Channel.SMS.value)
        return channels

    @property
    def uses_digest(self) -> bool:
        return self.frequency in (Frequency.DAILY, Frequency.WEEKLY)

    def is_quiet_at(self, moment: datetime.datetime) -> bool:
        at = timezone.localtime(moment, local_zone()).time()
        start, end = self.quiet_start, self.quiet_end
        if start < end:
            return start <= at < end
        return at >= start or at < end  # across midnight, as usual (21:00–06:30)

    def after_quiet_hours(self, moment: datetime.datetime) -> datetime.datetime:
        """The moment itself, or the end of the quiet hours it falls in."""
        if not self.is_quiet_at(moment):
            return moment
        local = timezone.localtime(moment, local_zone())
        day = local.date() if local.time() < self.quiet_end else local.date() + datetime.timedelta(days=1)
        return datetime.datetime.combine(day, self.quiet_end, tzinfo=local_zone())

    def digest_slot(self, now: datetime.datetime) -> datetime.datetime | None:
        """The latest daily or weekly digest time at or before now (None without digests)."""
        local = timezone.localtime(now, local_zone())
        if self.frequency == Frequency.DAILY:
            slot = datetime.datetime.combine(local.date(), self.digest_time, tzinfo=local_zone())
            step = datetime.timedelta(days=1)
        elif self.frequency == Frequency.WEEKLY:
            day = local.date() - datetime.timedelta(days=(local.weekday() - self.digest_weekday) % 7)
            slot = datetime.datetime.combine(day, self.digest_time, tzinfo=local_zone())
            step = datetime.timedelta(days=7)
        else:
            return None
        return slot - step if slot > local else slot

    def digest_period_key(self, slot: datetime.datetime) -> str:
        return f"{self.frequency}:{timezone.localtime(slot, local_zone()).date().isoformat()}"


class DigestRun(models.Model):
    """One digest e-mail for one person and period, claimed before it is sent so it never goes twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests", verbose_name=_("user")
    )
    period_key = models.CharField(_("period"), max_length=40)
    slot_at = models.DateTimeField(_("digest time"))
    claim_token = models.UUIDField(_("claim"), db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    notice_count = models.PositiveIntegerField(_("notices"), default=0)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["user", "period_key"], name="digest_once_per_period")]

    def __str__(self):
        return f"{self.user} · {self.period_key}"

    @property
    def message_id(self) -> str:
        return f"<digest-{self.pk}@{mail_domain()}>"


class ReminderTally(models.Model):
    """How many follow-ups about one matter a person was sent, kept when their old notices are purged.

    The reminder jobs count a series' follow-ups from the notices themselves (reminders._follow_up_numbers);
    the retention job adds the purged ones here first, so that nobody is reminded more often after a purge.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    # The series' dedupe key without the follow-up's number ("reminder:<job>:<key>").
    key = models.CharField(_("reminder"), max_length=200)
    count = models.PositiveIntegerField(_("follow-ups sent"), default=0)
    last_at = models.DateTimeField(_("last sent"))

    class Meta:
        verbose_name = _("follow-up count")
        verbose_name_plural = _("follow-up counts")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="reminder_tally_once")]

    def __str__(self):
        return f"{self.key} · {self.count}"


class SmsCount(models.Model):
    """Text messages sent and refused in one budget's window: per number, address, person or all together.

    Counted before sending (notifications.budgets) by one conditional upsert
    per budget, so that several web and worker processes never let more
    through than the limit. Kept for SMS_COUNTS_KEEP_DAYS for the superuser.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Sign-up and sign-in texts")
        NOTICE = "notice", _("Notices to members")

    class Scope(models.TextChoices):
        NUMBER = "number", _("Per phone number, per day")
        IP = "ip", _("Per IP address, per hour")
        ALL = "all", _("All together, per day")
        PERSON = "person", _("Per member, per day")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scope = models.CharField(_("budget"), max_length=10, choices=Scope.choices)
    # The phone number, the IP address or the person's id; empty for all together.
    key = models.CharField(_("counted for"), max_length=64, blank=True)
    period_start = models.DateTimeField(_("from"))
    sent = models.PositiveIntegerField(_("sent"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)

    class Meta:
        verbose_name = _("text-message count")
        verbose_name_plural = _("text-message counts")
        ordering = ["-period_start", "kind", "scope", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "scope", "key", "period_start"], name="sms_count_one_per_window"),
        ]
        indexes = [models.Index(fields=["period_start"], name="sms_count_period")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_scope_display()} · {self.key or '*'}"


# --- Zalo (notifications.zalo) -------------------------------------------------------------------

# What ZNS takes in one message: the template's parameters together.
ZALO_MESSAGE_MAX_CHARS = 400


class ZaloAccount(models.Model):
    """The deployment's one Zalo Official Account: its tokens, renewed under a lock (zalo.access_token).

    The app id and secret come from settings. The access token lasts about 25
    hours; the refresh token works once, so two workers must never both spend
    it. Neither is ever logged or shown: the superuser can only paste a new
    refresh token (from Zalo's developer console) in the admin.
    """

    access_token = models.TextField(_("access token"), blank=True)
    access_expires_at = models.DateTimeField(_("access token expires"), null=True, blank=True)
    refresh_token = models.TextField(_("refresh token"), blank=True)
    refreshed_at = models.DateTimeField(_("tokens renewed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zalo Official Account")
        verbose_name_plural = _("Zalo Official Account")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="zalo_account_single")]

    def __str__(self):
        return str(_("Zalo Official Account"))


class ZaloTemplate(models.Model):
    """The template approved by Zalo that carries one category of notices; none means no Zalo for it."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, unique=True)
    template_id = models.CharField(_("template id"), max_length=32)
    # Set by the superuser once Zalo approved it; cleared by the portal when
    # ZNS answers that it is not (or no longer) approved.
    approved = models.BooleanField(_("approved by Zalo"), default=False)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Zalo template")
        verbose_name_plural = _("Zalo templates")
        ordering = ["category"]

    def __str__(self):
        return f"{self.get_category_display()} · {self.template_id}"


class ZaloTemplateParam(models.Model):
    """One parameter of a template, and what of the notice fills it (never free text about a child)."""

    class Source(models.TextChoices):
        KIND = "kind", _("The kind of message")
        TITLE = "title", _("The announcement's title (announcements only)")
        CHILD = "child", _("The child's given name")
        SCHOOL = "school", _("The school's name")
        DATE = "date", _("The notice's date")
        LINK = "link", _("The link to the notice in the portal")

    template = models.ForeignKey(
        ZaloTemplate, on_delete=models.CASCADE, related_name="params", verbose_name=_("template")
    )
    name = models.CharField(_("parameter"), max_length=50)
    source = models.CharField(_("filled with"), max_length=10, choices=Source.choices)
    max_length = models.PositiveSmallIntegerField(_("maximum length"), default=30)

    class Meta:
        verbose_name = _("template parameter")
        verbose_name_plural = _("template parameters")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="zalo_param_unique_name"),
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=ZALO_MESSAGE_MAX_CHARS), name="zalo_param_length"
            ),
        ]

    def __str__(self):
        return self.name


class ZaloEvent(models.Model):
    """A call to the Zalo webhook, kept for the superuser: what it said, and whether its signature held."""

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    event_name = models.CharField(_("event"), max_length=60, blank=True)
    signature_valid = models.BooleanField(_("signature valid"), default=False)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("delivery")
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Zalo report")
        verbose_name_plural = _("Zalo reports")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["received_at"], name="zalo_event_received")]

    def __str__(self):
        return f"{self.event_name or '?'} · {self.received_at:%Y-%m-%d %H:%M}"
