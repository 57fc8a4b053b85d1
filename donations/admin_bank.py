"""The admin of bank statements, handovers and the asset register.

- Bank statement imports: an "Import a bank statement" page (upload, then every bad row with its
  number, or what was matched, created and left unmatched); imports are records, never edited.
- Unmatched transfers: listed for the accountant, each assigned to a campaign (and a donor, or an
  anonymous one) from its own page or with an action on several.
- Handover records of goods, with their PDF.
- The asset register, with the donor's credit as the donor chose to be shown, and a CSV export of
  the filtered list.
"""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from donations import bank
from donations.admin_base import DonationsAdmin, DonationsReadOnlyAdmin, ReadOnlyInline
from donations.handover import handover_filename, handover_pdf
from donations.models import (
    Asset,
    BankImport,
    BankLine,
    Campaign,
    CampaignState,
    ContributionKind,
    Donor,
    Handover,
)
from schools.models import School


def _money(amount) -> str:
    if amount is None:
        return "—"
    return f"{amount:,}".replace(",", ".") + " đ"


def _schools_of(model_admin, request):
    ids = model_admin.school_ids(request)
    schools = School.objects.order_by("name")
    return schools if ids is None else schools.filter(pk__in=ids)


# --- Bank statement imports


class StatementForm(forms.Form):
    school = forms.ModelChoiceField(label=_("school"), queryset=School.objects.none())
    statement = forms.FileField(
        label=_("bank statement"),
        help_text=_(
            "The bank's export as CSV (UTF-8) or XLSX, with the columns “Ngày”, “Số tiền”, “Nội dung” and "
            "“Mã giao dịch” (or date, amount, message, reference). Nothing is saved if any row is wrong."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()


class BankLineInline(ReadOnlyInline):
    model = BankLine
    fields = ["row", "date", "shown_amount", "message", "bank_reference", "contribution"]
    readonly_fields = fields
    verbose_name_plural = _("unmatched transfers of this statement")

    @admin.display(description=_("amount"))
    def shown_amount(self, obj):
        return _money(obj.amount)


@admin.register(BankImport)
class BankImportAdmin(DonationsReadOnlyAdmin):
    """What each statement brought: a record of the import, never edited; new imports go through the import page."""

    list_display = ["file_name", "imported_at", "imported_by", "rows", "matched", "created", "unmatched", "outgoing"]
    list_filter = [("imported_at", admin.DateFieldListFilter)]
    date_hierarchy = "imported_at"
    fields = ["file_name", "imported_at", "imported_by", "rows", "matched", "created", "unmatched", "outgoing"]
    readonly_fields = fields
    inlines = [BankLineInline]
    change_list_template = "admin/donations/bank/bankimport_change_list.html"

    @admin.display(description=_("outgoing, skipped"))
    def outgoing(self, obj):
        return max(obj.rows - obj.matched - obj.created - obj.unmatched, 0)

    # Never added here (the import page makes them), changed or deleted: the transfers an import
    # received stay received, and its unmatched rows stay listed.

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="donations_bankimport_import"),
            *super().get_urls(),
        ]

    def can_import(self, request) -> bool:
        return self.has_view_permission(request)

    def import_view(self, request):
        if not self.can_import(request):
            raise PermissionDenied
        schools = _schools_of(self, request)
        if not schools:
            raise PermissionDenied
        form = StatementForm(request.POST or None, request.FILES or None, schools=schools)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                done = bank.bank_statement_import(
                    school=form.cleaned_data["school"], by=request.user, uploaded_file=form.cleaned_data["statement"]
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                self.log_addition(request, done, [{"added": {}}])
                self.message_user(
                    request,
                    gettext(
                        "The statement was imported. Pledges received: %(matched)s; "
                        "new gifts to campaigns: %(created)s; transfers to assign: %(unmatched)s; "
                        "outgoing rows skipped: %(outgoing)s."
                    )
                    % {
                        "matched": done.matched,
                        "created": done.created,
                        "unmatched": done.unmatched,
                        "outgoing": self.outgoing(done),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:donations_bankimport_change", args=[done.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import a bank statement"),
            "form": form,
            "problems": problems,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/donations/bank/import.html", context)


# --- Unmatched transfers


class AssignForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("campaign"), queryset=Campaign.objects.none(), help_text=_("Only campaigns open for contributions.")
    )
    donor = forms.ModelChoiceField(
        label=_("donor"),
        queryset=Donor.objects.none(),
        required=False,
        help_text=_("Leave empty when the sender is not known: the gift is recorded as anonymous."),
    )

    def __init__(self, *args, school_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(school_id__in=school_ids, state=CampaignState.OPEN)
        self.fields["donor"].queryset = Donor.objects.filter(school_id__in=school_ids)


class UnassignedFilter(admin.SimpleListFilter):
    title = _("assigned")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("no", _("Waiting to be assigned")), ("yes", _("Assigned"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(contribution__isnull=True)
        if self.value() == "yes":
            return queryset.filter(contribution__isnull=False)
        return queryset


@admin.register(BankLine)
class BankLineAdmin(DonationsReadOnlyAdmin):
    """Transfers whose message named no pledge or campaign: the accountant gives each to a campaign."""

    list_display = ["date", "shown_amount", "message", "bank_reference", "bank_import", "assignment"]
    list_filter = [UnassignedFilter, ("date", admin.DateFieldListFilter)]
    search_fields = ["message", "bank_reference"]
    date_hierarchy = "date"
    fields = ["bank_import", "row", "date", "shown_amount", "message", "bank_reference", "contribution", "assigned_at"]
    readonly_fields = fields
    actions = ["assign_selected"]
    change_form_template = "admin/donations/bank/bankline_change_form.html"

    @admin.display(description=_("amount"), ordering="amount")
    def shown_amount(self, obj):
        return _money(obj.amount)

    @admin.display(description=_("assigned to"))
    def assignment(self, obj):
        if obj.contribution_id is None:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:donations_bankline_assign", args=[obj.pk]),
                gettext("Assign to a campaign"),
            )
        return str(obj.contribution)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("bank_import", "contribution")

    # Statements bring them, and what the bank said is kept as it said it: assigning is its own page.

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_view_permission(request):
            actions.pop("assign_selected", None)
        return actions

    def get_urls(self):
        return [
            path(
                "<path:object_id>/assign/",
                self.admin_site.admin_view(self.assign_view),
                name="donations_bankline_assign",
            ),
            *super().get_urls(),
        ]

    def _assign(self, request, lines, form) -> tuple[int, list[str]]:
        done, problems = 0, []
        for line in lines:
            try:
                bank.bank_line_assign(
                    line=line, by=request.user, campaign=form.cleaned_data["campaign"], donor=form.cleaned_data["donor"]
                )
            except ValidationError as exc:
                problems += [f"{line.bank_reference}: {message}" for message in exc.messages]
            else:
                self.log_change(
                    request, line, gettext("Assigned to %(campaign)s.") % {"campaign": form.cleaned_data["campaign"]}
                )
                done += 1
        return done, problems

    def assign_view(self, request, object_id):
        line = self.get_object(request, unquote(object_id))
        if line is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_permission(request, line):
            raise PermissionDenied
        form = AssignForm(request.POST or None, school_ids=[line.school_id])
        problems = []
        if line.contribution_id is None and request.method == "POST" and form.is_valid():
            done, problems = self._assign(request, [line], form)
            if done:
                self.message_user(request, gettext("The transfer was recorded as a received gift."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:donations_bankline_changelist") + "?assigned=no")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Assign a transfer to a campaign"),
            "lines": [line],
            "form": form,
            "problems": problems,
            "already": line.contribution_id is not None,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/donations/bank/assign.html", context)

    @admin.action(description=_("Assign the selected transfers to a campaign"))
    def assign_selected(self, request, queryset):
        lines = list(queryset.filter(contribution__isnull=True))
        if not lines:
            self.message_user(request, gettext("The selected transfers are already assigned."), messages.WARNING)
            return None
        school_ids = {line.school_id for line in lines}
        if len(school_ids) > 1:
            self.message_user(request, gettext("Choose transfers of one school at a time."), messages.ERROR)
            return None
        form = AssignForm(request.POST if "apply" in request.POST else None, school_ids=school_ids)
        problems = []
        if "apply" in request.POST and form.is_valid():
            done, problems = self._assign(request, lines, form)
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s transfer was recorded as a received gift.",
                        "%(count)s transfers were recorded as received gifts.",
                        done,
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            if not problems:
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Assign transfers to a campaign"),
            "lines": lines,
            "form": form,
            "problems": problems,
            "action": "assign_selected",
            "selected": [line.pk for line in lines],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/donations/bank/assign.html", context)


# --- Handover records


class HandoverForm(forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["contribution", "handed_over_on", "giver_name", "receiver_name", "receiver_title", "notes"]

    def clean_contribution(self):
        contribution = self.cleaned_data["contribution"]
        if contribution is not None and contribution.kind != ContributionKind.IN_KIND:
            raise ValidationError(_("A handover record is for a gift of goods."))
        return contribution


@admin.register(Handover)
class HandoverAdmin(DonationsAdmin):
    """The record of goods handed over, signed by both sides; its PDF is printed from here."""

    school_path = "contribution__school"
    form = HandoverForm
    list_display = ["__str__", "handed_over_on", "giver_name", "receiver_name", "pdf_link"]
    list_filter = [("handed_over_on", admin.DateFieldListFilter)]
    search_fields = ["giver_name", "receiver_name", "contribution__items"]
    date_hierarchy = "handed_over_on"
    change_form_template = "admin/donations/bank/handover_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contribution__school", "contribution__campaign")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "contribution" and formfield is not None:
            # Chosen on the add form only (it is read-only afterwards): goods without a record yet.
            formfield.queryset = formfield.queryset.filter(kind=ContributionKind.IN_KIND, handover__isnull=True)
        return formfield

    def get_readonly_fields(self, request, obj=None):
        return ["contribution"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("handed_over_on", timezone.localdate())
        initial.setdefault("receiver_name", getattr(request.user, "full_name", "") or "")
        contribution_id = initial.get("contribution")
        if contribution_id:
            giver = Donor.objects.filter(contributions__pk=contribution_id).values_list("name", flat=True).first()
            if giver:
                initial.setdefault("giver_name", giver)
        return initial

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:donations_handover_pdf", args=[obj.pk]), gettext("Download")
        )

    def get_urls(self):
        return [
            path("<path:object_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name="donations_handover_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        handover = self.get_object(request, unquote(object_id))
        if handover is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_permission(request, handover):
            raise PermissionDenied
        response = HttpResponse(handover_pdf(handover=handover), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{handover_filename(handover)}"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- The asset register


class DonatedFilter(admin.SimpleListFilter):
    title = _("origin")
    parameter_name = "donated"

    def lookups(self, request, model_admin):
        return [("yes", _("Given by donors")), ("no", _("Bought by the school"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(contribution__isnull=False)
        if self.value() == "no":
            return queryset.filter(contribution__isnull=True)
        return queryset


def asset_credit(asset: Asset) -> str:
    """The credit as the donor chooses to be shown today: a donor who became anonymous is anonymous here too."""
    if asset.contribution_id is not None and asset.contribution.donor_id is not None:
        return asset.contribution.donor.public_name
    return asset.credit


@admin.register(Asset)
class AssetAdmin(DonationsAdmin):
    """The school's asset register; donated equipment carries its donor's credit."""

    list_display = ["name", "quantity", "shown_value", "acquired_on", "condition", "location", "given_by", "campaign"]
    list_filter = [
        DonatedFilter,
        ("acquired_on", admin.DateFieldListFilter),
        ("contribution__campaign", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "location", "credit"]
    date_hierarchy = "acquired_on"
    fields = ["school", "name", "quantity", "value", "acquired_on", "condition", "location", "contribution", "given_by"]
    readonly_fields = ["contribution", "given_by"]
    change_list_template = "admin/donations/bank/asset_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contribution__donor", "contribution__campaign")

    @admin.display(description=_("value"), ordering="value")
    def shown_value(self, obj):
        return _money(obj.value)

    @admin.display(description=_("given by"))
    def given_by(self, obj):
        return asset_credit(obj)

    @admin.display(description=_("campaign"))
    def campaign(self, obj):
        return obj.contribution.campaign.title if obj.contribution_id else ""

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="donations_asset_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The register as shown (the changelist's filters and search), as CSV for a spreadsheet."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            assets = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            assets = self.get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="so-tai-san.csv"'
        response.write("\ufeff")  # so spreadsheets read the Vietnamese letters as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                gettext("name"),
                gettext("quantity"),
                gettext("value (đồng)"),
                gettext("acquired on"),
                gettext("condition"),
                gettext("where it is"),
                gettext("given by"),
                gettext("campaign"),
                gettext("school"),
            ]
        )
        for asset in assets.select_related("school", "contribution__donor", "contribution__campaign"):
            writer.writerow(
                [
                    asset.name,
                    asset.quantity,
                    asset.value,
                    asset.acquired_on.isoformat(),
                    asset.condition,
                    asset.location,
                    asset_credit(asset),
                    self.campaign(asset),
                    asset.school.name,
                ]
            )
        return response
