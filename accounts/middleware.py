from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

# The words MFA_REQUIRED_ROLES may hold besides the school roles (schools.models.StaffRole).
AUTHORITY_OFFICER = "authority_officer"
SUPERUSER = "superuser"


def mfa_roles_of(user) -> set[str]:
    """What the person is, in the words of MFA_REQUIRED_ROLES: their school roles, authority_officer, superuser."""
    from schools.policies import access_for

    access = access_for(user)
    roles = set(access.roles_by_school.values())
    # An officer is someone with a post at an authority (a commune-level one or a province).
    if access.authority_ids:
        roles.add(AUTHORITY_OFFICER)
    if user.is_superuser:
        roles.add(SUPERUSER)
    return roles


def mfa_required(user) -> bool:
    """Whether the person must use an authenticator app (MFA_REQUIRED_ROLES)."""
    required = set(settings.MFA_REQUIRED_ROLES)
    return bool(required) and bool(required & mfa_roles_of(user))


class RequireMfaMiddleware:
    """Send people without an authenticator to set one up before anything else, when their role needs it.

    Everyone who sees more than one class's children or any money (leaders,
    the nurse, the accountant, authority officers, superusers) must not be
    one stolen password away from all of it. Which roles must use MFA is the
    MFA_REQUIRED_ROLES setting; teachers and families may turn it on.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            messages.info(
                request, _("Your role needs two-factor sign-in: set up an authenticator app on your phone to go on.")
            )
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.exempt_prefixes) or not mfa_required(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class UserLanguageMiddleware:
    """Speak the language a signed-in person chose, on any device.

    The language cookie (set when someone switches language) wins; without
    it, the language saved on the account is used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language in dict(settings.LANGUAGES)
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
