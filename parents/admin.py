from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parents import services
from parents.models import BoardMember, ConsentRecord, FamilyViewer, Guardianship, InvitationCode
from schools.admin_base import SchoolScopedAdmin


@admin.register(Guardianship)
class GuardianshipAdmin(SchoolScopedAdmin):
    """Guardians are made with invitation codes, never typed in here. A leader confirms or refuses a
    staff member's claim and restores or ends a suspended guardian with the actions, through the
    same service as the portal's page (parents.services.guardianship_decide)."""

    list_display = ["guardian", "child", "relationship", "status", "is_primary", "created_at"]
    list_filter = ["status", "relationship", "is_primary"]
    search_fields = ["guardian__full_name", "guardian__email", "guardian__phone", "child__full_name"]
    list_select_related = ["guardian", "child"]
    # Who and which child are never changed here (that would be a new guardian, made without a code).
    readonly_fields = [
        "school",
        "child",
        "guardian",
        "status",
        "confirmed_by",
        "confirmed_at",
        "disputed_by",
        "disputed_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["confirm", "refuse", "restore", "end"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record of who was a guardian, and of the decisions, is kept: end a link instead.
        return request.user.is_superuser

    def _decide(self, request, queryset, decision: str, done) -> None:
        changed = 0
        for guardianship in queryset.select_related("child", "guardian"):
            try:
                services.guardianship_decide(guardianship=guardianship, by=request.user, decision=decision)
            except services.GuardianshipError as exc:
                self.message_user(request, f"{guardianship}: {exc}", messages.ERROR)
            except PermissionDenied:
                self.message_user(
                    request,
                    _("%(guardianship)s: you may not decide about this guardian.") % {"guardianship": guardianship},
                    messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            self.message_user(request, done % {"n": changed}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Confirm the selected requests"))
    def confirm(self, request, queryset):
        self._decide(request, queryset, "confirm", _("%(n)d confirmed; the families and teachers were told."))

    @admin.action(description=gettext_lazy("Refuse the selected requests"))
    def refuse(self, request, queryset):
        self._decide(request, queryset, "refuse", _("%(n)d refused."))

    @admin.action(description=gettext_lazy("Restore the selected suspended guardians"))
    def restore(self, request, queryset):
        self._decide(request, queryset, "restore", _("%(n)d restored."))

    @admin.action(description=gettext_lazy("End the links of the selected suspended guardians"))
    def end(self, request, queryset):
        self._decide(request, queryset, "end", _("%(n)d ended."))


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


@admin.register(FamilyViewer)
class FamilyViewerAdmin(SchoolScopedAdmin):
    """Read-only: a guardian invites family viewers from the portal. A leader may revoke one (the
    guardians are told), through the same service as the guardians' page."""

    list_display = ["name", "relationship", "child", "viewer", "status_shown", "invited_by", "invited_at", "revoked_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "child__full_name", "viewer__full_name"]
    list_select_related = ["child", "viewer", "invited_by"]
    # The token is the invitation itself: never shown here.
    fields = [
        "school",
        "child",
        "name",
        "relationship",
        "viewer",
        "invited_by",
        "invited_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=gettext_lazy("status"))
    def status_shown(self, obj):
        return obj.get_status_display()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Revoke the selected family viewers"))
    def revoke(self, request, queryset):
        changed = 0
        for viewer in queryset.select_related("child"):
            try:
                changed += services.family_viewer_revoke(viewer=viewer, by=request.user)
            except PermissionDenied:
                self.message_user(
                    request, _("%(viewer)s: you may not revoke this viewer.") % {"viewer": viewer}, messages.ERROR
                )
        if changed:
            self.message_user(
                request, _("%(n)d revoked; they lost access at once and the guardians were told.") % {"n": changed}
            )


@admin.register(BoardMember)
class BoardMemberAdmin(SchoolScopedAdmin):
    """The principal names the parents' representative board for each school year: guardians of the
    school's children only (the model refuses anyone else)."""

    list_display = ["guardian", "role", "school_year", "school", "appointed_by", "appointed_at"]
    list_filter = ["school_year", "role"]
    list_select_related = ["guardian", "school_year", "school", "appointed_by"]
    search_fields = ["guardian__full_name", "guardian__email", "guardian__phone"]
    autocomplete_fields = ["guardian"]
    readonly_fields = ["appointed_by", "appointed_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.appointed_by = request.user
        super().save_model(request, obj, form, change)
