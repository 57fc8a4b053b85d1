"""The events part's models: school events (festivals, demonstration lessons, meetings, working days),
the families' answers, volunteer roles and their sign-ups, and the gallery of photos afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schools.models import SchoolLink

__all__ = [
    "Event",
    "EventAnswer",
    "EventClassroom",
    "EventKind",
    "EventPhoto",
    "EventPhotoChild",
    "VolunteerRole",
    "VolunteerSignup",
]


class EventKind(models.TextChoices):
    FESTIVAL = "festival", _("Festival")
    DEMONSTRATION_LESSON = "demonstration_lesson", _("Demonstration lesson")
    MEETING = "meeting", _("Meeting")
    WORKING_DAY = "working_day", _("Working day")


class Event(models.Model):
    """Something the school invites families to: the whole school, or some of its classes."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(pgettext_lazy("heading of a post", "title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    programme = models.TextField(_("programme"), blank=True)
    whole_school = models.BooleanField(_("the whole school"), default=False)
    classrooms = models.ManyToManyField(
        "schools.Classroom", blank=True, through="EventClassroom", related_name="+", verbose_name=_("classes invited")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["school", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class EventAnswer(models.Model):
    """A family's answer: coming or not, and with how many people (one answer per guardian)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="answers")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coming = models.BooleanField(_("coming"))
    people = models.PositiveSmallIntegerField(_("how many people"), default=0)
    answered_at = models.DateTimeField(pgettext_lazy("event", "answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["event", "guardian"], name="event_answer_once")]

    def __str__(self):
        return f"{self.event_id}: {self.guardian_id}"


class VolunteerRole(models.Model):
    """A job parents can take on at the event, with a number of places ("set up the stage: 6")."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("role"), max_length=120)
    description = models.CharField(_("what it involves"), max_length=300, blank=True)
    slots = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("volunteer role")
        verbose_name_plural = _("volunteer roles")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(slots__gte=1), name="volunteer_role_has_slots"),
            models.UniqueConstraint(fields=["event", "name"], name="volunteer_role_name_once"),
        ]

    def __str__(self):
        return self.name


class VolunteerSignup(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    role = models.ForeignKey(VolunteerRole, on_delete=models.CASCADE, related_name="signups")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer sign-up")
        verbose_name_plural = _("volunteer sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["role", "guardian"], name="volunteer_signup_once")]

    def __str__(self):
        return f"{self.role_id}: {self.guardian_id}"


class EventPhoto(models.Model):
    """A photo of the event. Families see it only when it is tagged and every child in it may be shown."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    media = models.OneToOneField("mediafiles.MediaFile", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    children = models.ManyToManyField(
        "schools.Child",
        blank=True,
        through="EventPhotoChild",
        related_name="+",
        verbose_name=_("children in the photo"),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.caption or str(self.media_id)


class EventClassroom(SchoolLink):
    """A class an event is for (the link table of Event.classrooms)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey("schools.Classroom", on_delete=models.CASCADE, related_name="+")

    school_from = "event"

    class Meta:
        db_table = "community_event_classrooms"
        unique_together = [("event", "classroom")]
        verbose_name = _("class of an event")
        verbose_name_plural = _("classes of events")

    def __str__(self):
        return f"{self.event_id} – {self.classroom_id}"


class EventPhotoChild(SchoolLink):
    """A child shown on an event photo (the link table of EventPhoto.children)."""

    eventphoto = models.ForeignKey(EventPhoto, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="+")

    school_from = "eventphoto"

    class Meta:
        db_table = "community_eventphoto_children"
        unique_together = [("eventphoto", "child")]
        verbose_name = _("child on an event photo")
        verbose_name_plural = _("children on event photos")

    def __str__(self):
        return f"{self.eventphoto_id} – {self.child_id}"
