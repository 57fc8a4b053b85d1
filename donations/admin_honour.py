"""The admin of honour rolls and thank-you letters.

The school's managers (principal, vice-principal, accountant) draft rolls and write letters; only the
principal publishes a roll or takes it off the public page. A roll is added by choosing its month (any
day of it) or the first day of a school year: the portal drafts its lines from the contributions
received. The order, the text shown for a donor who chose to be named, and a photo of the gift (only
photos of goods given, and spending evidence that holds no personal data) are edited here. An
anonymous donor stays "Anonymous".

Letters are added for a received contribution or for a donor's gifts over a period, and sent from
the list; a teacher may put a child's drawing on a letter before it is sent (the drawings page).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from donations import honour, letters
from donations.admin_base import DonationsAdmin, DonationsInline
from donations.models import DonorDisplay, HonourLine, HonourRoll, Letter


class HonourLineForm(forms.ModelForm):
    class Meta:
        model = HonourLine
        fields = ["position", "shown_as", "photo"]

    def clean_shown_as(self):
        shown = self.cleaned_data["shown_as"]
        donor = self.instance.donor if self.instance.pk else None
        if (donor is None or donor.display == DonorDisplay.ANONYMOUS) and shown != self.instance.shown_as:
            raise ValidationError(_("This donor chose to stay anonymous: their line says “Anonymous”."))
        return shown


class HonourLineInline(DonationsInline):
    model = HonourLine
    form = HonourLineForm
    fields = ["position", "shown_as", "gift", "photo"]
    readonly_fields = ["gift"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # lines come from the contributions received: draft the roll again

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "photo" and field is not None:
            field.queryset = field.queryset & honour.allowed_photos(school_ids=self.school_ids(request))
        return field


class HonourRollForm(forms.ModelForm):
    class Meta:
        model = HonourRoll
        fields = ["school", "period", "starts_on", "title", "intro"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields and not self.instance.pk:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave it empty for the usual title.")
        if "starts_on" in self.fields:
            self.fields["starts_on"].help_text = _("A month: any day of it. A school year: the day it starts.")

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("school") and data.get("period") and data.get("starts_on"):
            first, last, title = honour._period_bounds(
                school=data["school"], period=data["period"], starts_on=data["starts_on"]
            )
            data["starts_on"] = first
            self.instance.ends_on = last
            if not data.get("title"):
                data["title"] = title
        return data


@admin.register(HonourRoll)
class HonourRollAdmin(DonationsAdmin):
    form = HonourRollForm
    inlines = [HonourLineInline]
    list_display = ["title", "period", "starts_on", "ends_on", "published_at", "school"]
    list_filter = ["period"]
    actions = ["publish", "draft_again", "unpublish"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.can_approve(request):  # publishing is the principal's decision
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["school", "period", "starts_on", "title", "intro"]
        return ["school", "period", "starts_on", "ends_on", "title", "intro", "published_at", "poster"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["school", "period", "starts_on", "ends_on", "published_at", "poster"]

    @admin.display(description=_("poster"))
    def poster(self, obj):
        url = reverse("donations:honour_poster", kwargs={"slug": obj.school.slug, "pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Print the poster (PDF)"))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        if not self._allowed(request, obj):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        roll = honour.honour_roll_draft(school=obj.school, period=obj.period, starts_on=obj.starts_on, by=request.user)
        obj.pk, obj.ends_on = roll.pk, roll.ends_on
        obj.save(update_fields=["title", "intro"])

    def _each(self, request, queryset, action, done):
        for roll in queryset:
            try:
                action(roll)
            except ValidationError as exc:
                self.message_user(request, f"{roll}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, done % {"roll": roll}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected honour rolls"))
    def publish(self, request, queryset):
        queryset = [roll for roll in queryset if self.can_approve(request, roll.school_id)]
        self._each(
            request,
            queryset,
            lambda roll: honour.honour_roll_publish(roll=roll, by=request.user),
            _("%(roll)s is published."),
        )

    @admin.action(description=_("Draft the selected honour rolls again from the contributions received"))
    def draft_again(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda roll: honour.honour_roll_draft(
                school=roll.school, period=roll.period, starts_on=roll.starts_on, by=request.user
            ),
            _("%(roll)s is drafted again."),
        )

    @admin.action(description=_("Take the selected honour rolls off the public page"))
    def unpublish(self, request, queryset):
        queryset = [roll for roll in queryset if self.can_approve(request, roll.school_id)]
        self._each(
            request,
            queryset,
            lambda roll: honour.honour_roll_unpublish(roll=roll, by=request.user),
            _("%(roll)s is no longer public."),
        )


class LetterForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = ["donor", "contribution", "period_from", "period_until"]
        widgets = {
            "period_from": forms.DateInput(attrs={"type": "date"}),
            "period_until": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        donor = data.get("donor")
        if donor is not None and self.instance.pk is None:
            letters.letter_check(
                donor=donor,
                contribution=data.get("contribution"),
                period_from=data.get("period_from"),
                period_until=data.get("period_until"),
            )
            self.instance.school_id = donor.school_id
            self.instance.language = donor.language or "vi"
        return data


@admin.register(Letter)
class LetterAdmin(DonationsAdmin):
    form = LetterForm
    list_display = ["__str__", "contribution", "period_from", "period_until", "language", "with_drawing", "sent_at"]
    list_filter = ["language", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["donor", "contribution"]
    actions = ["send"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["donor", "contribution", "period_from", "period_until"]
        return ["donor", "contribution", "period_from", "period_until", "language", "with_drawing", "sent_at", "pdf"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

    @admin.display(description=_("drawing"), boolean=True)
    def with_drawing(self, obj):
        return obj.drawing_id is not None

    @admin.display(description=_("letter"))
    def pdf(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("donations:letter_pdf", kwargs={"pk": obj.pk}), _("Open the letter (PDF)")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.school_id = obj.donor.school_id
            obj.language = obj.donor.language or "vi"
            if obj.contribution_id:
                obj.period_from = obj.period_until = None
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Send the selected thank-you letters"))
    def send(self, request, queryset):
        for letter in queryset:
            try:
                letters.letter_send(letter=letter, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{letter}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(letter)s is sent.") % {"letter": letter}, messages.SUCCESS)
