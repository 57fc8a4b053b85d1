import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.lib.phone import normalize_phone
from notifications.channels import user_language
from notifications.services import account_message_send

logger = logging.getLogger(__name__)


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

    # Every message goes through the portal's notices (notifications.services.
    # account_message_send): kept, tracked, retried and shown in the admin like
    # any other, and only ever to a member. Nothing goes to an address or
    # number that has no account: the portal does not write to strangers (and
    # texts to unknown numbers are how SMS fraud runs up a bill).

    def send_mail(self, template_prefix, email, context):
        user = self._member_for(email, context.get("user"))
        if user is None:
            logger.info("no %s e-mail: the address belongs to no account", template_prefix)
            return
        request = allauth_context.request
        with translation.override(user_language(user)):
            message = self.render_mail(
                template_prefix,
                email,
                {"request": request, "email": email, "current_site": get_current_site(request), **context},
            )
        self._account_message(user, "email", address=email, title=message.subject, body=message.body)

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        member = user if getattr(user, "pk", None) else self.get_user_by_phone(phone)
        if member is None:
            logger.info("no verification code: the number belongs to no account")
            return
        with translation.override(user_language(member)):
            text = _("Your verification code: %(code)s") % {"code": code}
        self._account_message(member, "sms", address=phone, title=text)

    def send_account_already_exists_sms(self, phone):
        member = self.get_user_by_phone(phone)
        if member is None:
            return
        with translation.override(user_language(member)):
            text = _("An account with this phone number already exists. Sign in instead.")
        self._account_message(member, "sms", address=phone, title=text)

    def _member_for(self, email, user):
        if getattr(user, "pk", None):
            return user
        users = filter_users_by_email(email, prefer_verified=True)
        return users[0] if users else None

    def _account_message(self, user, channel, *, address, title, body=""):
        account_message_send(recipient=user, channel=channel, address=address, title=title, body=body)

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
