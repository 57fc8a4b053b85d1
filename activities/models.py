"""Home-learning activities: what a teacher posts to classes, and what families answer.

An activity goes to one or more classes, with a video, photos, or the teacher's
voice instructions (a sound recording). While its files are being prepared it
waits (WAITING) and is published by `activities.receivers` when they are
ready; a file that could not be used sends it back to DRAFT with the reason.
Families see it once PUBLISHED. Each child of its classes may get one answer
(a photo, a short clip or a voice recording, with a note) from the family; the answer is private
to that family and the staff unless the family offers it to the class and the
teacher approves it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from schools.models import AgeGroup, Domain


class Sticker(models.TextChoices):
    STAR = "star", _("Star")
    HEART = "heart", _("Heart")
    THUMBS_UP = "thumbs_up", _("Thumbs up")
    RAINBOW = "rainbow", _("Rainbow")
    SUN = "sun", _("Sun")


class Activity(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Published as soon as its video (and photos) are ready.
        WAITING = "waiting", _("Waiting for the video")
        PUBLISHED = "published", pgettext_lazy("state", "Published")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(pgettext_lazy("heading of a post", "title"), max_length=200)
    instructions = models.TextField(_("instructions"))
    materials = models.TextField(_("materials found at home"), blank=True)
    domain = models.CharField(_("developmental domain"), max_length=20, choices=Domain.choices)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    video = models.OneToOneField(
        "mediafiles.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_video",
        verbose_name=_("video"),
    )
    # The teacher's voice telling what to do, beside or instead of the video: families who read
    # little follow a voice better than a text.
    voice = models.OneToOneField(
        "mediafiles.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_voice",
        verbose_name=_("voice instructions"),
    )
    classrooms = models.ManyToManyField(
        "schools.Classroom",
        through="ActivityClassroom",
        related_name="activities",
        verbose_name=_("classes"),
    )
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Why a publication was held back (the video could not be used), in the author's language.
    held_reason = models.CharField(_("why it was not published"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(pgettext_lazy("date published", "published"), null=True, blank=True)

    class Meta:
        verbose_name = _("home activity")
        verbose_name_plural = _("home activities")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "state", "-published_at"], name="activity_school_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="published", published_at__isnull=False) | ~Q(state="published"),
                name="activity_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_waiting(self) -> bool:
        return self.state == self.State.WAITING


class ActivityClassroom(models.Model):
    """A class an activity goes to, with what the teacher did for that class."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links")
    classroom = models.ForeignKey("schools.Classroom", on_delete=models.CASCADE, related_name="activity_links")
    # Children in the class when the activity was published: the rate over time is measured against it.
    enrolled = models.PositiveIntegerField(_("children when published"), null=True, blank=True)
    # One reminder per activity and class to the families that have not answered.
    nudged_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    nudged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("class of a home activity")
        verbose_name_plural = _("classes of home activities")
        constraints = [
            models.UniqueConstraint(fields=["activity", "classroom"], name="unique_activity_classroom"),
        ]
        indexes = [models.Index(fields=["classroom", "activity"], name="activity_link_classroom")]

    def __str__(self):
        return f"{self.activity} – {self.classroom}"


class ActivityPhoto(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    media = models.OneToOneField("mediafiles.MediaFile", on_delete=models.CASCADE, related_name="activity_photo")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo of a home activity")
        verbose_name_plural = _("photos of home activities")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.activity} – {self.position + 1}"


class ActivityView(models.Model):
    """A guardian opened the activity for a child (the first opening counts)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="views")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="activity_views")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    viewed_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("opening of a home activity")
        verbose_name_plural = _("openings of home activities")
        constraints = [models.UniqueConstraint(fields=["activity", "child"], name="one_view_per_child")]

    def __str__(self):
        return f"{self.child} – {self.activity}"


class Answer(models.Model):
    """A family's answer for one child: a photo, a short clip or a voice recording, and a note."""

    class Sharing(models.TextChoices):
        PRIVATE = "private", _("Only our family and the teachers")
        OFFERED = "offered", _("Offered to the class, waiting for the teacher")
        APPROVED = "approved", _("Shown to the class")
        DECLINED = "declined", _("Kept private by the teacher")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="answers")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="activity_answers")
    # The child's class when the family answered: its teachers review the answer.
    classroom = models.ForeignKey("schools.Classroom", on_delete=models.CASCADE, related_name="activity_answers")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="activity_answers",
        verbose_name=_("sent by"),
    )
    media = models.OneToOneField(
        "mediafiles.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_answer",
        verbose_name=_("photo, clip or recording"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    sharing = models.CharField(_("shown to"), max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE)
    offered_at = models.DateTimeField(_("offered to the class"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(_("teacher's comment"), blank=True)
    sticker = models.CharField(_("sticker"), max_length=12, choices=Sticker.choices, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback by"),
    )
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a home activity")
        verbose_name_plural = _("answers to home activities")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["activity", "child"], name="one_answer_per_child")]
        indexes = [models.Index(fields=["activity", "classroom"], name="answer_activity_classroom")]

    def __str__(self):
        return f"{self.child} – {self.activity}"

    @property
    def has_feedback(self) -> bool:
        return self.feedback_at is not None

    @property
    def is_shared(self) -> bool:
        return self.sharing == self.Sharing.APPROVED


# --- The authorities' library ---------------------------------------------------------------------


class LibraryEntry(models.Model):
    """An activity a school offered to an authority's library of good home activities.

    A teacher or principal offers it to the school's commune (or ward) or, through it, to the province,
    confirming that its video, photos and voice show no child; an officer of that authority checks it
    and approves it (tagged by domain and age, perhaps featured) or refuses it with a reason. Only the
    activity itself is offered: its answers and everything about the children stay at the school.
    """

    class State(models.TextChoices):
        OFFERED = "offered", _("Waiting for the authority")
        APPROVED = "approved", _("In the library")
        REFUSED = "refused", _("Refused")

    authority = models.ForeignKey(
        "schools.Authority", on_delete=models.CASCADE, related_name="library_entries", verbose_name=_("authority")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="library_entries", verbose_name=_("school")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="library_entries", verbose_name=_("home activity")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OFFERED)
    # What the person who offered it confirmed: its video, photos and voice show no child.
    no_child_confirmed = models.BooleanField(_("shows no child"), default=False)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("offered by")
    )
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    # The officer's tags (the activity's own at first) and choices.
    domain = models.CharField(_("developmental domain"), max_length=20, choices=Domain.choices)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    featured = models.BooleanField(_("featured"), default=False)
    refusal_reason = models.CharField(_("why it was refused"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity in an authority's library")
        verbose_name_plural = _("activities in authorities' libraries")
        ordering = ["-featured", "-decided_at", "-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "authority"], name="one_library_entry_per_authority"),
            models.CheckConstraint(condition=Q(no_child_confirmed=True), name="library_entry_shows_no_child"),
        ]
        indexes = [models.Index(fields=["authority", "state"], name="library_entry_authority_state")]

    def __str__(self):
        return f"{self.activity} – {self.authority}"

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class LibraryAdoption(models.Model):
    """A school copied an activity of the library into one of its classes.

    The copy is an activity of the adopting school, with its own copies of the files; it credits the
    school it came from, whose name is kept here so that the credit outlives the original.
    """

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="library_adoptions", verbose_name=_("school")
    )
    entry = models.ForeignKey(
        LibraryEntry, on_delete=models.SET_NULL, null=True, related_name="adoptions", verbose_name=_("library entry")
    )
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="adopted_from", verbose_name=_("copy")
    )
    source_school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("from the school")
    )
    source_school_name = models.CharField(_("from the school"), max_length=200)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    adopted_at = models.DateTimeField(_("copied"), default=timezone.now)

    class Meta:
        verbose_name = _("copy of a library activity")
        verbose_name_plural = _("copies of library activities")
        ordering = ["-adopted_at", "-pk"]

    def __str__(self):
        return f"{self.activity} ({self.source_school_name})"


class Commendation(models.Model):
    """An authority commends a school, or a family of it, for a good model; shown on the school's public page."""

    authority = models.ForeignKey(
        "schools.Authority", on_delete=models.CASCADE, related_name="commendations", verbose_name=_("authority")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="commendations", verbose_name=_("school")
    )
    family_name = models.CharField(
        _("family or guardian"),
        max_length=150,
        blank=True,
        help_text=_(
            "Optional. The name of the family or guardian as they agreed to be named in public. "
            "Never write a child's name."
        ),
    )
    text = models.TextField(_("commendation"))
    awarded_on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["school", "-awarded_on"], name="commendation_school_date")]

    def __str__(self):
        return f"{self.school} – {self.awarded_on:%d/%m/%Y}"
