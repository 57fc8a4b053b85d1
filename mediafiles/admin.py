"""Uploaded photos and videos, read-only, for superusers and the leaders of the school they belong to."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mediafiles.models import MediaFile
from schools.admin_base import SchoolScopedAdmin


@admin.register(MediaFile)
class MediaFileAdmin(SchoolScopedAdmin):
    """Made by uploads and the media worker, never edited by hand."""

    list_display = ["original_name", "kind", "audience", "state", "failure_reason", "size_shown", "duration_shown"]
    list_display += ["school", "uploaded_by", "created_at"]
    list_filter = ["state", "kind", "audience"]
    search_fields = ["original_name", "sha256", "uploaded_by__email", "uploaded_by__full_name"]
    list_select_related = ["school", "uploaded_by"]
    date_hierarchy = "created_at"
    fields = [
        "original_name",
        "school",
        "uploaded_by",
        "audience",
        "kind",
        "state",
        "failure_reason",
        "content_type",
        "size_shown",
        "stored_shown",
        "duration_shown",
        "width",
        "height",
        "sha256",
        "created_at",
        "ready_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from mediafiles.access import withheld_queries

        for query in withheld_queries():
            queryset = queryset.exclude(pk__in=query())
        return queryset

    @admin.display(description=_("size"), ordering="size")
    def size_shown(self, obj):
        return filesizeformat(obj.size)

    @admin.display(description=_("in storage"), ordering="stored_bytes")
    def stored_shown(self, obj):
        return filesizeformat(obj.stored_bytes)

    @admin.display(description=_("duration"), ordering="duration")
    def duration_shown(self, obj):
        if not obj.duration:
            return "–"
        return "%d:%02d" % divmod(round(obj.duration), 60)  # noqa: UP031

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
