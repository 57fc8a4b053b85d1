from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from announcements.models import Announcement, PickupNotice
from schools.models import Classroom, PickupPerson


class AnnouncementForm(forms.Form):
    """What a leader or teacher posts; who it may go to depends on the person (see the policy)."""

    title = forms.CharField(
        label=pgettext_lazy("heading of a post", "Title"),
        max_length=200,
        error_messages={"required": _("Give the announcement a title.")},
    )
    kind = forms.ChoiceField(label=_("About"), choices=Announcement.Kind.choices, initial=Announcement.Kind.GENERAL)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Write the text of the announcement.")},
    )
    audience = forms.ChoiceField(
        label=_("For"),
        choices=Announcement.Audience.choices,
        initial=Announcement.Audience.CLASSES,
        widget=forms.RadioSelect,
    )
    classrooms = forms.ModelMultipleChoiceField(
        label=_("Classes"),
        queryset=Classroom.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("You cannot post to this class. Choose among the classes listed."),
            "invalid_pk_value": _("You cannot post to this class. Choose among the classes listed."),
        },
    )
    requires_acknowledgement = forms.BooleanField(
        label=_("Ask each family to confirm “I have read and understood”"), required=False
    )
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_("Sent at once instead of in the daily e-mail, and by SMS to families who want urgent messages."),
    )

    def __init__(self, *args, classrooms, whole_school: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classrooms"].queryset = classrooms
        if not whole_school:
            # A teacher posts to their own classes only (the service says so if asked otherwise).
            self.fields["audience"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        no_class = cleaned.get("audience") == Announcement.Audience.CLASSES and not cleaned.get("classrooms")
        if no_class and "classrooms" not in self.errors:
            self.add_error("classrooms", _("Choose at least one class."))
        return cleaned

    def chosen_classrooms(self) -> list[Classroom]:
        if self.cleaned_data["audience"] == Announcement.Audience.SCHOOL:
            return []
        return list(self.cleaned_data["classrooms"])


class PickupPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.relationship}) · {obj.phone}"


class PickupNoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=PickupNotice.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the notice is about.")},
    )
    date = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a date such as 25/12/2026.")},
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
        help_text=_("For a late or early pick-up: when you will come."),
        error_messages={"invalid": _("Enter a time such as 17:30.")},
    )
    pickup_person = PickupPersonChoiceField(
        label=_("Who picks up"),
        queryset=PickupPerson.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Only the people you approved for this child can be chosen."),
        error_messages={
            "invalid_choice": _(
                "This person is not approved to pick up this child. Add them to the child's pick-up persons first."
            )
        },
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the child is absent."),
    )

    def __init__(self, *args, pickup_persons, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup_person"].queryset = pickup_persons
        self.fields["date"].initial = today
