"""The breach register's forms, with the reasons a record is refused."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models import Breach
from schools.models import Child


class BreachForm(forms.ModelForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    children = forms.ModelMultipleChoiceField(
        label=_("Children affected"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Breach
        fields = [
            "title",
            "description",
            "found_at",
            "occurred_at",
            "data_affected",
            "people_affected",
            "consequences",
            "measures",
        ]
        widgets = {
            "found_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "found_at": _("When the school learnt of it: the authority must be told within 72 hours."),
            "data_affected": _("Which kinds of data: names, photos, health records, contact details…"),
        }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        offered = list(schools[:2])
        if len(offered) == 1:
            self.fields["school"].initial = offered[0]
            self.fields["school"].widget = forms.HiddenInput()
        # Only the managed schools' children are offered, with their class (no more than a name).
        self.fields["children"].queryset = (
            Child.objects.filter(school__in=schools, left_on__isnull=True)
            .select_related("classroom")
            .order_by("full_name")
        )
        self.fields["children"].label_from_instance = lambda child: (
            f"{child.full_name} ({child.classroom.name})" if child.classroom_id else child.full_name
        )

    def clean_found_at(self):
        found = self.cleaned_data["found_at"]
        if found > timezone.now():
            raise forms.ValidationError(_("The breach cannot have been found in the future."))
        return found

    def clean_occurred_at(self):
        occurred = self.cleaned_data.get("occurred_at")
        if occurred and occurred > timezone.now():
            raise forms.ValidationError(_("The breach cannot have happened in the future."))
        return occurred

    def clean(self):
        cleaned = super().clean()
        found, occurred = cleaned.get("found_at"), cleaned.get("occurred_at")
        if found and occurred and occurred > found:
            self.add_error("occurred_at", _("It cannot have happened after it was found."))
        school, children = cleaned.get("school"), cleaned.get("children") or []
        if school and any(child.school_id != school.pk for child in children):
            self.add_error("children", _("Choose only children of the school the breach is about."))
        if children and cleaned.get("people_affected") is not None and cleaned["people_affected"] < len(children):
            self.add_error("people_affected", _("At least as many people as the children named are affected."))
        return cleaned


class StepNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)


class TellFamiliesForm(forms.Form):
    message = forms.CharField(
        label=_("What the families are told"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": _("Write what the families should know.")},
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("How it ended"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Say how the breach was dealt with before closing it.")},
    )
