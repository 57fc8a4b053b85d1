from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.lib.phone import display_phone, normalize_phone

# An erased person's account keeps its row (staff records point to it) with an address nobody can
# receive mail at: the table requires an e-mail address or a phone number.
ERASED_EMAIL_DOMAIN = "erased.invalid"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email and not extra.get("phone"):
            raise ValueError("A user needs an e-mail address or a phone number.")
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in, by e-mail address or by phone number."""

    username = None
    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    language = models.CharField(
        _("language"), max_length=8, default="vi", choices=[("vi", "Tiếng Việt"), ("en", "English")]
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            )
        ]

    def clean(self):
        # Every form that saves a user (the admin's too) checks the number the
        # way sign-up does: only mobile numbers of the accepted countries.
        super().clean()
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.error_list}) from exc

    def save(self, *args, **kwargs):
        # Blank contact fields are stored as NULL so that uniqueness only
        # applies to real addresses and numbers.
        self.email = self.email.lower() if self.email else None
        self.phone = self.phone or None
        super().save(*args, **kwargs)

    def __str__(self):
        if self.is_erased:
            return str(_("Erased account"))
        return self.full_name or self.email or display_phone(self.phone)

    @property
    def is_erased(self) -> bool:
        return bool(self.email) and self.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return (self.full_name.split()[-1] if self.full_name else "") or str(self)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)
