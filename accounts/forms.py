"""The portal's versions of allauth's forms (settings.ACCOUNT_FORMS).

Every form that makes the portal send a text message asks the SMS budgets
first (notifications.budgets), so that a refused text gets a clear message on
the page and changes nothing. They answer the same whether or not the number
belongs to an account: the budgets count both alike.
"""

from allauth.account.forms import ChangePhoneForm as AllauthChangePhoneForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.adapter import client_ip
from coordination.lib.phone import normalize_phone
from notifications.budgets import SmsBudgetExceeded, sms_budget_check


def check_sms_budget(phone: str) -> None:
    """Raise a form error if a sign-up or sign-in text to this number would be refused now."""
    try:
        sms_budget_check(number=phone, ip=client_ip(allauth_context.request))
    except SmsBudgetExceeded as exc:
        raise forms.ValidationError(exc.message, code="sms_budget") from exc


class SignupForm(AllauthSignupForm):
    """A name, and one way to reach the person: an e-mail address or a phone number."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)

    field_order = ["full_name", "email", "phone", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        # allauth lists the e-mail as required (mandatory verification needs
        # it); here it is one of two ways in.
        kwargs["email_required"] = False
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        if self.errors.get("email") or self.errors.get("phone"):
            return cleaned
        if not email and not phone:
            raise forms.ValidationError(_("Enter an e-mail address or a phone number."))
        if email and phone:
            # One way in at sign-up: the answer to "does this account exist?"
            # then always goes to the address or number it is about.
            raise forms.ValidationError(
                _(
                    "Enter an e-mail address or a phone number, not both. "
                    "You can add the other one in your account once you are signed in."
                )
            )
        if phone and not self.errors:
            check_sms_budget(phone)
        return cleaned


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


class ChangePhoneForm(AllauthChangePhoneForm):
    """A new number gets a code by SMS: within the budgets."""

    def clean_phone(self):
        phone = super().clean_phone()
        check_sms_budget(phone)
        return phone


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """A sign-in code by SMS: within the budgets, counted alike for a known and an unknown number."""

    def clean_phone(self):
        phone = super().clean_phone()
        if phone:
            check_sms_budget(phone)
        return phone
