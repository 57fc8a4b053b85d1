from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from announcements.models import Announcement, AnnouncementReceipt, PickupNotice
from schools.admin_base import ReadOnlyScopedAdmin, SchoolScopedAdmin


@admin.register(Announcement)
class AnnouncementAdmin(SchoolScopedAdmin):
    """Posting happens on the portal (which checks the audience and tells families); here the text can be fixed."""

    list_display = ["title", "kind", "audience", "school", "created_by", "published_at", "requires_acknowledgement"]
    list_filter = ["kind", "audience", "requires_acknowledgement", "urgent"]
    search_fields = ["title", "body"]
    list_select_related = ["school", "created_by"]
    fields = [
        "school",
        "title",
        "body",
        "kind",
        "audience",
        "classes",
        "requires_acknowledgement",
        "urgent",
        "created_by",
        "created_at",
        "published_at",
    ]
    readonly_fields = ["school", "audience", "classes", "urgent", "created_by", "created_at", "published_at"]

    @admin.display(description=_("classes"))
    def classes(self, obj):
        return ", ".join(c.name for c in obj.classrooms.all()) if obj and not obj.is_school_wide else ""

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnouncementReceipt)
class AnnouncementReceiptAdmin(ReadOnlyScopedAdmin):
    list_display = ["announcement", "guardian", "read_at", "acknowledged_at"]
    search_fields = ["announcement__title", "guardian__full_name", "guardian__email"]
    list_select_related = ["announcement", "guardian"]


@admin.register(PickupNotice)
class PickupNoticeAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "child", "classroom", "kind", "time", "sent_by", "cancelled_at"]
    list_filter = ["kind", "date"]
    search_fields = ["child__full_name", "sent_by__full_name"]
    list_select_related = ["child", "classroom", "sent_by"]
    date_hierarchy = "date"
