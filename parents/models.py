from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Child, School, SchoolYear


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Older sibling")
    RELATIVE = "relative", _("Other relative")
    GUARDIAN = "guardian", _("Legal guardian")


class GuardianshipStatus(models.TextChoices):
    # A claim by a member of the school's staff: it counts for nothing until someone else confirms it.
    PENDING = "pending", _("Awaiting confirmation")
    ACTIVE = "active", _("Active")
    # Another guardian said they do not know this person: nothing counts until the school decides.
    SUSPENDED = "suspended", _("Suspended")
    # Refused, or ended by the school's decision; kept as a record.
    ENDED = "ended", _("Ended")


class GuardianshipQuerySet(models.QuerySet):
    def active(self):
        """The guardianships that count: only these give access to a child."""
        return self.filter(status=GuardianshipStatus.ACTIVE)


class Guardianship(models.Model):
    """A signed-up adult who looks after a child and sees everything about them, once active.

    Only an active guardianship counts (parents.policies.guardian_child_ids and every selector
    that joins this table filter on it). A pending or suspended one gives nothing: no access
    to the child, no consent, no pick-up persons, and it is not shown to the family.
    """

    Status = GuardianshipStatus

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # Rows made by the claim service get their status from it; active is the default for the
    # data that predates statuses and for seeded data.
    status = models.CharField(
        _("status"), max_length=10, choices=GuardianshipStatus.choices, default=GuardianshipStatus.ACTIVE
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questioned by"),
        help_text=_("The guardian who said they do not know this person."),
    )
    disputed_at = models.DateTimeField(_("questioned"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Who refused the request, or restored or ended the suspended guardian."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            # An ended guardianship stays as a record; the person may be invited again later.
            models.UniqueConstraint(
                fields=["child", "guardian"],
                condition=~models.Q(status=GuardianshipStatus.ENDED),
                name="unique_guardianship",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="guardianship_school_status")]

    def __str__(self):
        return f"{self.guardian} – {self.child}"

    @property
    def counts(self) -> bool:
        return self.status == GuardianshipStatus.ACTIVE


class InvitationCode(models.Model):
    """A short code, printed on a letter, that lets one guardian claim a child."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="invitations")
    # Emptied (NULL, so that uniqueness holds for the codes still kept) some time after the code expired:
    # the record of who made and who used it stays (parents/personal_data.py).
    code = models.CharField(_("code"), max_length=16, unique=True, null=True, blank=True)
    relationship = models.CharField(_("intended for"), max_length=20, choices=Relationship.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.code or "—"

    @property
    def status(self) -> str:
        if self.claimed_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def get_status_display(self) -> str:
        return {
            "used": _("Used"),
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "active": _("Active"),
        }[self.status]

    @property
    def code_display(self) -> str:
        if not self.code:
            return "—"
        return f"{self.code[:4]}-{self.code[4:]}"


class ConsentPurpose(models.TextChoices):
    PORTFOLIO_PHOTOS = "portfolio_photos", _("Photos and videos in my child's portfolio")
    SHARED_PHOTOS = "shared_photos", _("Photos in shared class galleries and on the honour roll")
    # Retired: its text made recording health data depend on consent, but the school records it under
    # its duty of care. Its records stay as history; nobody is asked for it any more (RETIRED_PURPOSES).
    HEALTH_RECORDS = "health_records", _("Health and growth records (no longer asked)")
    VOICE_RECORDINGS = "voice_recordings", _("Voice recordings of my child")
    DONOR_LETTER_DRAWINGS = "donor_letter_drawings", _("My child's drawing in thank-you letters to donors")
    HEALTH_SHARING = "health_sharing", _("Sharing my child's health records with the health station by name")


# Purposes kept for the history of what was agreed, and no longer asked or recorded.
RETIRED_PURPOSES = frozenset({ConsentPurpose.HEALTH_RECORDS})
# The purposes a guardian decides today.
ASKED_PURPOSES = [purpose for purpose in ConsentPurpose if purpose not in RETIRED_PURPOSES]


class ConsentRecord(models.Model):
    """One decision of one guardian about one purpose; the latest one counts.

    Records are never edited: giving and withdrawing consent each add a row,
    with the exact text and its version, so that the school can show what was
    agreed to and when.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("version of the text"), max_length=20)
    text = models.TextField(_("text agreed to"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["child", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.child} – {self.get_purpose_display()}: {self.granted}"


class FamilyViewerQuerySet(models.QuerySet):
    def current(self):
        """Accepted and not revoked: the viewers who follow a child today."""
        return self.filter(viewer__isnull=False, accepted_at__isnull=False, revoked_at__isnull=True)

    def open(self, now=None):
        """Invitations that can still be accepted: not accepted, not cancelled, not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class FamilyViewerStatus(models.TextChoices):
    OPEN = "open", _("Waiting to be accepted")
    FOLLOWING = "following", _("Follows the child")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class FamilyViewer(models.Model):
    """A family member who follows a child without being a guardian: a grandparent, a relative abroad.

    A guardian invites them; they accept with their own account. They read the child's works, voice
    notes, approved answers and portfolio, and nothing else: no consents, no pick-up, no health or
    contact data. A guardian can revoke it at any time.

    One row is both the invitation (a link with an unguessable token, usable once, until it expires)
    and, once accepted, the viewer's access. Revoking it (an open invitation or a current viewer)
    records who and when; the row is kept.
    """

    Status = FamilyViewerStatus

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_viewers")
    # Empty until the invitation is accepted.
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followed_children",
        verbose_name=_("viewer"),
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("How the family calls this person."))
    relationship = models.CharField(_("relationship to the child"), max_length=60)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    # The invitation: an unguessable token in the link the guardian passes on.
    token = models.CharField(_("invitation token"), max_length=64, unique=True, editable=False)
    # The e-mail address or phone number the guardian asked the portal to send the link to, if any.
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("invitation expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = FamilyViewerQuerySet.as_manager()

    class Meta:
        verbose_name = _("family viewer")
        verbose_name_plural = _("family viewers")
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "viewer"],
                condition=Q(revoked_at__isnull=True, viewer__isnull=False),
                name="one_current_viewer_per_child_and_person",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.child}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return FamilyViewerStatus.REVOKED
        if self.accepted_at:
            return FamilyViewerStatus.FOLLOWING
        if self.expires_at <= timezone.now():
            return FamilyViewerStatus.EXPIRED
        return FamilyViewerStatus.OPEN

    def get_status_display(self) -> str:
        return FamilyViewerStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == FamilyViewerStatus.OPEN

    @property
    def is_current(self) -> bool:
        return self.status == FamilyViewerStatus.FOLLOWING


class BoardRole(models.TextChoices):
    HEAD = "head", _("Head of the board")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")


class BoardMember(models.Model):
    """A guardian on the school's parents' representative board (ban đại diện cha mẹ học sinh) for a
    school year, named by the principal. The board is school-wide; its members follow the school's
    sponsorship campaigns on the families' behalf."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="board_members")
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="board_members", verbose_name=_("school year")
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_seats", verbose_name=_("guardian")
    )
    role = models.CharField(_("role"), max_length=10, choices=BoardRole.choices, default=BoardRole.MEMBER)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    appointed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("member of the parents' board")
        verbose_name_plural = _("parents' representative board")
        ordering = ["school_year", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "guardian"], name="one_board_seat_per_year"),
            models.UniqueConstraint(fields=["school_year"], condition=Q(role="head"), name="one_board_head_per_year"),
        ]

    def __str__(self):
        return f"{self.guardian} – {self.get_role_display()} ({self.school_year})"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.school_year_id and self.school_id and self.school_year.school_id != self.school_id:
            errors["school_year"] = _("Choose a school year of this school.")
        if self.guardian_id and self.school_id:
            is_guardian_here = Guardianship.objects.active().filter(
                guardian_id=self.guardian_id, child__school_id=self.school_id, child__left_on__isnull=True
            )
            if not is_guardian_here.exists():
                errors["guardian"] = _("Only a guardian of a child at this school can be on its parents' board.")
        if errors:
            raise ValidationError(errors)
