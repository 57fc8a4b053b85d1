"""System checks of the sign-in settings: a mistyped word must not quietly switch a protection off."""

import phonenumbers
from django.conf import settings
from django.core.checks import Error, register


@register()
def mfa_roles_check(app_configs, **kwargs):
    from accounts.middleware import AUTHORITY_OFFICER, SUPERUSER
    from schools.models import StaffRole

    known = {*StaffRole.values, AUTHORITY_OFFICER, SUPERUSER}
    unknown = sorted(set(settings.MFA_REQUIRED_ROLES) - known)
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use some of: {', '.join(sorted(known))}.",
            id="accounts.E001",
        )
    ]


@register()
def phone_regions_check(app_configs, **kwargs):
    regions = list(settings.PHONE_ALLOWED_REGIONS)
    unknown = [region for region in regions if region not in phonenumbers.SUPPORTED_REGIONS]
    if regions and not unknown:
        return []
    return [
        Error(
            "PHONE_ALLOWED_REGIONS must list ISO 3166 country codes (e.g. VN); "
            f"not valid: {', '.join(unknown) or '(empty)'}.",
            id="accounts.E002",
        )
    ]
