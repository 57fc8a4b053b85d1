"""The record page's forms for the nurse and the leaders: a note to the family, allergies, dietary needs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.lib.allergens import Allergen
from health.models import Allergy, DietaryNeed

NOTE_MAX = 2000


class FamilyNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note to the family"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown first on the child's health record, above the chart. Write it for the parents."),
        error_messages={"required": _("Write the note before saving it.")},
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the note before saving it."))
        return text


class AllergyForm(forms.Form):
    allergen = forms.ChoiceField(
        label=_("Allergen group"),
        choices=[("", _("Choose a group")), *Allergen.choices],
        error_messages={
            "required": _("Choose the allergen group: a note alone is not enough."),
            "invalid_choice": _("Choose one of the allergen groups in the list."),
        },
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Allergy.Severity.choices,
        initial=Allergy.Severity.MILD,
        error_messages={"invalid_choice": _("Choose one of the severities in the list.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example: shrimp only; itchy rash within an hour."),
    )

    def __init__(self, *args, child=None, **kwargs):
        self.child = child
        super().__init__(*args, prefix="allergy", **kwargs)

    def clean_allergen(self):
        allergen = self.cleaned_data["allergen"]
        if self.child is not None and Allergy.objects.filter(child=self.child, allergen=allergen).exists():
            raise forms.ValidationError(
                _("This allergy is already recorded: remove it first to record it again with other details.")
            )
        return allergen


class DietaryNeedForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Dietary need"),
        choices=[("", _("Choose a need")), *DietaryNeed.Kind.choices],
        error_messages={
            "required": _("Choose the dietary need."),
            "invalid_choice": _("Choose one of the needs in the list."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, child=None, **kwargs):
        self.child = child
        super().__init__(*args, prefix="dietary", **kwargs)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DietaryNeed.Kind.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what the need is in the note."))
        if kind and self.child is not None and DietaryNeed.objects.filter(child=self.child, kind=kind).exists():
            self.add_error("kind", _("This need is already recorded."))
        return data
