from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.sms import sms_send
from coordination.lib.phone import normalize_phone


class LocalPhoneField(forms.CharField):
    """Accepts 0912 345 678, +84 912 345 678 and the like; cleans to E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"}),
        )
        kwargs.setdefault("label", gettext_lazy("Phone number"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            value = normalize_phone(value)
        return value


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in by e-mail or phone; phone numbers live on the user model."""

    def phone_form_field(self, **kwargs):
        return LocalPhoneField(**kwargs)

    def clean_phone(self, phone):
        try:
            return normalize_phone(phone)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        sms_send(to=phone, body=_("Your verification code: %(code)s") % {"code": code})

    def send_unknown_account_sms(self, phone, **kwargs):
        sms_send(to=phone, body=_("Someone tried to sign in with this number, but it has no account."))

    def send_account_already_exists_sms(self, phone):
        sms_send(to=phone, body=_("An account with this phone number already exists. Sign in instead."))

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone):
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone):
        return get_user_model().objects.filter(phone=phone).order_by("pk").first()

    def save_user(self, request, user, form, commit=True):
        # A phone-only account must carry its number before the first save:
        # the database refuses a user with neither e-mail nor phone.
        phone = form.cleaned_data.get("phone")
        if phone:
            user.phone = phone
        return super().save_user(request, user, form, commit=commit)
