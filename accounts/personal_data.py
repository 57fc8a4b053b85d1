"""What the accounts hold about people: the account itself, its addresses, second factors and sign-ins."""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _

from accounts.models import ERASED_EMAIL_DOMAIN, User

DECLARATIONS = [
    {
        "model": "accounts.User",
        "holds": _("Your name, e-mail address, phone number, language and when you last signed in"),
        "purpose": _("To let you sign in and to tell you what concerns your children or your work"),
        "ground": "contract",
        "recipients": [_("the staff of your children's school"), _("the e-mail and text-message providers")],
        "retention": _(
            "While you use the portal; when your data is erased the account keeps no name, address or number"
        ),
        "people": ("pk",),
        "erase": "custom",
        "exclude": ("password",),
    },
    {
        "model": "account.EmailAddress",
        "holds": _("Your e-mail addresses and whether you confirmed them"),
        "purpose": _("To sign you in by e-mail and to send you the messages you chose"),
        "ground": "contract",
        "recipients": [_("the e-mail provider")],
        "retention": _("Until you remove the address or your data is erased"),
        "people": ("user",),
        "erase": "delete",
    },
    {
        "model": "mfa.Authenticator",
        "holds": _("The second step of your sign-in (an authenticator app, recovery codes)"),
        "purpose": _("To keep others out of your account"),
        "ground": "contract",
        "recipients": [],
        "retention": _("Until you remove it or your data is erased"),
        "people": ("user",),
        "erase": "delete",
        "exclude": ("data",),
    },
    {
        "model": "sessions.Session",
        "holds": _("That you are signed in on a browser or phone"),
        "purpose": _("To keep you signed in"),
        "ground": "contract",
        "recipients": [],
        "retention": _("Until you sign out or the sign-in expires"),
        "erase": "custom",
        "exclude": ("session_key", "session_data"),
    },
    {
        "model": "admin.LogEntry",
        "holds": _("What a member of staff changed in the school's administration, and when"),
        "purpose": _("To know who changed what, should a mistake or a misuse have to be traced"),
        "ground": "legal_obligation",
        "recipients": [_("the school's leaders"), _("the portal's administrators")],
        "retention": _("Kept as the record of changes; a person's or a child's name is removed when erased"),
        "actors": ("user",),
        "erase": "custom",
    },
]

# The account goes last: every other app's part may still need to find the person's rows.
ORDER = 2000


def erased_email(user) -> str:
    return f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"


def _sessions_end(user, *, now) -> int:
    """The database sessions signed in as this person (the session data is encoded: read each)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def admin_log_scrub(*, model, object_ids, placeholder: str) -> int:
    """The admin's history keeps what was changed, without the name it showed for the object."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return (
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in object_ids])
        .exclude(object_repr=placeholder, change_message="")
        .update(object_repr=placeholder, change_message="")
    )


def erase_person(user, *, now) -> dict[str, int]:
    """Scrub the account: no name, address, number or password; signed out everywhere; kept as a row."""
    counts = {"django.contrib.sessions": _sessions_end(user, now=now)}
    if apps.is_installed("allauth.usersessions"):
        counts["usersessions.UserSession"] = (
            apps.get_model("usersessions", "UserSession").objects.filter(user=user).delete()[0]
        )
    counts["admin.LogEntry"] = admin_log_scrub(model=User, object_ids=[user.pk], placeholder=f"#{user.pk}")
    account = User.objects.select_for_update().get(pk=user.pk)
    if account.email == erased_email(account) and not account.is_active and not account.has_usable_password():
        return counts
    account.full_name = ""
    account.email = erased_email(account)
    account.phone = None
    account.phone_verified = False
    account.is_active = False
    account.is_staff = False
    account.is_superuser = False
    account.last_login = None
    account.set_unusable_password()
    account.save()
    user.__dict__.update({name: getattr(account, name) for name in ("full_name", "email", "phone", "is_active")})
    counts["accounts.User"] = 1
    return counts
