"""Home activities and answers in the admin, for principals (their own school) and superusers.

Posting, publishing and answering happen on the portal, which checks the classes,
the files and consent and tells the families; here a principal reviews and can
fix a text or take something down.
"""

from django.contrib import admin

from activities.models import Activity, ActivityClassroom, Answer
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline


class ActivityClassroomInline(SchoolScopedInline):
    model = ActivityClassroom
    fields = ["classroom", "enrolled", "nudged_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(SchoolScopedAdmin):
    list_display = ["title", "school", "domain", "age_group", "state", "created_by", "published_at", "answer_by"]
    list_filter = ["state", "domain", "age_group"]
    search_fields = ["title", "instructions"]
    list_select_related = ["school", "created_by"]
    date_hierarchy = "created_at"
    fields = [
        "school",
        "title",
        "domain",
        "age_group",
        "materials",
        "instructions",
        "answer_by",
        "state",
        "held_reason",
        "video",
        "voice",
        "created_by",
        "created_at",
        "published_at",
    ]
    readonly_fields = ["school", "state", "held_reason", "video", "voice", "created_by", "created_at", "published_at"]
    inlines = [ActivityClassroomInline]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(SchoolScopedAdmin):
    """What families sent: a principal reads them and may remove one; nobody edits a family's answer."""

    list_display = ["activity", "child", "classroom", "guardian", "created_at", "sharing", "sticker", "feedback_at"]
    list_filter = ["sharing", "sticker"]
    search_fields = ["activity__title", "child__full_name", "guardian__full_name"]
    list_select_related = ["activity", "child", "classroom", "guardian"]
    date_hierarchy = "created_at"
    fields = [
        "activity",
        "child",
        "classroom",
        "guardian",
        "media",
        "note",
        "created_at",
        "sharing",
        "offered_at",
        "decided_at",
        "decided_by",
        "sticker",
        "feedback",
        "feedback_by",
        "feedback_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
