"""The events part's admin pages (school-scoped): leaders correct an event and its volunteer roles.

Answers, sign-ups and photos are the families' and the organisers' own, on the portal's pages.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Event, VolunteerRole
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline


class EventAdminForm(forms.ModelForm):
    """The portal's rule holds here too: an event is never created in the past, nor moved there."""

    class Meta:
        model = Event
        fields = ["school", "title", "kind", "starts_at", "ends_at", "place", "programme", "whole_school", "classrooms"]

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        moved = self.instance.pk is None or starts_at != self.instance.starts_at
        if starts_at and moved and starts_at < timezone.now():
            raise forms.ValidationError(_("The event cannot start in the past."))
        return starts_at


class VolunteerRoleInline(SchoolScopedInline):
    model = VolunteerRole
    fields = ["name", "slots", "description"]


@admin.register(Event)
class EventAdmin(SchoolScopedAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "starts_at", "place", "school"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    fields = EventAdminForm.Meta.fields
    filter_horizontal = ["classrooms"]
    inlines = [VolunteerRoleInline]

    def save_formset(self, request, form, formset, change):
        for role in formset.save(commit=False):
            role.school_id = form.instance.school_id
            role.save()
        for role in formset.deleted_objects:
            role.delete()
        formset.save_m2m()
