"""The families' feedback box and the school's polls.

A guardian sends a suggestion, a question or a concern to the school (or a concern straight to the
commune-level authority). The portal always stores the sender: to stop abuse and to answer privately;
`anonymous` only hides them from the school. Polls ask the families a short question: one answer per
child, the last one given by any of its guardians counts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MESSAGE_MAX = 2000
DEFAULT_ESCALATION_DAYS = 5


class FeedbackSettings(models.Model):
    """A school's own rules for its feedback box (a school without a row uses the defaults)."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    escalation_working_days = models.PositiveSmallIntegerField(
        _("working days before an unanswered item goes to the authority"),
        default=DEFAULT_ESCALATION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Counted on the school's calendar: weekends, public holidays and days off do not count."),
    )

    class Meta:
        verbose_name = _("feedback box settings")
        verbose_name_plural = _("feedback box settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_working_days__gte=1, escalation_working_days__lte=30),
                name="feedback_escalation_days_range",
            )
        ]

    def __str__(self):
        return str(_("Feedback box settings"))


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    QUESTION = "question", _("Question")
    CONCERN = "concern", _("Concern")


class Topic(models.TextChoices):
    """What an item is about: all an officer sees of an escalated item whose text is not shared."""

    MEALS = "meals", _("Meals and nutrition")
    SAFETY = "safety", _("Safety and health")
    TEACHING = "teaching", _("Teaching and activities")
    FACILITIES = "facilities", _("Buildings and equipment")
    FEES = "fees", _("Fees and contributions")
    COMMUNICATION = "communication", _("Communication with families")
    STAFF = "staff", _("Staff conduct")
    OTHER = "other", _("Something else")


class Route(models.TextChoices):
    SCHOOL = "school", _("To the school")
    AUTHORITY = "authority", _("Straight to the commune authority")


class FeedbackItem(models.Model):
    """One suggestion, question or concern, and its answer."""

    # The school the item is about: on the direct route too (it finds the authority), though the
    # school never sees such an item.
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    # Emptied when the sender's data is erased: the item stays, anonymous, with the school's answer.
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    route = models.CharField(_("sent"), max_length=10, choices=Route.choices, default=Route.SCHOOL)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    photo = models.OneToOneField(
        "mediafiles.MediaFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(_("anonymous to the school"), default=False)
    publish_agreed = models.BooleanField(_("the sender agrees to publish the question and answer"), default=False)
    share_with_authority = models.BooleanField(_("the sender agrees to show the text to the authority"), default=False)
    created_at = models.DateTimeField(_("sent at"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    answer = models.TextField(_("answer"), blank=True, max_length=MESSAGE_MAX)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Working days from sending to answering, on the school's calendar: kept as it was on the day.
    response_working_days = models.PositiveSmallIntegerField(_("answered in (working days)"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the authority"), null=True, blank=True)
    published_at = models.DateTimeField(pgettext_lazy("date published", "published"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "route", "created_at"], name="feedback_school_route"),
            models.Index(fields=["sender", "created_at"], name="feedback_sender"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="feedback_has_a_message"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="feedback_answered_with_words"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(publish_agreed=True, answered_at__isnull=False, route="school"),
                name="feedback_published_with_agreement",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | Q(route="school"), name="feedback_direct_not_escalated"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("created_at")),
                name="feedback_answered_after_sent",
            ),
        ]

    def __str__(self):
        # Never the sender, nor the text: this is what the admin's history and lists show.
        return f"{self.get_kind_display()} #{self.pk} – {self.get_topic_display()}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Poll(models.Model):
    """A short question the school asks its families, open until `closes_at`."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    question = models.CharField(_("question"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "closes_at"], name="poll_school_closes")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("created_at")), name="poll_closes_after_asked"),
        ]

    def __str__(self):
        return self.question


class PollOption(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("answer"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("possible answer")
        verbose_name_plural = _("possible answers")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "label"], name="poll_option_once")]

    def __str__(self):
        return self.label


class PollAnswer(models.Model):
    """A child's answer: one per child and poll; a guardian answering again replaces it."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [models.UniqueConstraint(fields=["poll", "child"], name="poll_answer_one_per_child")]

    def __str__(self):
        return f"{self.poll_id}: {self.child_id}"
