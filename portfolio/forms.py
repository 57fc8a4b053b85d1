"""Forms of the pages where teachers record works. They read what was sent; the checks that matter
(consent, the class, the files) are the services' (portfolio.services), whose messages the views put
back on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from mediafiles.models import Kind, State
from portfolio.services import TITLE_MAX
from schools.models import Domain, school_today

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class WorksFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Works from"), input_formats=DATE_FORMATS, widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("until"), input_formats=DATE_FORMATS, widget=DateInput(), required=False)


class WorkFieldsForm(forms.Form):
    """What a sitting's works share, and what a work's edit page changes."""

    title = forms.CharField(
        label=pgettext_lazy("name of a work", "Title"),
        max_length=TITLE_MAX,
        required=False,  # the service says what is missing, in the words the teacher reads
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    domain = forms.ChoiceField(label=_("Developmental domain"), choices=[("", "—"), *Domain.choices], required=False)
    made_on = forms.DateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput(), required=False)
    description = forms.CharField(
        label=_("What the children did (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    teacher_note = forms.CharField(
        label=_("Teacher's note for the families (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data.get("title") or "",
            "domain": data.get("domain") or "",
            "made_on": data.get("made_on"),
            "description": data.get("description") or "",
            "teacher_note": data.get("teacher_note") or "",
        }


class SittingForm(WorkFieldsForm):
    """One sitting: the shared fields, then each photo's child (`photo_<file id>` = child id, set by a tap
    on the class grid, or a select without JavaScript) and the children whose work has no photo."""

    def __init__(self, *args, photos=(), grid=(), **kwargs):
        super().__init__(*args, **kwargs)
        photos = list(photos)  # the files named by the form, in order
        # Files refused by mediafiles' checks (not a photo, an image bomb…) or not photos at all: said at once,
        # and left out of the form shown again.
        self.refused = [m for m in photos if m.state == State.FAILED or m.kind != Kind.IMAGE]
        self.photos = [m for m in photos if m not in self.refused]
        self.grid = list(grid)
        if not self.is_bound:
            self.initial.setdefault("made_on", school_today())

    def clean(self):
        data = super().clean()
        known = {str(g.child.pk) for g in self.grid}
        for media in self.refused:
            if media.kind != Kind.IMAGE:
                reason = _("This file is not a photo. Choose a photo.")
            else:
                reason = _("This file could not be used: %(reason)s Please upload another one.") % {
                    "reason": media.failure_reason
                }
            self.add_error(None, f"{media.original_name}: {reason}")
        photos_by_child: dict[int, list[str]] = {}
        unassigned = 0
        for media in self.photos:
            value = (self.data.get(f"photo_{media.pk}") or "").strip()
            if not value:
                unassigned += 1
            elif value not in known:
                self.add_error(None, _("This child is not in the class."))
            else:
                photos_by_child.setdefault(int(value), []).append(str(media.pk))
        if unassigned:
            self.add_error(
                None,
                ValidationError(
                    ngettext_lazy(
                        "%(count)s of the photos has no child yet: give each photo to a child, or leave it out.",
                        "%(count)s of the photos have no child yet: give each photo to a child, or leave it out.",
                        "count",
                    ),
                    params={"count": unassigned},
                ),
            )
        without = []
        for value in self.data.getlist("without_photo") if hasattr(self.data, "getlist") else ():
            if value not in known:
                self.add_error(None, _("This child is not in the class."))
            else:
                without.append(int(value))
        data["photos_by_child"] = photos_by_child
        data["children_without_photo"] = without
        return data

    def assigned(self) -> dict[str, str]:
        """Each photo's child as sent (to show the form again as it was)."""
        return {str(m.pk): (self.data.get(f"photo_{m.pk}") or "") for m in self.photos} if self.is_bound else {}

    def ticked(self) -> set[str]:
        return set(self.data.getlist("without_photo")) if self.is_bound and hasattr(self.data, "getlist") else set()


class WorkEditForm(WorkFieldsForm):
    """A work's fields, with photos to add or remove and its voice note."""

    remove_voice = forms.BooleanField(label=_("Remove the voice note"), required=False)
