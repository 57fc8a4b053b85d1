"""Demo accounts: every one signs in with the demo password and a verified address."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from coordination.lib.demo import DEMO_PASSWORD, DemoContext


def demo_user(ctx: DemoContext, email: str, full_name: str, *, phone: str | None = None, is_superuser: bool = False):
    """The demo account with this e-mail address, made once."""
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        if "password" not in ctx.cache:
            ctx.cache["password"] = make_password(DEMO_PASSWORD)
        if phone and User.objects.filter(phone=phone).exists():
            phone = None
        user = User.objects.create(
            email=email,
            full_name=full_name,
            phone=phone,
            phone_verified=bool(phone),
            password=ctx.cache["password"],
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user
