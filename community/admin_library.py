"""The library part's admin pages (school-scoped): items with their copies."""

from __future__ import annotations

from django.contrib import admin

from community.models import LibraryCopy, LibraryItem
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline


class LibraryCopyInline(SchoolScopedInline):
    model = LibraryCopy
    fields = ["code", "condition", "is_active"]
    extra = 1


@admin.register(LibraryItem)
class LibraryItemAdmin(SchoolScopedAdmin):
    list_display = ["name", "category", "age_from", "age_to", "donor_credit", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "donor_credit", "donor_reference", "copies__code"]
    fields = [
        "school",
        "name",
        "category",
        "description",
        "photo",
        ("age_from", "age_to"),
        "loan_days",
        "donor_credit",
        "donor_reference",
        "is_active",
    ]
    inlines = [LibraryCopyInline]

    def save_formset(self, request, form, formset, change):
        for copy_form in formset.forms:
            if copy_form.instance and not copy_form.instance.school_id:
                copy_form.instance.school_id = form.instance.school_id
        super().save_formset(request, form, formset, change)
