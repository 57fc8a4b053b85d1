from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

OFF_SITE_MESSAGE = _("The link asked to go on to another site; you were brought here instead.")


class PortalAdminSite(admin.AdminSite):
    """The admin for principals (their own school only) and superusers.

    Access is decided by the school policies rather than Django's model
    permissions, so a principal needs no extra setup and loses access the
    moment their membership ends.
    """

    site_header = _("School administration")
    site_title = _("School administration")
    index_title = _("Your school")

    def has_permission(self, request):
        from schools.policies import can_use_admin

        return can_use_admin(request.user)

    def autocomplete_view(self, request):
        # A leader's searches answer only what their own forms accept (see schools/admin_base.py).
        from schools.admin_base import SchoolScopedAutocompleteJsonView

        return SchoolScopedAutocompleteJsonView.as_view(admin_site=self)(request)

    def login(self, request, extra_context=None):
        # Signing in to the admin goes through allauth so that its rate limits
        # and MFA apply; the admin has no password form of its own.
        next_url = self._next_url(request)
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise PermissionDenied
            return redirect(next_url)
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def _next_url(self, request) -> str:
        """Where to go after signing in: the `next` asked for if it stays on this site, else the admin's index."""
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not target:
            return index
        allowed = {request.get_host()}
        if url_has_allowed_host_and_scheme(target, allowed_hosts=allowed, require_https=request.is_secure()):
            return target
        messages.warning(request, OFF_SITE_MESSAGE)
        return index
