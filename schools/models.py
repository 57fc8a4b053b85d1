import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.lib.phone import normalize_phone


class District(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    province = models.CharField(_("province or city"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DistrictOfficer(models.Model):
    """An education officer who sees aggregated figures for a district's schools."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="district_posts")
    title = models.CharField(_("title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("district officer")
        verbose_name_plural = _("district officers")
        constraints = [models.UniqueConstraint(fields=["district", "user"], name="unique_district_officer")]

    def __str__(self):
        return f"{self.user} ({self.district})"


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    about = models.TextField(_("about the school"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="years")
    name = models.CharField(_("name"), max_length=20, help_text=_("For example 2026–2027"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current year"), default=False)

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_school_year_name"),
            models.UniqueConstraint(
                fields=["school"], condition=Q(is_current=True), name="one_current_year_per_school"
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class AgeGroup(models.TextChoices):
    # Vietnamese preschool groups by age in months.
    NHA_TRE = "nha_tre", _("Nursery (24–36 months)")
    MAM = "mam", _("Mầm (3–4 years)")
    CHOI = "choi", _("Chồi (4–5 years)")
    LA = "la", _("Lá (5–6 years)")


class Classroom(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classrooms")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classrooms")
    name = models.CharField(_("name"), max_length=100)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    room = models.CharField(_("room"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name"], name="unique_class_name_per_year"),
        ]

    def __str__(self):
        return self.name


class StaffRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice-principal")
    TEACHER = "teacher", _("Teacher")
    NURSE = "nurse", _("Nurse")
    ACCOUNTANT = "accountant", _("Accountant")


LEADER_ROLES = frozenset({StaffRole.PRINCIPAL, StaffRole.VICE_PRINCIPAL})


class StaffMembership(models.Model):
    """A person's role at one school; teachers also name the classes they teach."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    classrooms = models.ManyToManyField(Classroom, blank=True, related_name="teachers", verbose_name=_("classes"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    welcome_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="one_membership_per_school")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES


class Child(models.Model):
    class Sex(models.TextChoices):
        GIRL = "f", _("Girl")
        BOY = "m", _("Boy")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="children")
    full_name = models.CharField(_("full name"), max_length=150)
    nickname = models.CharField(_("nickname"), max_length=50, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    classroom = models.ForeignKey(
        Classroom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("current class"),
        help_text=_("Updated automatically from the child's current enrolment."),
    )
    left_on = models.DateField(_("left the school on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    @property
    def given_name(self) -> str:
        # Vietnamese names put the given name last.
        return self.nickname or self.full_name.split()[-1]


class Enrolment(models.Model):
    """A child's time in one class; the open one (no end date) is the current class."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    classroom = models.ForeignKey(Classroom, on_delete=models.PROTECT, related_name="enrolments")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(ends_on__isnull=True), name="one_open_enrolment"),
        ]

    def __str__(self):
        return f"{self.child} – {self.classroom}"


class PickupPerson(models.Model):
    """Someone without an account who may collect the child or is called in an emergency."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pickup_persons")
    full_name = models.CharField(_("full name"), max_length=150)
    relationship = models.CharField(_("relationship to the child"), max_length=60)
    phone = models.CharField(_("phone number"), max_length=20)
    id_number = models.CharField(_("ID card number"), max_length=20, blank=True)
    can_pick_up = models.BooleanField(_("may pick the child up"), default=True)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pick-up person or emergency contact")
        verbose_name_plural = _("pick-up persons and emergency contacts")
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.relationship})"

    def clean(self):
        # The number is checked and stored the same way wherever it is typed
        # (the family's form, the admin): a Vietnamese mobile number by default.
        super().clean()
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.error_list}) from exc


def school_today() -> datetime.date:
    """Today in the schools' time zone (Asia/Ho_Chi_Minh), whatever the reader's."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


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
    title = models.CharField(_("title"), max_length=200)
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
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

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
