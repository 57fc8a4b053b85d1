from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordination.lib.phone import normalize_phone
from parents.models import ASKED_PURPOSES, Relationship
from parents.services import CODE_LENGTH, invitation_code_normalize


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=20,
        help_text=_("The 8 characters on the letter from the school, for example ABCD-2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    relationship = forms.ChoiceField(label=_("You are the child's"), choices=Relationship.choices)

    def clean_code(self):
        code = invitation_code_normalize(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                ngettext(
                    "A code has %(n)d letter or digit. Check the letter and try again.",
                    "A code has %(n)d letters and digits. Check the letter and try again.",
                    CODE_LENGTH,
                )
                % {"n": CODE_LENGTH}
            )
        return code


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=[(purpose.value, purpose.label) for purpose in ASKED_PURPOSES])
    decision = forms.ChoiceField(choices=[("grant", _("I agree")), ("withdraw", _("I do not agree"))])


class FamilyViewerInviteForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("How your family calls this person, for example Bà Lan."),
    )
    relationship = forms.CharField(
        label=_("Relationship to the child"),
        max_length=60,
        help_text=_("For example: Bà nội, Cô ruột ở Nhật."),
    )
    send_to = forms.CharField(
        label=_("Send the link to (optional)"),
        max_length=254,
        required=False,
        help_text=_(
            "An e-mail address or mobile number. The portal writes only to people who already have an "
            "account, so you can always copy the link and send it yourself, for example in Zalo."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self):
        return self._required_text("name")

    def clean_relationship(self):
        return self._required_text("relationship")

    def _required_text(self, field: str) -> str:
        value = " ".join(self.cleaned_data[field].split())
        if not value:
            raise forms.ValidationError(_("This field is required."))
        return value

    def clean_send_to(self):
        value = self.cleaned_data["send_to"].strip()
        if not value:
            return ""
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError as exc:
                raise forms.ValidationError(_("Enter a valid e-mail address, or leave it empty.")) from exc
            return value.lower()
        try:
            return normalize_phone(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
