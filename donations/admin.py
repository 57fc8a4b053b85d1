"""The donations in the admin: the principal's review, and the accountant's daily work.

The school's principal, vice-principal and accountant use these pages for their own school (see
donations/admin_base.py); only the principal publishes, opens, closes and settles campaigns, approves
or rejects spending, reverses a receipt, answers comments and names the sponsorship team. Every
change goes through donations/services.py, which checks the rules and keeps the ledger; each action
is also written to the admin's history (LogEntry) with who and when.
"""

from __future__ import annotations

import csv
import datetime
import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from donations import services
from donations.admin_base import (
    DonationsAdmin,
    DonationsInline,
    DonationsReadOnlyAdmin,
    ReadOnlyInline,
    ReasonForm,
    add_service_errors,
    apply_posted,
    intermediate_page,
)
from donations.models import (
    ALLOWED_USES,
    DEFAULT_COMMENT_DAYS,
    MAX_AMOUNT,
    Campaign,
    CampaignState,
    Comment,
    Contribution,
    ContributionEvent,
    ContributionEvidence,
    ContributionKind,
    ContributionState,
    Donor,
    LedgerEntry,
    SchoolAccount,
    Settlement,
    Spending,
    SpendingEvidence,
    SpendingState,
    TeamMember,
    Use,
    WishItem,
)
from donations.policies import MANAGER_ROLES, can_see_donor_contacts

CONTACT_FIELDS = ("email", "phone", "address", "tax_code")


def _report(model_admin, request, obj, error: ValidationError) -> None:
    model_admin.message_user(
        request,
        gettext("%(object)s: %(problem)s") % {"object": obj, "problem": " ".join(error.messages)},
        messages.ERROR,
    )


def _done(model_admin, request, count: int, message) -> None:
    """`message(n)`: what was done to n objects (each action's own ngettext)."""
    if count:
        model_admin.message_user(request, message(count), messages.SUCCESS)


# --- Donors


@admin.register(Donor)
class DonorAdmin(DonationsAdmin):
    """The school's donors. Contact details show only to the principal and the accountant (and superusers)."""

    list_display = ["name", "kind", "shown_as", "school"]
    list_filter = ["kind", "display"]
    search_fields = ["name", "display_name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["reference"]
    actions = ["invite"]

    @admin.display(description=_("shown in public as"))
    def shown_as(self, obj):
        return obj.public_name

    def _sees_contacts(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is not None:
            return can_see_donor_contacts(request.user, obj.school_id)
        return any(can_see_donor_contacts(request.user, school_id) for school_id in (self.school_ids(request) or ()))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._sees_contacts(request, obj):
            return fields
        return [name for name in fields if name not in CONTACT_FIELDS]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Invite the selected donors to their own donor page"))
    def invite(self, request, queryset):
        from donations.services_invitations import donor_invite, invitation_url

        for donor in queryset:
            try:
                invitation = donor_invite(donor=donor, by=request.user)
            except ValidationError as error:
                _report(self, request, donor, error)
                continue
            url = request.build_absolute_uri(invitation_url(invitation))
            self.log_change(request, donor, gettext("Invited to their donor page."))
            self.message_user(
                request,
                format_html(gettext("{donor}: send them this link: {url}"), donor=donor, url=url),
                messages.SUCCESS,
            )


# --- The school's bank account and its sponsorship team


@admin.register(SchoolAccount)
class SchoolAccountAdmin(DonationsAdmin):
    """The account the VietQR codes name: the principal sets it (where money goes is their decision)."""

    list_display = ["bank_name", "account_number", "account_name", "school"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and self.approves(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.approves(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.approves(request, obj)


@admin.register(TeamMember)
class TeamMemberAdmin(DonationsAdmin):
    """The sponsorship team, named by the principal: it needs at least one member of the parents' board."""

    list_display = ["user", "role", "on_board", "appointed_by", "appointed_at", "school"]
    list_filter = ["role"]
    list_select_related = ["user", "appointed_by"]
    autocomplete_fields = ["user"]
    fields = ["school", "user", "role", "on_board", "appointed_by", "appointed_at"]
    readonly_fields = ["on_board", "appointed_by", "appointed_at"]

    @admin.display(description=_("on the parents' board"), boolean=True)
    def on_board(self, obj):
        from parents.policies import is_board_member

        if obj.pk is None:
            return None
        return is_board_member(obj.user, obj.school_id)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and self.approves(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.approves(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.approves(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.appointed_by = request.user
        super().save_model(request, obj, form, change)


# --- Campaigns


class CampaignForm(forms.ModelForm):
    uses = forms.MultipleChoiceField(
        label=_("uses in the plan"),
        choices=[(use.value, use.label) for use in Use if use in ALLOWED_USES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sponsorship may pay only for these; staff pay and security are never allowed."),
    )

    class Meta:
        model = Campaign
        fields = [
            "school",
            "title",
            "purpose",
            "beneficiaries",
            "use_plan",
            "uses",
            "target_amount",
            "comment_days",
            "collect_from",
            "collect_until",
        ]

    def clean_target_amount(self):
        target = self.cleaned_data.get("target_amount")
        if target is not None and not 0 < target <= MAX_AMOUNT:
            raise ValidationError(_("A cash target is more than 0 and at most 10 billion đồng."))
        return target

    def clean_comment_days(self):
        days = self.cleaned_data.get("comment_days")
        if days is not None and days < DEFAULT_COMMENT_DAYS:
            raise ValidationError(
                ngettext(
                    "A plan is open for comment for at least %(days)d working day.",
                    "A plan is open for comment for at least %(days)d working days.",
                    DEFAULT_COMMENT_DAYS,
                )
                % {"days": DEFAULT_COMMENT_DAYS}
            )
        return days

    def clean(self):
        data = super().clean()
        start, end = data.get("collect_from"), data.get("collect_until")
        if start and end and end < start:
            self.add_error("collect_until", _("Collecting ends after it starts."))
        return data


class WishItemInline(DonationsInline):
    model = WishItem
    fields = ["name", "quantity", "is_equipment", "position"]

    def _editable(self, request, obj) -> bool:
        return obj is None or obj.state == CampaignState.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


class CommentInline(DonationsInline):
    """Families' comments on the plan; the principal answers here (the answer is public)."""

    model = Comment
    fields = ["author", "body", "created_at", "answer", "answered_by", "answered_at"]
    readonly_fields = ["author", "body", "created_at", "answered_by", "answered_at"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "answered_by")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.can_approve(request, obj.school_id):
            return self.readonly_fields
        return [*self.readonly_fields, "answer"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in services.CHECKLIST.items():
            self.fields[key] = forms.BooleanField(label=label, required=False)

    def confirmed(self) -> set[str]:
        return {key for key in services.CHECKLIST if self.cleaned_data.get(key)}


class SettlementForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was achieved, and what happens to any balance."),
    )


@admin.register(Campaign)
class CampaignAdmin(DonationsAdmin):
    form = CampaignForm
    list_display = ["title", "state", "target_amount", "collect_from", "collect_until", "comment_until", "school"]
    list_filter = ["state"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    inlines = [WishItemInline, CommentInline]
    plan_fields = [
        "school",
        "title",
        "purpose",
        "beneficiaries",
        "use_plan",
        "uses",
        "target_amount",
        "comment_days",
        "collect_from",
        "collect_until",
    ]
    record_fields = [
        "uses_shown",
        "state",
        "plan_warnings",
        "published_at",
        "comment_until",
        "opened_at",
        "closed_at",
        "settled_at",
    ]
    actions = ["publish", "open_campaigns", "close_campaigns", "prepare_settlement"]
    object_actions = ("publish", "open_campaigns", "close_campaigns", "prepare_settlement")

    def actions_for(self, obj):
        return {
            CampaignState.DRAFT: ("publish",),
            CampaignState.COMMENT: ("open_campaigns",),
            CampaignState.OPEN: ("close_campaigns",),
            CampaignState.CLOSED: () if hasattr(obj, "settlement") else ("prepare_settlement",),
        }.get(obj.state, ())

    @admin.display(description=_("what keeps the plan from being published"))
    def plan_warnings(self, obj):
        if obj is None or obj.pk is None or obj.state != CampaignState.DRAFT:
            return "–"
        problems = services.plan_problems(campaign=obj)
        if not problems:
            return gettext("Nothing: the plan can be published for comment.")
        return format_html(
            '<ul class="errorlist">{}</ul>', format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )

    @admin.display(description=_("uses in the plan"))
    def uses_shown(self, obj):
        labels = dict(Use.choices)
        return ", ".join(str(labels.get(use, use)) for use in (obj.uses or [])) or "–"

    def _draft(self, obj) -> bool:
        return obj is None or obj.state == CampaignState.DRAFT

    def get_fields(self, request, obj=None):
        if self._draft(obj):
            return self.plan_fields + self.record_fields[1:]
        return [name for name in self.plan_fields if name != "uses"] + self.record_fields

    def get_readonly_fields(self, request, obj=None):
        if not self._draft(obj):
            return self.plan_fields + self.record_fields  # a published plan is what families read: never rewritten
        return self.record_fields

    def has_delete_permission(self, request, obj=None):
        # Only a draft nobody has seen, and only the principal.
        if obj is not None and obj.state != CampaignState.DRAFT:
            return False
        return super().has_delete_permission(request, obj) and self.approves(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.approves(request):
            for name in ("publish", "open_campaigns", "close_campaigns", "prepare_settlement"):
                actions.pop(name, None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.state == CampaignState.DRAFT:
            for problem in services.plan_problems(campaign=obj):
                self.message_user(request, problem, messages.WARNING)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Comment:
            return super().save_formset(request, form, formset, change)
        # Answers go through the service (who answered, and when).
        for comment_form in formset.forms:
            if "answer" not in comment_form.changed_data:
                continue
            comment = comment_form.instance
            try:
                services.comment_answer(comment=comment, by=request.user, answer=comment_form.cleaned_data["answer"])
            except ValidationError as error:
                _report(self, request, comment, error)
        # What the admin's history says about the inline (nothing is added or deleted here).
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [(f.instance, ["answer"]) for f in formset.forms if "answer" in f.changed_data]
        return None

    def _approved(self, request, queryset):
        allowed = [c for c in queryset.select_related("school") if self.can_approve(request, c.school_id)]
        if len(allowed) != len(queryset):
            raise PermissionDenied
        return allowed

    def _step(self, request, queryset, step, *, log: str, message):
        count = 0
        for campaign in self._approved(request, queryset):
            try:
                step(campaign=campaign, by=request.user)
            except ValidationError as error:
                _report(self, request, campaign, error)
            else:
                self.log_change(request, campaign, log)
                count += 1
        _done(self, request, count, message)

    @admin.action(description=_("Publish the plan for comment (with the checklist)"))
    def publish(self, request, queryset):
        campaigns = self._approved(request, queryset)
        form = ChecklistForm(request.POST if apply_posted(request) else None)
        if not form.is_valid():
            return intermediate_page(
                self,
                request,
                queryset,
                form=form,
                title=gettext("Publish for comment"),
                intro=gettext("Confirm each point. The published plan carries this statement: %(statement)s")
                % {"statement": services.VOLUNTARY_STATEMENT},
                action="publish",
                button=gettext("Publish for comment"),
            )
        count = 0
        for campaign in campaigns:
            try:
                services.campaign_publish(campaign=campaign, by=request.user, confirmed=form.confirmed())
            except ValidationError as error:
                _report(self, request, campaign, error)
            else:
                self.log_change(request, campaign, gettext("Published for comment, with the checklist confirmed."))
                count += 1
        _done(
            self,
            request,
            count,
            lambda n: ngettext("%(n)d plan published for comment.", "%(n)d plans published for comment.", n) % {"n": n},
        )
        return None

    @admin.action(description=_("Open for contributions"))
    def open_campaigns(self, request, queryset):
        self._step(
            request,
            queryset,
            services.campaign_open,
            log=gettext("Opened for contributions."),
            message=lambda n: (
                ngettext("%(n)d campaign opened for contributions.", "%(n)d campaigns opened for contributions.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("Close (no more contributions)"))
    def close_campaigns(self, request, queryset):
        self._step(
            request,
            queryset,
            services.campaign_close,
            log=gettext("Closed."),
            message=lambda n: ngettext("%(n)d campaign closed.", "%(n)d campaigns closed.", n) % {"n": n},
        )

    @admin.action(description=_("Prepare the settlement report"))
    def prepare_settlement(self, request, queryset):
        campaigns = self._approved(request, queryset)
        form = SettlementForm(request.POST if apply_posted(request) else None)
        if not form.is_valid():
            return intermediate_page(
                self,
                request,
                queryset,
                form=form,
                title=gettext("Prepare the settlement report"),
                intro=gettext("The parents' board co-signs the report; then the campaign is settled."),
                action="prepare_settlement",
                button=gettext("Prepare the report"),
            )
        count = 0
        for campaign in campaigns:
            try:
                services.settlement_prepare(campaign=campaign, by=request.user, summary=form.cleaned_data["summary"])
            except ValidationError as error:
                _report(self, request, campaign, error)
            else:
                self.log_change(request, campaign, gettext("Settlement report prepared."))
                count += 1
        _done(
            self,
            request,
            count,
            lambda n: (
                ngettext(
                    "%(n)d settlement report prepared: the parents' board co-signs it.",
                    "%(n)d settlement reports prepared: the parents' board co-signs them.",
                    n,
                )
                % {"n": n}
            ),
        )
        return None


# --- Contributions: the principal's review


GIFT_FIELDS = ("amount", "wish", "items", "quantity", "estimated_value", "condition", "hours", "work_description")


class ContributionForm(forms.ModelForm):
    """Recording a contribution: a pledge, or (ticked) a gift received at once, through the services."""

    received_now = forms.BooleanField(
        label=_("Received now"),
        required=False,
        help_text=_("Tick when the gift is in hand (cash: a receipt number is given); leave it for a pledge."),
    )
    received_date = forms.DateField(label=_("received on"), required=False, widget=widgets.AdminDateWidget)
    bank_transfer = forms.CharField(
        label=_("bank's reference"), required=False, max_length=64, help_text=_("For a bank transfer.")
    )

    class Meta:
        model = Contribution
        fields = ["campaign", "donor", "kind", *GIFT_FIELDS, "note"]

    def _post_clean(self):
        # The services check the gift and create it (nothing is saved when they refuse it).
        if self.errors or self.instance.pk is not None:
            return
        data = self.cleaned_data
        gift = {name: data.get(name) for name in GIFT_FIELDS}
        gift = {
            name: ("" if value is None and name in ("items", "condition", "work_description") else value)
            for name, value in gift.items()
        }
        common = {
            "campaign": data["campaign"],
            "donor": data["donor"],
            "by": self.request_user,
            "kind": data["kind"],
            "note": data.get("note") or "",
            **gift,
        }
        try:
            if data.get("received_now"):
                self.instance = services.contribution_record(
                    received_on=data.get("received_date"), bank_reference=data.get("bank_transfer") or "", **common
                )
            else:
                self.instance = services.contribution_pledge(**common)
        except ValidationError as error:
            add_service_errors(self, error)


class EvidenceChoices:
    """Evidence is chosen among the files the school's managers uploaded (the invoice, the slip, the goods):
    never a teacher's or a family's photo of the children, which spending evidence would make public."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "media" and field is not None:
            from schools.models import StaffMembership

            uploaders = StaffMembership.objects.filter(
                school_id=OuterRef("school_id"),
                user_id=OuterRef("uploaded_by_id"),
                role__in=MANAGER_ROLES,
                is_active=True,
            )
            field.queryset = field.queryset.filter(Exists(uploaders)).order_by("-created_at")
        return field


class EvidenceInline(EvidenceChoices, DonationsInline):
    """A photo of the goods, the transfer's slip, the handover."""

    model = ContributionEvidence
    fields = ["media", "caption"]


class EventInline(ReadOnlyInline):
    """Who did what to the contribution, and when (the admin's own history is under "History")."""

    model = ContributionEvent
    fields = ["at", "action", "detail", "by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class CampaignFilter(admin.SimpleListFilter):
    """The school's campaigns, read from the campaigns (not from every contribution of the list)."""

    title = _("campaign")
    parameter_name = "campaign__id__exact"

    def lookups(self, request, model_admin):
        campaigns = Campaign.objects.order_by("-created_at", "-pk")
        ids = model_admin.school_ids(request)
        if ids is not None:
            campaigns = campaigns.filter(school_id__in=ids)
        return [(str(pk), title) for pk, title in campaigns.values_list("pk", "title")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(campaign_id=int(value))


class MonthFilter(admin.SimpleListFilter):
    """The month a gift was received in, or pledged in while it is not received.

    The months offered are those in which one of the school's campaigns took gifts (from its opening
    to its settlement, or today): read from the campaigns, so the list does not scan every contribution.
    """

    title = _("month")
    parameter_name = "month"
    LAST = 36

    def lookups(self, request, model_admin):
        campaigns = Campaign.objects.filter(opened_at__isnull=False)
        ids = model_admin.school_ids(request)
        if ids is not None:
            campaigns = campaigns.filter(school_id__in=ids)
        today = timezone.localdate()
        months = set()
        for opened_at, settled_at in campaigns.values_list("opened_at", "settled_at"):
            month = timezone.localdate(opened_at).replace(day=1)
            until = timezone.localdate(settled_at) if settled_at else today
            while month <= until and len(months) < 10 * self.LAST:
                months.add(month)
                month = (month + datetime.timedelta(days=32)).replace(day=1)
        return [(f"{m:%Y-%m}", f"{m:%m/%Y}") for m in sorted(months, reverse=True)[: self.LAST]]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year, month = (int(part) for part in value.split("-"))
            first = datetime.date(year, month, 1)
        except ValueError:
            return queryset.none()
        after = (first + datetime.timedelta(days=32)).replace(day=1)
        return queryset.filter(
            Q(received_on__gte=first, received_on__lt=after)
            | Q(received_on__isnull=True, pledged_at__date__gte=first, pledged_at__date__lt=after)
        )


EXPORT_COLUMNS = [
    ("receipt", _("receipt")),
    ("payment_reference", _("transfer reference")),
    ("campaign", _("campaign")),
    ("donor", _("donor")),
    ("shown_as", _("shown in public as")),
    ("kind", _("kind")),
    ("state", _("state")),
    ("amount", _("amount (đồng)")),
    ("items", _("items")),
    ("quantity", _("quantity")),
    ("estimated_value", _("estimated value (đồng)")),
    ("hours", _("hours")),
    ("work_description", _("work done")),
    ("pledged_at", _("pledged")),
    ("received_on", _("received on")),
    ("end_reason", _("reason")),
]
CONTACT_COLUMNS = [("email", _("e-mail")), ("phone", _("phone")), ("address", _("address"))]


def _cell(value):
    """A value for a spreadsheet: text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not value[1:].isdigit():
        return "'" + value
    return value


class StepActions:
    """Admin actions that run one service per selected row, report each refusal and log each change."""

    action_related = ()

    def _each(self, request, rows, step, *, log, message):
        count = 0
        for row in rows:
            try:
                step(row)
            except ValidationError as error:
                _report(self, request, row, error)
            else:
                self.log_change(request, row, log(row) if callable(log) else log)
                count += 1
        _done(self, request, count, message)

    def _with_reason(self, request, queryset, *, action, title, button, step, log, message, intro="", rows=None):
        """Ask for the reason on an intermediate page, then run `step(row, reason)` on each row."""
        form = ReasonForm(request.POST if apply_posted(request) else None)
        if not form.is_valid():
            return intermediate_page(
                self, request, queryset, form=form, title=title, intro=intro, action=action, button=button
            )
        reason = form.cleaned_data["reason"]
        if rows is None:
            rows = queryset.select_related(*self.action_related)
        self._each(request, rows, lambda row: step(row, reason), log=log % {"reason": reason}, message=message)
        return None


@admin.register(Contribution)
class ContributionAdmin(StepActions, DonationsAdmin):
    """The principal's review of contributions, and where the accountant records them.

    The list is meant for schools with many gifts (bench/: within 3x the admin index): its rows come
    with their donor and campaign in the same query, its filter choices are read from the campaigns
    rather than from every contribution, and only the filtered rows are counted; the query count does
    not grow with the rows (tests/donations/test_admin.py).
    """

    action_related = ("campaign", "donor")
    list_per_page = 50

    def action_checkbox(self, obj):
        # Django renders a form widget through the template engine for every row; this is the same
        # checkbox, written directly (the list's largest cost at 100 rows).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    form = ContributionForm
    list_display = ["__str__", "donor", "shown_as", "kind", "worth", "state", "receipt", "campaign", "pledged_at"]
    list_filter = [CampaignFilter, "kind", "state", MonthFilter]
    show_full_result_count = False  # one count of the filtered rows, not a second of all of them
    list_select_related = ["donor", "campaign"]
    autocomplete_fields = ["donor"]  # a school may have thousands of donors
    search_fields = ["donor__name", "donor__display_name", "payment_reference"]
    date_hierarchy = "pledged_at"
    inlines = [EvidenceInline, EventInline]
    actions = ["receive", "cancel", "reverse", "send_letter"]
    object_actions = ("receive", "cancel", "reverse", "send_letter")

    def actions_for(self, obj):
        return {
            ContributionState.PLEDGED: ("receive", "cancel"),
            ContributionState.RECEIVED: ("send_letter", "reverse"),
        }.get(obj.state, ())

    add_fields = [
        "campaign",
        "donor",
        "kind",
        "amount",
        "wish",
        "items",
        "quantity",
        "estimated_value",
        "condition",
        "hours",
        "work_description",
        "note",
        "received_now",
        "received_date",
        "bank_transfer",
    ]
    shown_fields = [
        "campaign",
        "donor",
        "shown_as",
        "kind",
        "state",
        "amount",
        "wish",
        "items",
        "quantity",
        "estimated_value",
        "condition",
        "hours",
        "work_description",
        "note",
        "payment_reference",
        "receipt",
        "bank_reference",
        "pledged_at",
        "received_on",
        "received_by",
        "ended_at",
        "ended_by",
        "end_reason",
        "thanked_at",
        "handover_record",
    ]

    @admin.display(description=_("shown in public as"))
    def shown_as(self, obj):
        return obj.donor.public_name

    @admin.display(description=_("handover record"))
    def handover_record(self, obj):
        """Goods get a handover record: its PDF once written, else a link to write it."""
        if obj.kind != ContributionKind.IN_KIND or obj.state == ContributionState.CANCELLED:
            return "–"
        handover = getattr(obj, "handover", None)
        if handover is not None:
            url = reverse("admin:donations_handover_pdf", args=[handover.pk])
            return format_html('<a href="{}">{}</a>', url, gettext("Download the handover record (PDF)"))
        url = reverse("admin:donations_handover_add") + f"?contribution={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Write the handover record"))

    @admin.display(description=_("amount or value (đồng)"))
    def worth(self, obj):
        if obj.kind == ContributionKind.WORK:
            return ngettext("%(hours)s hour", "%(hours)s hours", obj.hours_plural) % {"hours": obj.hours}
        value = obj.value
        return f"{value:,}".replace(",", ".") if value else "–"

    @admin.display(description=_("receipt"), ordering="receipt_number")
    def receipt(self, obj):
        return obj.receipt_label or "–"

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        # Recorded gifts change through the actions only: what the ledger and the receipts say stays so.
        return [] if obj is None else self.shown_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # a contribution is cancelled or reversed, with a reason, never deleted

    def save_model(self, request, obj, form, change):
        if not change:
            return  # recorded by the service while the form was checked
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.approves(request):
            actions.pop("reverse", None)
        return actions

    # The actions

    @admin.action(description=_("Receive (cash: gives the receipt number)"))
    def receive(self, request, queryset):
        self._each(
            request,
            queryset.select_related(*self.action_related),
            lambda c: services.contribution_receive(contribution=c, by=request.user),
            log=gettext("Received."),
            message=lambda n: ngettext("%(n)d contribution received.", "%(n)d contributions received.", n) % {"n": n},
        )

    @admin.action(description=_("Cancel a pledge (with a reason)"))
    def cancel(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            action="cancel",
            title=gettext("Cancel the pledges"),
            button=gettext("Cancel them"),
            step=lambda c, reason: services.contribution_cancel(contribution=c, by=request.user, reason=reason),
            log=gettext("Cancelled: %(reason)s"),
            message=lambda n: ngettext("%(n)d pledge cancelled.", "%(n)d pledges cancelled.", n) % {"n": n},
        )

    @admin.action(description=_("Reverse a received gift (a correction in the ledger, with a reason)"))
    def reverse(self, request, queryset):
        if not all(self.can_approve(request, c.school_id) for c in queryset):
            raise PermissionDenied
        return self._with_reason(
            request,
            queryset,
            action="reverse",
            title=gettext("Reverse the received gifts"),
            button=gettext("Reverse them"),
            step=lambda c, reason: services.contribution_reverse(contribution=c, by=request.user, reason=reason),
            log=gettext("Reversed: %(reason)s"),
            message=lambda n: ngettext("%(n)d contribution reversed.", "%(n)d contributions reversed.", n) % {"n": n},
        )

    @admin.action(description=_("Send a thank-you letter"))
    def send_letter(self, request, queryset):
        from donations.letters import letter_send_for_contribution

        self._each(
            request,
            queryset.select_related(*self.action_related),
            lambda c: letter_send_for_contribution(contribution=c, by=request.user),
            log=gettext("Thank-you letter sent."),
            message=lambda n: ngettext("%(n)d thank-you letter sent.", "%(n)d thank-you letters sent.", n) % {"n": n},
        )

    # The export of the list as it is filtered

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("export.csv", export, {"fmt": "csv"}, name="{}_{}_export_csv".format(*info)),
            path("export.xlsx", export, {"fmt": "xlsx"}, name="{}_{}_export_xlsx".format(*info)),
            *super().get_urls(),
        ]

    def export_rows(self, request):
        """The rows of the list with its filters, search and dates; contacts only for who may see them."""
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request).select_related("donor", "campaign")
        sees_contacts = {
            school_id: request.user.is_superuser or can_see_donor_contacts(request.user, school_id)
            for school_id in (self.school_ids(request) or set(queryset.values_list("school_id", flat=True)))
        }
        with_contacts = any(sees_contacts.values())
        columns = EXPORT_COLUMNS + (CONTACT_COLUMNS if with_contacts else [])
        yield [str(label) for _name, label in columns]
        for c in queryset.iterator(chunk_size=2000):
            row = {
                "receipt": c.receipt_label,
                "payment_reference": c.payment_reference,
                "campaign": c.campaign.title,
                "donor": c.donor.name,
                "shown_as": c.donor.public_name,
                "kind": c.get_kind_display(),
                "state": c.get_state_display(),
                "amount": c.amount,
                "items": c.items,
                "quantity": c.quantity,
                "estimated_value": c.estimated_value,
                "hours": c.hours,
                "work_description": c.work_description,
                "pledged_at": timezone.localtime(c.pledged_at).replace(tzinfo=None),
                "received_on": c.received_on,
                "end_reason": c.end_reason,
            }
            if with_contacts and sees_contacts.get(c.school_id):
                row.update(email=c.donor.email, phone=c.donor.phone, address=c.donor.address)
            yield [_cell(row.get(name)) for name, _label in columns]

    def export_view(self, request, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        stamp = timezone.localdate().isoformat()
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in self.export_rows(request):
                writer.writerow(["" if value is None else value for value in row])
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        else:
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(gettext("Contributions")[:31])
            for row in self.export_rows(request):
                sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
            buffer = io.BytesIO()
            workbook.save(buffer)
            response = HttpResponse(
                buffer.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="contributions-{stamp}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- Spending


class SpendingForm(forms.ModelForm):
    """The accountant's record of a spending, through the service: a refused use says why."""

    class Meta:
        model = Spending
        fields = ["campaign", "use", "description", "amount", "spent_on"]

    def _post_clean(self):
        if self.errors or self.instance.pk is not None:
            return
        data = self.cleaned_data
        try:
            self.instance = services.spending_record(
                campaign=data["campaign"],
                by=self.request_user,
                use=data["use"],
                description=data["description"],
                amount=data["amount"],
                spent_on=data["spent_on"],
            )
        except ValidationError as error:
            add_service_errors(self, error)


class SpendingEvidenceInline(EvidenceChoices, DonationsInline):
    """Invoices and photos: public unless the principal marks them as holding personal data."""

    model = SpendingEvidence
    fields = ["media", "caption", "personal"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.can_approve(request, obj.campaign.school_id):
            return []
        return ["personal"]


class ApproveForm(forms.Form):
    override = forms.BooleanField(
        label=_("Approve beyond the campaign's balance"),
        required=False,
        help_text=_("Only when the spending is more than the money left; say why below (it is recorded)."),
    )
    over_balance_reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("override") and not (data.get("over_balance_reason") or "").strip():
            self.add_error("over_balance_reason", _("Say why the spending goes beyond the balance."))
        return data


@admin.register(Spending)
class SpendingAdmin(StepActions, DonationsAdmin):
    form = SpendingForm
    school_path = "campaign__school"
    list_display = ["description", "campaign", "use", "amount", "spent_on", "state", "recorded_by", "decided_by"]
    list_filter = ["state", "use", "campaign"]
    list_select_related = ["campaign", "recorded_by", "decided_by"]
    search_fields = ["description"]
    date_hierarchy = "spent_on"
    inlines = [SpendingEvidenceInline]
    actions = ["approve", "reject", "reverse"]
    object_actions = ("approve", "reject", "reverse")

    def actions_for(self, obj):
        return {SpendingState.RECORDED: ("approve", "reject"), SpendingState.APPROVED: ("reverse",)}.get(obj.state, ())

    shown_fields = [
        "campaign",
        "use",
        "description",
        "amount",
        "spent_on",
        "state",
        "recorded_by",
        "recorded_at",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "over_balance_reason",
    ]

    def get_fields(self, request, obj=None):
        return ["campaign", "use", "description", "amount", "spent_on"] if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.shown_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # rejected, with a reason, never deleted

    def save_model(self, request, obj, form, change):
        if not change:
            return  # recorded by the service while the form was checked
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.approves(request):
            for name in ("approve", "reject", "reverse"):
                actions.pop(name, None)
        return actions

    def _approved(self, request, queryset):
        rows = list(queryset.select_related("campaign"))
        if not all(self.can_approve(request, s.campaign.school_id) for s in rows):
            raise PermissionDenied
        return rows

    @admin.action(description=_("Approve (it enters the ledger)"))
    def approve(self, request, queryset):
        rows = self._approved(request, queryset)
        form = ApproveForm(request.POST if apply_posted(request) else None)
        if not form.is_valid():
            return intermediate_page(
                self,
                request,
                queryset,
                form=form,
                title=gettext("Approve the spending"),
                intro=gettext("Approved spending enters the public ledger."),
                action="approve",
                button=gettext("Approve"),
            )
        reason = form.cleaned_data["over_balance_reason"].strip() if form.cleaned_data["override"] else ""
        log = (
            gettext("Approved beyond the balance: %(reason)s") % {"reason": reason} if reason else gettext("Approved.")
        )
        self._each(
            request,
            rows,
            lambda s: services.spending_approve(spending=s, by=request.user, over_balance_reason=reason),
            log=log,
            message=lambda n: ngettext("%(n)d spending approved.", "%(n)d spending records approved.", n) % {"n": n},
        )
        return None

    @admin.action(description=_("Reject (with a reason)"))
    def reject(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            rows=self._approved(request, queryset),
            action="reject",
            title=gettext("Reject the spending"),
            button=gettext("Reject"),
            step=lambda s, reason: services.spending_reject(spending=s, by=request.user, reason=reason),
            log=gettext("Rejected: %(reason)s"),
            message=lambda n: ngettext("%(n)d spending rejected.", "%(n)d spending records rejected.", n) % {"n": n},
        )

    @admin.action(description=_("Reverse approved spending (a correction in the ledger, with a reason)"))
    def reverse(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            rows=self._approved(request, queryset),
            action="reverse",
            title=gettext("Reverse the spending"),
            intro=gettext("A correcting entry is added to the public ledger; the spending's entry stays."),
            button=gettext("Reverse"),
            step=lambda s, reason: services.spending_reverse(spending=s, by=request.user, reason=reason),
            log=gettext("Reversed: %(reason)s"),
            message=lambda n: ngettext("%(n)d spending reversed.", "%(n)d spending records reversed.", n) % {"n": n},
        )


# --- The ledger and the settlement reports


@admin.register(LedgerEntry)
class LedgerEntryAdmin(DonationsReadOnlyAdmin):
    """The append-only ledger: read here, written by the services only (nobody edits it, superusers included)."""

    list_display = [
        "seq",
        "kind",
        "campaign",
        "amount",
        "value_in_kind",
        "donor_reference",
        "short_hash",
        "recorded_at",
    ]
    list_filter = ["kind", "campaign"]
    list_select_related = ["campaign"]
    date_hierarchy = "recorded_at"
    fields = [
        "school",
        "seq",
        "kind",
        "campaign",
        "contribution",
        "spending",
        "reverses",
        "amount",
        "value_in_kind",
        "donor_reference",
        "canonical",
        "prev_hash",
        "hash",
        "recorded_at",
        "recorded_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("hash"))
    def short_hash(self, obj):
        return obj.hash[:12]


@admin.register(Settlement)
class SettlementAdmin(DonationsAdmin):
    """Prepared from a campaign's actions; the summary can be corrected by the principal until the board co-signs."""

    school_path = "campaign__school"
    list_display = ["campaign", "prepared_by", "prepared_at", "cosigner_name", "cosigned_at"]
    list_select_related = ["campaign", "prepared_by"]
    fields = ["campaign", "summary", "figures", "prepared_by", "prepared_at", "cosigner_name", "cosigned_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["campaign", "figures", "prepared_by", "prepared_at", "cosigner_name", "cosigned_at"]
        if obj is None or obj.cosigned_at is not None:
            readonly.append("summary")
        return readonly

    def has_add_permission(self, request, obj=None):
        return False  # prepared from the campaign ("Prepare the settlement report")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.approves(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


# The bank statements, handovers and asset register; the honour rolls and letters.
from donations import admin_bank, admin_honour  # noqa: E402, F401
