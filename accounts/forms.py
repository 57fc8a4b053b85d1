from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination.lib.phone import normalize_phone


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds: a name, and one way to reach the person."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)

    field_order = ["full_name", "email", "phone", "password1", "password2"]

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        phone = cleaned.get("phone")
        if not email and not phone and not self.errors.get("email") and not self.errors.get("phone"):
            raise forms.ValidationError(_("Enter an e-mail address or a phone number."))
        if phone and get_user_model().objects.filter(phone=phone).exists():
            self.add_error("phone", _("An account with this phone number already exists."))
        return cleaned

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.language = (getattr(request, "LANGUAGE_CODE", None) or "vi")[:2]
        user.save(update_fields=["full_name", "language"])


class LoginForm(AllauthLoginForm):
    """Lets people type their phone number the local way (0912 345 678)."""

    def clean_login(self):
        login = super().clean_login()
        if "@" not in login:
            try:
                return normalize_phone(login)
            except ValidationError:
                return login
        return login
