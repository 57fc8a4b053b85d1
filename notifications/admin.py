"""Notices and deliveries, read-only, for superusers and the leaders of the school they came from.

Made by the portal, never edited by hand: a changed notice would no longer be what was sent.
The deliveries' list links to what the messages cost and whom they reached (notifications.reach).
Zalo's account, templates and reports are the superuser's alone.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notifications import reach, services
from notifications.models import (
    ACCOUNT_TEXTS,
    ZALO_MESSAGE_MAX_CHARS,
    Category,
    Delivery,
    Notice,
    SmsCount,
    ZaloAccount,
    ZaloEvent,
    ZaloTemplate,
    ZaloTemplateParam,
)
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


# --- Zalo: the superuser's alone ------------------------------------------------------------------


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Settings of the whole deployment: invisible to everyone but superusers."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ZaloAccountForm(forms.ModelForm):
    # The tokens are never shown, not even masked: only a new refresh token can be pasted.
    new_refresh_token = forms.CharField(
        label=_("New refresh token"),
        required=False,
        # "new-password": browsers ignore "off" on password fields and would fill in the superuser's own password.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Paste a refresh token made in Zalo's developer console. Saving it discards the access token: "
            "the portal gets a new one at the next message. Leave empty to keep the tokens as they are."
        ),
    )

    class Meta:
        model = ZaloAccount
        fields = []

    def clean_new_refresh_token(self):
        token = self.cleaned_data["new_refresh_token"]
        if token and any(character.isspace() for character in token):
            raise ValidationError(_("A refresh token has no spaces or line breaks: paste it again."))
        return token


@admin.register(ZaloAccount)
class ZaloAccountAdmin(SuperuserOnlyAdmin):
    """The Official Account's one row: whether it holds working tokens, and a place to paste a new refresh token."""

    form = ZaloAccountForm
    readonly_fields = ["has_access_token", "access_expires_at", "refreshed_at", "last_error", "last_error_at"]
    fields = [*readonly_fields, "new_refresh_token"]

    @admin.display(description=_("access token present"), boolean=True)
    def has_access_token(self, obj):
        return bool(obj and obj.access_token)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and not ZaloAccount.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: its list would only hold a link to it.
        if not self.has_view_permission(request):
            raise PermissionDenied
        account = ZaloAccount.objects.only("pk").first()
        if account is None:
            return HttpResponseRedirect(reverse("admin:notifications_zaloaccount_add"))
        return HttpResponseRedirect(reverse("admin:notifications_zaloaccount_change", args=[account.pk]))

    def save_model(self, request, obj, form, change):
        token = form.cleaned_data.get("new_refresh_token")
        replaced = ["refresh_token", "access_token", "access_expires_at", "last_error", "last_error_at"]
        if token:
            obj.refresh_token, obj.access_token, obj.access_expires_at = token, "", None
            obj.last_error, obj.last_error_at = "", None
        if not change:
            obj.pk = 1
            obj.save(force_insert=True)
        elif token:
            # Only the fields that change: a whole-row save could write back tokens the portal renewed
            # meanwhile (a refresh token works once, so an old one would break the account).
            obj.save(update_fields=replaced)


# ZNS names a template's parameters with letters, digits and underscores (e.g. `child_name`).
ZNS_PARAM_NAME = re.compile(r"[A-Za-z0-9_]+")


class ZaloTemplateParamForm(forms.ModelForm):
    class Meta:
        model = ZaloTemplateParam
        fields = ["name", "source", "max_length"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not ZNS_PARAM_NAME.fullmatch(name):
            raise ValidationError(
                _("Write the parameter's name as in the template on Zalo: letters, digits and underscores only.")
            )
        return name

    def clean_max_length(self):
        length = self.cleaned_data["max_length"]
        if length is not None and not 1 <= length <= ZALO_MESSAGE_MAX_CHARS:
            raise ValidationError(
                ngettext(
                    "A parameter takes from 1 to %(limit)d character: Zalo takes at most %(limit)d in one message.",
                    "A parameter takes from 1 to %(limit)d characters: Zalo takes at most %(limit)d in one message.",
                    ZALO_MESSAGE_MAX_CHARS,
                ),
                params={"limit": ZALO_MESSAGE_MAX_CHARS},
            )
        return length


class ZaloTemplateParamFormSet(forms.BaseInlineFormSet):
    """The parameters together: distinct names, a length Zalo accepts, and titles for announcements only."""

    def clean(self):
        # Before Django's own checks, whose message for a doubled name says less.
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        problems = []
        names = [data.get("name") for data in kept if data.get("name")]
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            problems.append(
                ValidationError(
                    _("Each parameter needs a name of its own; used more than once: %(names)s."),
                    params={"names": ", ".join(doubled)},
                )
            )
        total = sum(data.get("max_length") or 0 for data in kept)
        if total > ZALO_MESSAGE_MAX_CHARS:
            problems.append(
                ValidationError(
                    ngettext(
                        "This template's parameters may take %(total)d character together; "
                        "Zalo takes at most %(limit)d in one message.",
                        "This template's parameters may take %(total)d characters together; "
                        "Zalo takes at most %(limit)d in one message.",
                        total,
                    ),
                    params={"total": total, "limit": ZALO_MESSAGE_MAX_CHARS},
                )
            )
        titled = any(data.get("source") == ZaloTemplateParam.Source.TITLE for data in kept)
        if titled and self.instance.category != Category.ANNOUNCEMENT:
            # Other notices' titles may say more about a child than a given name.
            problems.append(
                ValidationError(
                    _("Only the template for school announcements may be filled with the notice's title."),
                )
            )
        if problems:
            raise ValidationError(problems)
        super().clean()


class ZaloTemplateParamInline(admin.TabularInline):
    model = ZaloTemplateParam
    form = ZaloTemplateParamForm
    formset = ZaloTemplateParamFormSet
    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(ZaloTemplate)
class ZaloTemplateAdmin(SuperuserOnlyAdmin):
    """The templates Zalo approved, one per category, and what of a notice fills each parameter."""

    list_display = ["category", "template_id", "approved", "error", "updated_at"]
    list_filter = ["approved"]
    fields = ["category", "template_id", "approved", "last_error", "last_error_at", "updated_at"]
    readonly_fields = ["last_error", "last_error_at", "updated_at"]
    inlines = [ZaloTemplateParamInline]

    @admin.display(description=_("last error"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)


@admin.register(ZaloEvent)
class ZaloEventAdmin(SuperuserOnlyAdmin):
    """What Zalo's webhook was told, as received: read, never edited."""

    list_display = ["received_at", "event_name", "signature_valid", "delivery", "outcome"]
    list_filter = ["signature_valid", "event_name"]
    list_select_related = ["delivery__notice"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
