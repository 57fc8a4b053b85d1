"""The events forms: they read what was typed; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models import EventKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]
ROLE_ROWS = 6  # role rows on the new event's form; more are added on the organisers' page


def _when(label):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("dd/mm/yyyy hh:mm"),
    )


class EventForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading of a post", "Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    starts_at = _when(_("Starts at"))
    ends_at = _when(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200)
    programme = forms.CharField(
        label=_("Programme"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000
    )
    whole_school = forms.BooleanField(label=_("The whole school is invited"), required=False)
    classrooms = forms.ModelMultipleChoiceField(
        label=_("Classes invited"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, classrooms, may_invite_school: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from schools.models import Classroom

        self.fields["classrooms"].queryset = Classroom.objects.filter(pk__in=[c.pk for c in classrooms]).order_by(
            "name"
        )
        if not may_invite_school:
            del self.fields["whole_school"]
        for n in range(1, ROLE_ROWS + 1):
            self.fields[f"role_{n}_name"] = forms.CharField(label=_("Role"), max_length=120, required=False)
            self.fields[f"role_{n}_slots"] = forms.IntegerField(label=_("Places"), required=False, min_value=-1000)

    def role_rows(self):
        return [(self[f"role_{n}_name"], self[f"role_{n}_slots"]) for n in range(1, ROLE_ROWS + 1)]

    def roles(self) -> list[tuple[str, int | None]]:
        rows = []
        for n in range(1, ROLE_ROWS + 1):
            name = (self.cleaned_data.get(f"role_{n}_name") or "").strip()
            slots = self.cleaned_data.get(f"role_{n}_slots")
            if name or slots is not None:
                rows.append((name, slots))
        return rows

    def event_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("title", "kind", "starts_at", "ends_at", "place", "programme")}
        data["whole_school"] = bool(self.cleaned_data.get("whole_school"))
        data["classrooms"] = list(self.cleaned_data.get("classrooms") or [])
        return data


class EventEditForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading of a post", "Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    starts_at = _when(_("Starts at"))
    ends_at = _when(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200)
    programme = forms.CharField(
        label=_("Programme"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000
    )


class AnswerForm(forms.Form):
    coming = forms.TypedChoiceField(
        label=_("Will you come?"),
        choices=[("yes", _("Yes, we will come")), ("no", _("No, we cannot come"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    people = forms.IntegerField(label=_("How many people (adults and children)"), required=False, min_value=-1000)


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Role"), max_length=120)
    slots = forms.IntegerField(label=_("Places"), min_value=-1000)
    description = forms.CharField(label=_("What it involves"), max_length=300, required=False)


class ChildrenField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.classroom.name})" if obj.classroom_id else obj.full_name


class PhotosForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    children = ChildrenField(
        label=_("Children in the photos"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        from schools.models import Child

        self.fields["children"].queryset = Child.objects.filter(pk__in=[c.pk for c in children]).select_related(
            "classroom"
        )
