import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from coordination.lib.phone import normalize_phone


class Authority(models.Model):
    """A level of local government that oversees kindergartens.

    Since 1 July 2025 Vietnam has two tiers: the province (or centrally run city), whose Department
    of Education and Training guides teaching and manages staff, and inside it the commune, ward or
    special zone, whose People's Committee licenses and oversees the kindergartens.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province or centrally run city")
        COMMUNE = "commune", _("Commune, ward or special zone")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        limit_choices_to={"level": "province"},
        verbose_name=_("province"),
        help_text=_("The province or city that a commune, ward or special zone belongs to."),
    )
    # Set on the authorities made from the districts that existed before July 2025: a superuser
    # checks each one (its name, its level, its province) and clears the mark.
    needs_review = models.BooleanField(
        _("to be checked"),
        default=False,
        help_text=_("Made automatically from a former district: check its name, level and province."),
    )

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="province") | Q(province__isnull=True),
                name="a_province_belongs_to_no_province",
            ),
            # A commune-level authority sits in a province; only one still to be checked may lack it.
            models.CheckConstraint(
                condition=Q(level="province") | Q(province__isnull=False) | Q(needs_review=True),
                name="a_commune_belongs_to_a_province",
            ),
        ]

    def __str__(self):
        if self.level == self.Level.COMMUNE and self.province_id:
            return f"{self.name}, {self.province.name}"
        return self.name

    @property
    def is_province(self) -> bool:
        return self.level == self.Level.PROVINCE


class AuthorityOfficer(models.Model):
    """An officer who holds a post at one authority and sees aggregated figures of the schools under it."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="officers", verbose_name=_("authority")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authority_posts", verbose_name=_("user")
    )
    title = models.CharField(pgettext_lazy("a person's title", "title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("authority officer")
        verbose_name_plural = _("authority officers")
        constraints = [models.UniqueConstraint(fields=["authority", "user"], name="unique_authority_officer")]

    def __str__(self):
        return f"{self.user} ({self.authority.name})"


class School(models.Model):
    # The commune, ward or special zone that licenses the school; its province follows from it.
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="schools",
        limit_choices_to={"level": "commune"},
        verbose_name=_("commune, ward or special zone"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    about = models.TextField(_("about the school"), blank=True)
    # After a child leaves, the family keeps read-only access to the child's portfolio and album
    # for this long (and is told before it ends).
    portfolio_access_months = models.PositiveSmallIntegerField(
        _("months a family keeps the portfolio after leaving"),
        default=12,
        validators=[MaxValueValidator(60)],
    )
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


class Domain(models.TextChoices):
    """The five developmental domains of Vietnam's preschool curriculum: home activities and
    children's works are both filed under them."""

    PHYSICAL = "physical", _("Physical development")
    COGNITIVE = "cognitive", _("Cognitive development")
    LANGUAGE = "language", _("Language development")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social and emotional development")
    AESTHETIC = "aesthetic", _("Aesthetic development")


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
    KITCHEN = "kitchen", _("Kitchen staff")


LEADER_ROLES = frozenset({StaffRole.PRINCIPAL, StaffRole.VICE_PRINCIPAL})


class SchoolLinkQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Give the rows made without their school (a many-to-many's add() or set() without
        through_defaults: a form, the admin) the school of the row they belong to, in one query."""
        objs = list(objs)
        missing = [obj for obj in objs if obj.school_id is None]
        if missing:
            owner = self.model._meta.get_field(self.model.school_from)
            ids = {getattr(obj, owner.attname) for obj in missing}
            schools = dict(owner.related_model._base_manager.filter(pk__in=ids).values_list("pk", "school_id"))
            for obj in missing:
                obj.school_id = schools.get(getattr(obj, owner.attname))
        return super().bulk_create(objs, *args, **kwargs)


class SchoolLink(models.Model):
    """A row of a many-to-many field's link table, carrying the school like every table of school data
    (so that the table can be distributed by school_id, docs/scaling.md). `school_from` names the
    field whose row the link belongs to; its school is the link's."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    school_from = ""
    objects = SchoolLinkQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.school_id is None:
            self.school_id = getattr(self, self.school_from).school_id
        super().save(*args, **kwargs)


class StaffMembership(models.Model):
    """A person's role at one school; teachers also name the classes they teach."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    classrooms = models.ManyToManyField(
        Classroom, blank=True, through="StaffMembershipClassroom", related_name="teachers", verbose_name=_("classes")
    )
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


class StaffMembershipClassroom(SchoolLink):
    """A class a teacher teaches (the link table of StaffMembership.classrooms)."""

    staffmembership = models.ForeignKey(StaffMembership, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")

    school_from = "staffmembership"

    class Meta:
        db_table = "schools_staffmembership_classrooms"
        unique_together = [("staffmembership", "classroom")]
        verbose_name = _("class of a teacher")
        verbose_name_plural = _("classes of teachers")

    def __str__(self):
        return f"{self.staffmembership_id} – {self.classroom_id}"


def next_child_code(school_id: int) -> str:
    """The next free number of a school's children's codes: one more than the highest numeric code."""
    codes = Child.objects.filter(school_id=school_id, code__regex=r"^[0-9]+$").values_list("code", flat=True)
    highest = max((int(code) for code in codes), default=0)
    return f"{highest + 1:05d}"


def national_id_problem(number: str, *, born: datetime.date | None = None, sex: str | None = None) -> str:
    """Why a personal identification number cannot be this child's, or "" when it can.

    The number has 12 digits: the province of birth (001–096), a digit for the century of birth and
    the sex (0/1: 1900s, boy/girl; 2/3: 2000s; 4/5: 2100s), the last two digits of the year of birth
    and six more digits.
    """
    if not re.fullmatch(r"[0-9]{12}", number):
        return str(_("A personal identification number has exactly 12 digits."))
    if not 1 <= int(number[:3]) <= 96:
        return str(_("The first three digits are the province of birth, from 001 to 096."))
    century_sex = int(number[3])
    if century_sex > 5:
        return str(_("The fourth digit gives the century of birth and the sex: 0 to 5."))
    if born is not None:
        century = 1900 + 100 * (century_sex // 2)
        if century + int(number[4:6]) != born.year:
            return str(_("The number says a year of birth that is not the child's."))
    if sex in ("m", "f") and ("m" if century_sex % 2 == 0 else "f") != sex:
        return str(_("The number says a sex that is not the child's."))
    return ""


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
    # The school's code for the child: what a health station's list or any other import names the child
    # by, never the name. Given by the school (for example the education database's student code) or, if
    # left empty, the next free number of the school.
    code = models.CharField(
        _("child's code"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]+$", _("Use only letters, digits and hyphens."))],
        help_text=_("Unique in the school. Left empty, the next free number is given."),
    )
    national_id = models.CharField(
        _("personal identification number"),
        max_length=12,
        blank=True,
        help_text=_("Optional: the 12-digit national personal identification number."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"], condition=~Q(code=""), name="child_code_unique_in_school"
            ),
            models.UniqueConstraint(
                fields=["national_id"], condition=~Q(national_id=""), name="child_national_id_unique"
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        super().clean()
        if self.national_id:
            problem = national_id_problem(self.national_id, born=self.date_of_birth, sex=self.sex)
            if problem:
                raise ValidationError({"national_id": problem})

    def save(self, *args, **kwargs):
        if not self.code and self.school_id:
            self.code = next_child_code(self.school_id)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "code"}
        super().save(*args, **kwargs)

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


class DaysOffBase(models.Model):
    """Days a school is closed beyond weekends and the national public holidays: the Tết break as
    decided each year, a local festival, a flood. `schools.calendar` counts working days with them."""

    starts_on = models.DateField(_("first day off"))
    ends_on = models.DateField(_("last day off"))
    name = models.CharField(_("reason"), max_length=120, help_text=_("For example “Tết break 2027”."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Longer than any break a school decides (the summer is not a break: schools take children then).
    MAX_DAYS = 62

    class Meta:
        abstract = True
        ordering = ["-starts_on"]

    def __str__(self):
        if self.starts_on == self.ends_on:
            return f"{self.name} ({self.starts_on:%d/%m/%Y})"
        return f"{self.name} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("The last day off cannot be before the first.")})
            if (self.ends_on - self.starts_on).days + 1 > self.MAX_DAYS:
                raise ValidationError(
                    {
                        "ends_on": ngettext(
                            "At most %(count)s day in one entry.", "At most %(count)s days in one entry.", self.MAX_DAYS
                        )
                        % {"count": self.MAX_DAYS}
                    }
                )


class SchoolDaysOff(DaysOffBase):
    """Days off one school adds (its principal, in the admin)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="days_off", verbose_name=_("school"))

    class Meta(DaysOffBase.Meta):
        verbose_name = _("school's days off")
        verbose_name_plural = _("school's days off")
        indexes = [models.Index(fields=["school", "starts_on"], name="school_days_off_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="school_days_off_order")
        ]


class AuthorityDaysOff(DaysOffBase):
    """Days off an authority decides for all its kindergartens (a province's Tết break applies to its
    communes' schools too)."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="days_off", verbose_name=_("authority")
    )

    class Meta(DaysOffBase.Meta):
        verbose_name = _("authority's days off")
        verbose_name_plural = _("authorities' days off")
        indexes = [models.Index(fields=["authority", "starts_on"], name="authority_days_off_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="authority_days_off_order")
        ]


def school_today() -> datetime.date:
    """Today in the schools' time zone (Asia/Ho_Chi_Minh), whatever the reader's."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


class ChildRead(models.Model):
    """A staff member looked at one area of a child's records: who, when, which child, what.

    Written by `schools.services.child_read_log` from the feature apps' staff pages (the core holds
    it so that every app may write without importing another); one row per reader, child and area an
    hour keeps the table small. The child's guardians see it on their child's privacy page.
    """

    class Area(models.TextChoices):
        PORTFOLIO = "portfolio", _("Portfolio")
        PHOTOS = "photos", _("Photos")
        CONTACTS = "contacts", _("Contact details and pick-up persons")
        ACTIVITIES = "activities", _("Home activity answers")
        HEALTH = "health", _("Health record")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reader_name = models.CharField(max_length=150, blank=True)  # kept when the account is gone
    reader_role = models.CharField(max_length=20, blank=True)
    area = models.CharField(_("what"), max_length=20, choices=Area.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    hour = models.DateTimeField()  # `at` cut to the hour: the unique key that keeps one row an hour

    class Meta:
        verbose_name = _("child's records read")
        verbose_name_plural = _("child's records reads")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["child", "-at"], name="child_read_child_at")]
        constraints = [
            models.UniqueConstraint(fields=["reader", "child", "area", "hour"], name="child_read_once_an_hour")
        ]

    def __str__(self):
        return f"{self.reader_name} {self.area} {self.at:%Y-%m-%d %H:%M}"
