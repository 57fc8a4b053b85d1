from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schools.models import Child, Classroom, PickupPerson, School


class Announcement(models.Model):
    """A message from the school to the families of the whole school or of chosen classes."""

    class Kind(models.TextChoices):
        PICKUP_TIME = "pickup_time", _("Pick-up time change")
        CLOSURE = "closure", _("Closure")
        MENU = "menu", _("Menu change")
        GENERAL = "general", _("General")

    class Audience(models.TextChoices):
        SCHOOL = "school", _("The whole school")
        CLASSES = "classes", _("Chosen classes")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(pgettext_lazy("heading of a post", "title"), max_length=200)
    body = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices, default=Audience.CLASSES)
    classrooms = models.ManyToManyField(
        Classroom,
        blank=True,
        through="AnnouncementClassroom",
        related_name="announcements",
        verbose_name=_("classes"),
    )
    requires_acknowledgement = models.BooleanField(
        _("families confirm they have read it"),
        default=False,
        help_text=_("Each guardian is asked to press “I have read and understood”."),
    )
    urgent = models.BooleanField(
        _("urgent"),
        default=False,
        help_text=_("Sent at once (not in the daily e-mail), and by SMS to those who want urgent messages by SMS."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Empty while it is a draft: families see it, and are told, once it is published.
    published_at = models.DateTimeField(pgettext_lazy("date published", "published"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-published_at"], name="announcement_school_published")]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_school_wide(self) -> bool:
        return self.audience == self.Audience.SCHOOL


class AnnouncementClassroom(models.Model):
    """A class an announcement is for (the link carries the school, like every table of school data)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("class of an announcement")
        verbose_name_plural = _("classes of announcements")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "classroom"], name="unique_announcement_classroom"),
        ]

    def __str__(self):
        return f"{self.announcement} – {self.classroom}"


class AnnouncementReceipt(models.Model):
    """One guardian opened an announcement, and perhaps confirmed having understood it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("announcement")
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="announcement_receipts",
        verbose_name=_("guardian"),
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement receipt")
        verbose_name_plural = _("announcement receipts")
        ordering = ["-read_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "guardian"], name="one_receipt_per_guardian"),
        ]

    def __str__(self):
        return f"{self.guardian} – {self.announcement}"


class PickupNotice(models.Model):
    """A guardian tells the class teachers about today's pick-up: late, early, absent, or someone else."""

    class Kind(models.TextChoices):
        LATE = "late", _("Late pick-up")
        EARLY = "early", _("Early pick-up")
        ABSENT = "absent", _("Absent")
        OTHER_PERSON = "other_person", _("Someone else picks up")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pickup_notices", verbose_name=_("child"))
    # The class when the notice was sent: its teachers are the ones told.
    classroom = models.ForeignKey(
        Classroom, on_delete=models.PROTECT, related_name="pickup_notices", verbose_name=_("class")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    reason = models.CharField(_("reason or note"), max_length=300, blank=True)
    # If the family later withdraws this person's permission the link is cut,
    # and the teacher's page says so instead of naming someone no longer allowed.
    pickup_person = models.ForeignKey(
        PickupPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("picked up by"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("pick-up notice")
        verbose_name_plural = _("pick-up notices")
        ordering = ["date", "time", "created_at"]
        indexes = [models.Index(fields=["classroom", "date"], name="pickup_notice_class_day")]

    def __str__(self):
        return f"{self.child} – {self.get_kind_display()} ({self.date:%d/%m/%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def person_still_approved(self) -> bool:
        person = self.pickup_person
        return person is not None and person.can_pick_up and person.child_id == self.child_id
