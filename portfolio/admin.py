"""Children's works in the admin, for principals (their own school) and superusers.

Works are recorded, changed and labelled on the portal, which checks the class, consent and the
files; here a principal reviews them, can fix a text, take a work down, or replace the codes of
labels that were lost or stuck on the wrong work (through the same service as the teachers' page).
What people did (codes replaced, pages opened) and the printed outputs are read-only. The QR
images and printouts are not linked from here: they are downloaded through the portal's checks.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portfolio import policies, services
from portfolio.models import Album, LabelSheet, RevokedToken, Work, WorkOpen, WorkPhoto
from schools.admin_base import ReadOnlyScopedAdmin, SchoolScopedAdmin, SchoolScopedInline


class WorkPhotoInline(SchoolScopedInline):
    """The work's photos as small pictures, while the guardians' consent stands (the download
    checks it too): added and removed on the portal only."""

    model = WorkPhoto
    fields = ["thumbnail", "position", "sha256"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        child_id = obj.work.child_id
        if child_id not in policies.consented_child_ids([child_id], policies.PHOTOS):
            return gettext("Not shown: the guardians have not agreed to photos in the portfolio")
        url = obj.media.url("thumb")
        if not url:
            return gettext("Being prepared")
        return format_html('<img src="{}" alt="" height="90" loading="lazy">', url)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("media", "work")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Work)
class WorkAdmin(SchoolScopedAdmin):
    list_display = ["title", "child", "classroom", "domain", "made_on", "qr_ready_shown", "family_opened_at"]
    list_filter = ["classroom", "domain"]
    search_fields = ["title"]
    list_select_related = ["child", "classroom"]
    date_hierarchy = "made_on"
    fields = [
        "school",
        "child",
        "classroom",
        "title",
        "domain",
        "made_on",
        "description",
        "teacher_note",
        "voice",
        "created_by",
        "created_at",
        "token",
        "qr_token",
        "qr_ready_shown",
        "family_opened_at",
    ]
    readonly_fields = [
        "school",
        "child",
        "classroom",
        "voice",
        "created_by",
        "created_at",
        "token",
        "qr_token",
        "qr_ready_shown",
        "family_opened_at",
    ]
    inlines = [WorkPhotoInline]
    actions = ["replace_codes"]

    @admin.display(description=_("QR code ready"), boolean=True)
    def qr_ready_shown(self, obj):
        return obj.qr_ready

    def has_add_permission(self, request, obj=None):
        return False  # recorded on the portal, with the class's children and their consents

    @admin.action(description=_("Replace the codes of the selected works (the old labels stop working)"))
    def replace_codes(self, request, queryset):
        replaced = 0
        for work in queryset.select_related("classroom"):
            try:
                services.work_code_replace(work=work, by=request.user)
            except PermissionDenied:
                self.message_user(
                    request,
                    gettext("%(work)s: you may not replace this work's code.") % {"work": work},
                    messages.ERROR,
                )
            else:
                replaced += 1
        if replaced:
            self.message_user(
                request,
                ngettext(
                    "%(n)d code replaced: print its new label; the new QR image is being made.",
                    "%(n)d codes replaced: print their new labels; the new QR images are being made.",
                    replaced,
                )
                % {"n": replaced},
                messages.SUCCESS,
            )


@admin.register(RevokedToken)
class RevokedTokenAdmin(ReadOnlyScopedAdmin):
    """Codes replaced on the portal or here: the child's guardians who open one are told."""

    list_display = ["work", "work_child", "revoked_at", "revoked_by"]
    search_fields = ["work__title"]
    list_select_related = ["work__child", "revoked_by"]
    date_hierarchy = "revoked_at"
    fields = ["work", "token", "revoked_at", "revoked_by"]
    readonly_fields = fields

    @admin.display(description=_("child"), ordering="work__child__full_name")
    def work_child(self, obj):
        return obj.work.child


@admin.register(WorkOpen)
class WorkOpenAdmin(ReadOnlyScopedAdmin):
    """Who opened which work's page, once per person."""

    list_display = ["work", "user", "by_family", "opened_at"]
    list_filter = ["by_family"]
    search_fields = ["work__title"]
    list_select_related = ["work", "user"]
    date_hierarchy = "opened_at"
    fields = ["work", "user", "by_family", "opened_at"]
    readonly_fields = fields


@admin.register(LabelSheet)
class LabelSheetAdmin(ReadOnlyScopedAdmin):
    """Label sheets asked for by teachers; downloaded on the class's page."""

    list_display = ["classroom", "date_from", "date_to", "layout", "state", "total", "pages", "requested_by"]
    list_display += ["requested_at"]
    list_filter = ["state", "classroom"]
    list_select_related = ["classroom", "requested_by"]
    date_hierarchy = "requested_at"
    fields = [
        "classroom",
        "layout",
        "date_from",
        "date_to",
        "skip",
        "state",
        "total",
        "done",
        "pages",
        "failure_reason",
        "requested_by",
        "requested_at",
        "finished_at",
    ]
    readonly_fields = fields


@admin.register(Album)
class AlbumAdmin(ReadOnlyScopedAdmin):
    """Albums asked for by guardians; the family downloads them from the portal."""

    list_display = ["child", "period_name", "scope", "state", "total", "with_photos", "with_voice", "requested_at"]
    list_filter = ["state", "scope"]
    search_fields = ["child__full_name"]
    list_select_related = ["child"]
    date_hierarchy = "requested_at"
    fields = [
        "child",
        "scope",
        "period_name",
        "period_start",
        "period_end",
        "state",
        "total",
        "done",
        "with_photos",
        "with_voice",
        "failure_reason",
        "requested_by",
        "requested_at",
        "finished_at",
    ]
    readonly_fields = fields
