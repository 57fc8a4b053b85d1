"""Notices and deliveries, read-only, for superusers and the leaders of the school they came from.

Made by the portal, never edited by hand: a changed notice would no longer be what was sent.
The deliveries' list links to what the messages cost and whom they reached (notifications.reach).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notifications import reach, services
from notifications.models import ACCOUNT_TEXTS, Delivery, Notice, SmsCount
from schools.admin_base import ReadOnlyScopedAdmin, SchoolScopedInline


class DeliveryInline(SchoolScopedInline):
    model = Delivery
    can_delete = False
    fields = [
        "channel",
        "fallback",
        "address",
        "state",
        "attempts",
        "not_before",
        "sent_at",
        "delivered_at",
        "seen_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Notice)
class NoticeAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "recipient", "category", "urgent", "school", "created_at", "read_at"]
    list_filter = ["category", "urgent", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "dedupe_key", "recipient__email", "recipient__phone", "recipient__full_name"]
    list_select_related = ["recipient", "school"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    exclude = ["body"]
    readonly_fields = ["text"]

    @admin.display(description=_("text"))
    def text(self, obj):
        # A sign-in code or password link is the person's alone, even to a superuser.
        if obj.category in ACCOUNT_TEXTS:
            return _("(hidden: it may hold a sign-in code or a password link)")
        return obj.body


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyScopedAdmin):
    school_path = "notice__school"
    list_display = ["notice", "recipient", "channel", "state", "attempts", "error", "not_before", "sent_at"]
    list_filter = ["state", "channel", "fallback", "digest"]
    search_fields = ["notice__title", "notice__recipient__email", "notice__recipient__phone"]
    list_select_related = ["notice__recipient"]
    actions = ["retry"]

    def get_urls(self):
        return [
            path("reach/", self.admin_site.admin_view(self.reach_view), name="notifications_delivery_reach"),
            *super().get_urls(),
        ]

    def reach_view(self, request):
        """What the messages cost and whom they reached, per month, for the schools the person leads."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        everything = request.user.is_superuser
        schools = list(reach.reach_schools(user=request.user))
        form = ReachScopeForm(request.GET or None, schools=schools, everything=everything)
        chosen = None
        if form.is_bound and form.is_valid() and form.cleaned_data["school"]:
            chosen = next(school for school in schools if str(school.pk) == form.cleaned_data["school"])
        if chosen is not None:
            school_ids, scope = [chosen.pk], chosen.name
        elif everything:
            school_ids, scope = None, gettext("all schools, and the messages about people's accounts")
        else:
            school_ids, scope = [school.pk for school in schools], ", ".join(school.name for school in schools)
        months = reach.reach_by_month(school_ids=school_ids)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Cost and reach of the messages"),
            "form": form if len(schools) > 1 else None,
            "scope": scope,
            "months": months,
            "total": reach.reach_total(months),
            "prices": reach.reach_prices(),
        }
        return TemplateResponse(request, "admin/notifications/delivery/reach.html", context)

    @admin.display(description=_("recipient"), ordering="notice__recipient")
    def recipient(self, obj):
        return obj.notice.recipient

    @admin.display(description=_("last error"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)

    def has_retry_permission(self, request):
        return self.has_view_permission(request)

    @admin.action(description=_("Send the selected failed deliveries again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = services.deliveries_retry(deliveries=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


class RefusedFilter(admin.SimpleListFilter):
    title = _("refused")
    parameter_name = "refused"

    def lookups(self, request, model_admin):
        return [("yes", _("Some refused")), ("no", _("None refused"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(refused__gt=0)
        if self.value() == "no":
            return queryset.filter(refused=0)
        return queryset


@admin.register(SmsCount)
class SmsCountAdmin(admin.ModelAdmin):
    """Text messages sent and refused per budget (notifications.budgets): the superuser's view of SMS spending."""

    list_display = ["period_start", "kind", "scope", "key", "sent", "refused"]
    list_filter = [RefusedFilter, "kind", "scope"]
    search_fields = ["key"]
    date_hierarchy = "period_start"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReachScopeForm(forms.Form):
    """The school whose figures the cost and reach page shows, among those the person may see."""

    school = forms.ChoiceField(label=_("School"), required=False)

    def __init__(self, *args, schools, everything: bool, **kwargs):
        super().__init__(*args, **kwargs)
        every = _("All schools, and account messages") if everything else _("All my schools")
        self.fields["school"].choices = [("", every), *[(str(school.pk), school.name) for school in schools]]
