import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as allauth_get_adapter
from allauth.account.utils import filter_users_by_email
from allauth.core import context as allauth_context
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.lib.phone import normalize_phone
from notifications.budgets import Kind, SmsBudgetExceeded, sms_budget_take
from notifications.channels import user_language
from notifications.services import account_message_send

logger = logging.getLogger(__name__)

# allauth's "we sent you a code" messages: not said when the text was refused.
SENT_MESSAGES = frozenset(
    {
        "account/messages/phone_verification_sent.txt",
        "account/messages/login_code_sent.txt",
    }
)


def client_ip(request) -> str:
    """The address a request came from, as allauth's rate limits see it ('' outside a request)."""
    if request is None:
        return ""
    try:
        return allauth_get_adapter().get_client_ip(request)
    except PermissionDenied:  # allauth cannot tell; the other budgets still hold
        return ""


class LocalPhoneField(forms.CharField):
    """Accepts 0912 345 678, +84 912 345 678 and the like; cleans to E.164 (accepted countries' mobiles only)."""

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

    def get_login_stages(self):
        # A person who signed up by phone has no e-mail to verify: their
        # verified number lets them in (accounts.stages).
        ours = {"allauth.account.stages.EmailVerificationStage": "accounts.stages.EmailVerificationStage"}
        return [ours.get(path, path) for path in super().get_login_stages()]

    # Every message goes through the portal's notices (notifications.services.
    # account_message_send): kept, tracked, retried and shown in the admin like
    # any other, and only ever to a member. Nothing goes to an address or
    # number that has no account: the portal does not write to strangers (and
    # texts to unknown numbers are how SMS fraud runs up a bill). The title
    # says what the message is about and stays; the text (a code, a link) is
    # erased once sent.

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
        account_message_send(recipient=user, channel="email", address=email, title=message.subject, body=message.body)

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        member = user if getattr(user, "pk", None) else self.get_user_by_phone(phone)
        owner = self.get_user_by_phone(phone)
        if member is not None and owner is not None and owner.pk != member.pk:
            # Someone asked to move their account to a number that is already
            # another member's: its owner is told, as at sign-up, and no code
            # goes out that could take the number over.
            self.send_account_already_exists_sms(phone)
            return
        if member is None:
            self._account_sms(None, phone)
            return
        with translation.override(user_language(member)):
            title = _("Verification code")
            text = _("Your verification code: %(code)s") % {"code": code}
        self._account_sms(member, phone, title=title, text=text)

    def send_account_already_exists_sms(self, phone):
        member = self.get_user_by_phone(phone)
        if member is None:
            self._account_sms(None, phone)
            return
        with translation.override(user_language(member)):
            title = _("Account already exists")
            text = _("An account with this phone number already exists. Sign in instead.")
        self._account_sms(member, phone, title=title, text=text)

    def send_unknown_account_sms(self, phone, **kwargs):
        # Nothing goes to a number without an account, but the request counts
        # as a text: a known and an unknown number run out of budget alike.
        self._account_sms(None, phone)

    def _account_sms(self, member, phone, *, title="", text=""):
        """Send an account text to a member's number (or only count it), within the SMS budgets."""
        request = allauth_context.request
        ip = client_ip(request)
        try:
            if member is None:
                sms_budget_take(kind=Kind.ACCOUNT, number=phone, ip=ip)
            else:
                account_message_send(
                    recipient=member, channel="sms", address=phone, title=title, body=text, client_ip=ip
                )
        except SmsBudgetExceeded as exc:
            logger.info("account text refused: %s", exc)
            if request is not None:
                request._sms_refused = True
                messages.error(request, exc.message)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        if message_template in SENT_MESSAGES and getattr(request, "_sms_refused", False):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def _member_for(self, email, user):
        if getattr(user, "pk", None):
            return user
        users = filter_users_by_email(email, prefer_verified=True)
        return users[0] if users else None

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone):
        # The code went to `phone`: that number is now the person's (a change
        # of number ends here too, allauth.account ChangePhoneView). A number
        # that is another member's never gets a code (send_verification_code_sms).
        if get_user_model().objects.filter(phone=phone).exclude(pk=user.pk).exists():
            return
        user.phone = phone
        user.phone_verified = True
        user.save(update_fields=["phone", "phone_verified"])

    def get_user_by_phone(self, phone):
        return get_user_model().objects.filter(phone=phone).order_by("pk").first()

    def save_user(self, request, user, form, commit=True):
        # A phone-only account must carry its number before the first save:
        # the database refuses a user with neither e-mail nor phone.
        data = form.cleaned_data
        if data.get("phone"):
            user.phone = data["phone"]
        if data.get("full_name"):
            user.full_name = data["full_name"]
            user.language = (getattr(request, "LANGUAGE_CODE", None) or "vi")[:2]
        return super().save_user(request, user, form, commit=commit)
