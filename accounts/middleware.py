from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class RequireMfaMiddleware:
    """Send leaders without an authenticator to set one up before anything else.

    Principals and accountants can see and move a whole school's data, so a
    stolen password alone must not be enough. Which roles must use MFA is the
    MFA_REQUIRED_ROLES setting.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        roles = settings.MFA_REQUIRED_ROLES
        user = request.user
        if not roles or not user.is_authenticated or request.path.startswith(self.exempt_prefixes):
            return False
        from schools.policies import user_roles

        if not (user.is_superuser or set(roles) & user_roles(user)):
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
