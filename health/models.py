"""Health and growth: measurements with their WHO z-scores, check-ups, follow-up, allergies and reads.

Health data is the most sensitive data the portal holds. The school records it under its duty of
care; only the child's guardians, the nurse, the class's teachers and the school's leaders see it
(`health.policies`), and every staff read of a child's record is logged (`HealthRead`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.lib.allergens import Allergen
from mediafiles.models import MediaFile
from schools.models import Child, School


class HealthSettings(models.Model):
    """A school's own thresholds for measuring day: a change larger than these since the child's last
    measurement is flagged for the person entering it to confirm or correct."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="health_settings")
    weight_change_kg = models.DecimalField(
        _("largest weight change without a check (kg)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("20"))],
    )
    height_change_cm = models.DecimalField(
        _("largest height gain without a check (cm)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("6.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("30"))],
        help_text=_("A child never gets shorter: any loss of more than 1 cm is flagged too."),
    )

    class Meta:
        verbose_name = _("health settings")
        verbose_name_plural = _("health settings")

    def __str__(self):
        return str(self.school)


class Position(models.TextChoices):
    LYING = "lying", _("Lying (length)")
    STANDING = "standing", _("Standing (height)")


class Place(models.TextChoices):
    SCHOOL = "school", _("At school")
    HEALTH_STATION = "station", _("At the health station")


class Reference(models.TextChoices):
    WHO_2006 = "who2006", _("WHO Child Growth Standards 2006 (0–60 months)")
    WHO_2007 = "who2007", _("WHO Growth Reference 2007 (5–19 years)")
    NONE = "none", _("No WHO reference for this age")


class Level(models.TextChoices):
    """Where a z-score falls; each indicator names the levels in its own words (health.growth)."""

    SEVERE_LOW = "severe_low", _("Severely low")
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


class MeasurementQuerySet(models.QuerySet):
    def needing_follow_up(self):
        """Measurements with at least one level outside normal."""
        outside = ~Q(wfa_level__in=["", Level.NORMAL])
        for field in ("hfa_level", "wfh_level", "bmi_level"):
            outside |= ~Q(**{f"{field}__in": ["", Level.NORMAL]})
        return self.filter(outside)


class Measurement(models.Model):
    """One child's weight and height on one day, with what WHO's references make of them.

    The z-scores, levels and flags are computed by `health.growth` when the row is saved through
    `health.services`, and computed again when the child's date of birth or sex is corrected.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("80.0"))],
    )
    height_cm = models.DecimalField(
        _("height or length (cm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("40.0")), MaxValueValidator(Decimal("160.0"))],
    )
    position = models.CharField(_("measured"), max_length=10, choices=Position.choices, default=Position.STANDING)
    muac_cm = models.DecimalField(
        _("mid-upper-arm circumference (cm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("7.0")), MaxValueValidator(Decimal("35.0"))],
    )
    place = models.CharField(_("where"), max_length=10, choices=Place.choices, default=Place.SCHOOL)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measured by"),
    )
    # The health station's staff have no account: their name, as the station's list gives it.
    measured_by_name = models.CharField(_("measured by (name)"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    # What the growth references make of it (health.growth), with what they were computed from.
    age_days = models.PositiveIntegerField(_("age in days"), editable=False, default=0)
    computed_sex = models.CharField(max_length=1, editable=False, blank=True)
    reference = models.CharField(
        _("reference"), max_length=10, choices=Reference.choices, editable=False, default=Reference.NONE
    )
    z_wfa = models.FloatField(_("weight-for-age z-score"), null=True, editable=False)
    z_hfa = models.FloatField(_("length/height-for-age z-score"), null=True, editable=False)
    z_wfh = models.FloatField(_("weight-for-length/height z-score"), null=True, editable=False)
    z_bmi = models.FloatField(_("BMI-for-age z-score"), null=True, editable=False)
    bmi = models.FloatField(_("BMI"), null=True, editable=False)
    wfa_level = models.CharField(max_length=12, choices=Level.choices, blank=True, editable=False)
    hfa_level = models.CharField(max_length=12, choices=Level.choices, blank=True, editable=False)
    wfh_level = models.CharField(max_length=12, choices=Level.choices, blank=True, editable=False)
    bmi_level = models.CharField(max_length=12, choices=Level.choices, blank=True, editable=False)
    # Implausible values (WHO's flags) and changes larger than the school's thresholds, as codes
    # ("wfa", "hfa", "wfh", "bmi", "weight_change", "height_change", "height_loss").
    flags = models.JSONField(default=list, blank=True, editable=False)
    # Who confirmed flagged values as right, and when: a flagged row stays flagged until someone does.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["child", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["child", "measured_on"], name="one_measurement_per_child_and_day"),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=False) | Q(height_cm__isnull=False),
                name="measurement_has_weight_or_height",
            ),
        ]
        indexes = [models.Index(fields=["school", "measured_on"])]

    def __str__(self):
        return f"{self.child} – {self.measured_on:%d/%m/%Y}"

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.flags) and self.confirmed_at is None


class CheckUpQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(done=False)


class CheckUp(models.Model):
    """An examination by the health station (or the school's doctor): planned, then recorded.

    A planned check-up (`done` false) tells the guardians the day before (the check-up-day
    reminder). Recording it adds the findings and advice; a next date plans the next one.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="checkups")
    on = models.DateField(_("date"))
    provider = models.CharField(_("provider"), max_length=200, help_text=_("For example: Trạm Y tế phường Bến Nghé."))
    done = models.BooleanField(_("done"), default=False)
    findings = models.TextField(_("findings"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    next_on = models.DateField(_("next check-up"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-up")
        verbose_name_plural = _("check-ups")
        ordering = ["child", "-on"]
        indexes = [models.Index(fields=["school", "on"]), models.Index(fields=["on", "done"])]

    def __str__(self):
        return f"{self.child} – {self.on:%d/%m/%Y}"


class CheckUpAttachment(models.Model):
    """A file kept with a check-up (the station's report, a prescription), through `mediafiles`."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    checkup = models.ForeignKey(CheckUp, on_delete=models.CASCADE, related_name="attachments")
    media = models.ForeignKey(MediaFile, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(pgettext_lazy("name of a document", "title"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-up attachment")
        verbose_name_plural = _("check-up attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title or str(self.media_id)


class FollowUpPlan(models.Model):
    """The nurse's plan for a child who needs nutrition follow-up: notes and the next measurement."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="follow_up_plans")
    notes = models.TextField(_("notes"))
    next_measurement_on = models.DateField(_("next measurement"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(closed_at__isnull=True), name="one_open_follow_up_plan_per_child"
            )
        ]

    def __str__(self):
        return f"{self.child} – {self.opened_at:%d/%m/%Y}"


class FamilyNote(models.Model):
    """The nurse's words to the family about the child's growth, shown first above the chart."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="health_family_notes")
    text = models.TextField(_("note to the family"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    written_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("note to the family")
        verbose_name_plural = _("notes to the family")
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return f"{self.child} – {self.written_at:%d/%m/%Y}"


class Allergy(models.Model):
    """One allergen group a child must avoid. The group is the fact; the note only adds to it."""

    class Severity(models.TextChoices):
        MILD = "mild", _("Mild reaction")
        SEVERE = "severe", _("Severe reaction (anaphylaxis)")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allergies")
    allergen = models.CharField(_("allergen group"), max_length=20, choices=Allergen.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MILD)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allergy")
        verbose_name_plural = _("allergies")
        ordering = ["child", "allergen"]
        constraints = [models.UniqueConstraint(fields=["child", "allergen"], name="one_allergy_per_group")]

    def __str__(self):
        return f"{self.child} – {self.get_allergen_display()}"


class DietaryNeed(models.Model):
    """A need the kitchen respects that is not an allergy: a vegetarian family, no pork, soft food."""

    class Kind(models.TextChoices):
        VEGETARIAN = "vegetarian", _("Vegetarian")
        NO_PORK = "no_pork", _("No pork")
        NO_BEEF = "no_beef", _("No beef")
        SOFT_FOOD = "soft_food", _("Soft or minced food")
        OTHER = "other", _("Other (see the note)")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="dietary_needs")
    kind = models.CharField(_("need"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dietary need")
        verbose_name_plural = _("dietary needs")
        ordering = ["child", "kind"]
        constraints = [models.UniqueConstraint(fields=["child", "kind"], name="one_dietary_need_per_kind")]

    def __str__(self):
        return f"{self.child} – {self.get_kind_display()}"


class HealthRead(models.Model):
    """A staff member opened a child's health data: who, when, which child, and on which page.

    Written by `health.services.health_reads_log` on every staff view; never edited. The principal
    sees the school's log, and the guardians see who looked at their child's record.
    """

    class Page(models.TextChoices):
        RECORD = "record", _("Health record")
        GRID = "grid", _("Measuring grid")
        SUMMARY = "summary", _("Nutrition summary")
        FOLLOW_UP = "follow_up", _("Follow-up list")
        CHECKUP = "checkup", _("Check-up")
        EXPORT = "export", _("Export for the health station")
        ADMIN = "admin", _("Administration")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="health_reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="health_reads"
    )
    reader_name = models.CharField(max_length=150, blank=True)  # kept when the account is gone
    reader_role = models.CharField(max_length=20, blank=True)
    page = models.CharField(_("page"), max_length=20, choices=Page.choices)
    read_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("health record read")
        verbose_name_plural = _("health record reads")
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["child", "-read_at"]), models.Index(fields=["school", "-read_at"])]

    def __str__(self):
        return f"{self.reader_name} – {self.child} – {self.read_at:%d/%m/%Y %H:%M}"
