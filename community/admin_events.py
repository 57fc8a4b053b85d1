"""The events part's admin pages (school-scoped): leaders correct an event and its volunteer roles.

Answers, sign-ups and photos are the families' and the organisers' own, on the portal's pages.
"""

from django.contrib import admin

from community.models import Event, VolunteerRole
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline


class VolunteerRoleInline(SchoolScopedInline):
    model = VolunteerRole
    fields = ["name", "slots", "description"]


@admin.register(Event)
class EventAdmin(SchoolScopedAdmin):
    list_display = ["title", "kind", "starts_at", "place", "school"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    fields = ["school", "title", "kind", "starts_at", "ends_at", "place", "programme", "whole_school", "classrooms"]
    filter_horizontal = ["classrooms"]
    inlines = [VolunteerRoleInline]

    def save_formset(self, request, form, formset, change):
        for role in formset.save(commit=False):
            role.school_id = form.instance.school_id
            role.save()
        for role in formset.deleted_objects:
            role.delete()
        formset.save_m2m()
