from django import forms
from django.utils.translation import gettext_lazy as _

from parents.models import ConsentPurpose, Relationship
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
                _("A code has %(n)d letters and digits. Check the letter and try again.") % {"n": CODE_LENGTH}
            )
        return code


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    decision = forms.ChoiceField(choices=[("grant", _("I agree")), ("withdraw", _("I do not agree"))])
