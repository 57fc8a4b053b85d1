"""The submitted term reports in the school-scoped admin: a school's leaders read theirs and its history,
nobody edits them (submitting, acknowledging and commenting happen on the portal's pages)."""

from django.contrib import admin

from reports.models import Submission, SubmissionEvent
from schools.admin_base import ReadOnlyScopedAdmin, SchoolScopedInline


class SubmissionEventInline(SchoolScopedInline):
    model = SubmissionEvent
    fields = ["kind", "at", "by", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyScopedAdmin):
    list_display = ["school", "year_start", "term", "authority", "status", "submitted_at", "acknowledged_at"]
    list_filter = ["status", "year_start", "term"]
    date_hierarchy = "submitted_at"
    # The figures are read on the portal's page, as a table; the admin keeps the record.
    fields = ["school", "authority", "year_start", "term", "status", "cover_note"]
    fields += ["submitted_by", "submitted_at", "acknowledged_by", "acknowledged_at"]
    readonly_fields = fields
    list_select_related = ["school", "authority"]
    inlines = [SubmissionEventInline]
