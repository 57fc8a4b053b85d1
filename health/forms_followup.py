"""Forms of the check-up and follow-up pages. They read what was sent; the checks that matter (dates,
files, who may) are the services' (health.services_followup), whose messages the views put back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERROR = {"invalid": _("Enter a date as dd/mm/yyyy.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _date(label, required=True):
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, widget=DateInput(), required=required, error_messages=DATE_ERROR
    )


class CheckUpPlanForm(forms.Form):
    on = _date(_("Date of the check-up"))
    provider = forms.CharField(
        label=_("Provider"), max_length=200, required=False, help_text=_("For example: Trạm Y tế phường Bến Nghé.")
    )
    classrooms = forms.ModelMultipleChoiceField(
        label=_("Classes"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    whole_school = forms.BooleanField(label=_("The whole school (every class)"), required=False)

    def __init__(self, *args, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classrooms"].queryset = classrooms

    def chosen_classrooms(self):
        if self.cleaned_data.get("whole_school"):
            return list(self.fields["classrooms"].queryset)
        return list(self.cleaned_data.get("classrooms") or [])


class CheckUpRecordForm(forms.Form):
    on = _date(_("Date"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    advice = forms.CharField(label=_("Advice"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_on = _date(_("Next check-up"), required=False)


class FollowUpPlanForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    next_measurement_on = _date(_("Next measurement"), required=False)
