"""Forms of the privacy pages: choices limited to what the person may ask about or act on."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parents.models import RETIRED_PURPOSES, ConsentPurpose
from privacy.models import RequestKind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=RequestKind.choices, widget=forms.RadioSelect)
    child = forms.TypedChoiceField(
        label=_("About"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Yourself, or one of your children."),
    )
    consent_purpose = forms.ChoiceField(label=_("Which consent?"), required=False)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a correction, say what is wrong and what is right."),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["child"].choices = [("", _("Myself")), *[(child.pk, child.full_name) for child in children]]
        self.fields["consent_purpose"].choices = [("", "—")] + [
            (value, label) for value, label in ConsentPurpose.choices if value not in RETIRED_PURPOSES
        ]

    def clean_child(self):
        value = self.cleaned_data.get("child")
        if value is None:
            return None
        if value not in self.children:
            raise forms.ValidationError(_("You can only ask about your own children."))
        return self.children[value]


class PaperRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the person asks for"), choices=RequestKind.choices)
    requester_name = forms.CharField(label=_("Name of the person asking"), max_length=150)
    relationship = forms.CharField(
        label=_("Who they are"), max_length=100, required=False, help_text=_("For example: the child's pick-up person.")
    )
    requester_contact = forms.CharField(label=_("How to reach them"), max_length=150, required=False)
    child = forms.TypedChoiceField(label=_("Child concerned"), coerce=int, empty_value=None, required=False)
    received_at = forms.DateTimeField(
        label=_("Received on"), required=False, help_text=_("Empty: now. Otherwise dd/mm/yyyy hh:mm.")
    )
    details = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["child"].choices = [("", "—"), *[(child.pk, child.full_name) for child in children]]

    def clean_child(self):
        value = self.cleaned_data.get("child")
        if value is None:
            return None
        if value not in self.children:
            raise forms.ValidationError(_("Choose a child of this school."))
        return self.children[value]


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New deadline"), help_text=_("dd/mm/yyyy"))
    reason = forms.CharField(
        label=_("Why more time is needed"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Answer to the person"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Child"), coerce=int, empty_value=None)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["child"].choices = [("", "—"), *[(child.pk, child.full_name) for child in children]]

    def clean_child(self):
        value = self.cleaned_data.get("child")
        if value not in self.children:
            raise forms.ValidationError(_("Choose a child of this school."))
        return self.children[value]


class RetentionForm(forms.Form):
    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[line.key] = forms.IntegerField(
                label=line.label,
                min_value=1,
                max_value=36500,
                initial=line.days,
                required=False,
                help_text=_("days"),
            )
