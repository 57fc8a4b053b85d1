"""The feedback box's admin pages (school-scoped).

Leaders set the school's escalation delay, read the items sent to the school (never the sender of an
anonymous one, never a concern sent straight to the authority) and correct polls. Answering,
assigning and publishing happen on the portal's pages, where the rules are checked.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import FeedbackItem, FeedbackSettings, Poll, PollOption, Route
from schools.admin_base import ReadOnlyScopedAdmin, SchoolScopedAdmin, SchoolScopedInline


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "escalation_working_days"]
    fields = ["school", "escalation_working_days"]


@admin.register(FeedbackItem)
class FeedbackItemAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "kind", "topic", "school", "created_at", "answered_at", "response_working_days"]
    list_display += ["escalated_at", "published_at", "sender_shown"]
    list_filter = ["kind", "topic", "escalated_at"]
    date_hierarchy = "created_at"
    # No sender, no search on them: the name is shown by sender_shown, which respects anonymity.
    fields = ["school", "kind", "topic", "sender_shown", "message", "answer", "created_at", "answered_at"]
    fields += ["response_working_days", "escalated_at", "published_at", "publish_agreed", "share_with_authority"]
    readonly_fields = fields
    list_select_related = ["school", "sender"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # A concern sent to the authority is never the school's, in the admin either.
        return queryset.filter(route=Route.SCHOOL)

    @admin.display(description=_("from"))
    def sender_shown(self, obj):
        if obj.anonymous or obj.sender_id is None:
            return _("Anonymous")
        return obj.sender.full_name


class PollAdminForm(forms.ModelForm):
    class Meta:
        model = Poll
        fields = ["school", "question", "closes_at"]

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        asked = self.instance.created_at if self.instance.pk else timezone.now()
        if closes_at and closes_at <= asked:
            raise forms.ValidationError(_("The poll must close after it is asked."))
        return closes_at


class PollOptionInline(SchoolScopedInline):
    model = PollOption
    fields = ["label", "position"]


@admin.register(Poll)
class PollAdmin(SchoolScopedAdmin):
    form = PollAdminForm
    list_display = ["question", "school", "created_at", "closes_at"]
    search_fields = ["question"]
    fields = PollAdminForm.Meta.fields
    inlines = [PollOptionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for option in formset.save(commit=False):
            option.school_id = form.instance.school_id
            option.save()
        for option in formset.deleted_objects:
            option.delete()
        formset.save_m2m()
