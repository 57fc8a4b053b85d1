from django.contrib import admin

from parents.models import ConsentRecord, Guardianship, InvitationCode
from schools.admin_base import SchoolScopedAdmin


@admin.register(Guardianship)
class GuardianshipAdmin(SchoolScopedAdmin):
    list_display = ["guardian", "child", "relationship", "is_primary", "created_at"]
    list_filter = ["relationship", "is_primary"]
    search_fields = ["guardian__full_name", "guardian__email", "guardian__phone", "child__full_name"]
    list_select_related = ["guardian", "child"]
    # Guardians are made by claiming an invitation code, never typed in: who is whose guardian is not edited here.
    readonly_fields = ["school", "child", "guardian"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InvitationCode)
class InvitationCodeAdmin(SchoolScopedAdmin):
    list_display = ["code", "child", "created_at", "expires_at", "revoked_at", "claimed_at"]
    search_fields = ["code", "child__full_name"]
    readonly_fields = ["code", "claimed_by", "claimed_at", "created_by"]
    autocomplete_fields = ["child"]
    list_select_related = ["child"]

    def has_add_permission(self, request, obj=None):
        return False  # codes are issued from the class page so that they are random and printed


@admin.register(ConsentRecord)
class ConsentRecordAdmin(SchoolScopedAdmin):
    """Read-only: consent is the guardian's own word and is never edited."""

    list_display = ["child", "guardian", "purpose", "granted", "text_version", "recorded_at"]
    list_filter = ["purpose", "granted"]
    search_fields = ["child__full_name", "guardian__full_name"]
    list_select_related = ["child", "guardian"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
