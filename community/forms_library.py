"""Forms of the lending library's desk."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Condition

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CheckOutForm(forms.Form):
    code = forms.CharField(label=_("Copy's label"), max_length=20, required=False)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    child = forms.IntegerField(label=_("Family (child)"), error_messages={"required": _("Choose the family.")})
    due_on = forms.DateField(
        label=_("Due back on"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Type the due date as dd/mm/yyyy."), "required": _("Type the due date.")},
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=[("", "—"), *Condition.choices], required=False)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("item"):
            raise forms.ValidationError(_("Scan or type the copy's label."))
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Copy's label"), max_length=20, error_messages={"required": _("Scan or type the copy's label.")}
    )
    condition = forms.ChoiceField(
        label=_("Condition on return"),
        choices=Condition.choices,
        error_messages={"required": _("Say in what condition the copy came back.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
