"""What accounts does when allauth tells it something happened (connected in AccountsConfig.ready)."""

from allauth.account.models import EmailAddress


def address_verified_by_reset_link(sender, request, user, **kwargs):
    """A password chosen through a link e-mailed to the person's only address proves the address theirs.

    A new staff member's welcome is such a link (accounts.tasks): with e-mail
    verification mandatory, they would otherwise be asked to verify the
    address the link just came to. With several addresses the link may have
    gone to any of them, so nothing is assumed.
    """
    if not user.email or EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).exists():
        return
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )
