"""The library part's admin pages (school-scoped): items with their copies."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from community.models import LibraryCopy, LibraryItem
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline


class LibraryCopyFormSet(BaseInlineFormSet):
    """A label is unique in the school: said on the form, not left to the database's refusal."""

    def clean(self):
        super().clean()
        school_id = self.instance.school_id
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("code"):
                continue
            code = data["code"].strip().upper()
            taken = (
                LibraryCopy.objects.filter(school_id=school_id, code=code).exclude(pk=form.instance.pk).exists()
                if school_id
                else False
            )
            if code in seen or taken:
                form.add_error("code", ValidationError(_("Another copy of the school already has this label.")))
            seen.add(code)


class LibraryCopyInline(SchoolScopedInline):
    model = LibraryCopy
    formset = LibraryCopyFormSet
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
