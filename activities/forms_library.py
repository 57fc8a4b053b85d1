"""Forms of the authorities' library and of commendations; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Commendation
from activities.services_library import COMMENDATION_MAX, REASON_MAX
from schools.models import AgeGroup, Authority, Classroom, Domain, School


class OfferForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Authority.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the library of your school's commune or province."),
            "invalid_choice": _("Choose the library of your school's commune or province."),
        },
    )
    no_child_confirmed = forms.BooleanField(
        label=_("I confirm that the video, the photos and the voice of this activity show no child."),
        required=True,
        error_messages={
            "required": _(
                "Confirm that the video, the photos and the voice show no child: "
                "only such activities can go to the library."
            )
        },
        help_text=_(
            "Only the activity goes to the library: no answer and nothing about the children leaves the school."
        ),
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["authority"].label_from_instance = lambda a: a.name


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve for the library")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or refuse the activity.")},
    )
    no_child_checked = forms.BooleanField(
        label=_("I checked the video, the photos and the voice: they show no child."), required=False
    )
    domain = forms.ChoiceField(label=_("Developmental domain"), choices=Domain.choices, required=False)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices, required=False)
    featured = forms.BooleanField(label=_("Feature it at the top of the library"), required=False)
    reason = forms.CharField(
        label=_("Why it is refused"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The school reads this. Needed when you refuse."),
    )


class AdoptForm(forms.Form):
    classroom = forms.ModelChoiceField(
        label=_("Into the class"),
        queryset=Classroom.objects.none(),
        error_messages={
            "required": _("Choose the class to copy the activity into."),
            "invalid_choice": _("Choose one of the classes listed."),
        },
    )

    def __init__(self, *args, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = Classroom.objects.filter(pk__in=[c.pk for c in classrooms]).select_related(
            "school__authority"
        )
        self.fields["classroom"].label_from_instance = lambda c: f"{c.name} · {c.school.name}"


class CommendationForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        error_messages={
            "required": _("Choose the school."),
            "invalid_choice": _("Choose one of the schools listed."),
        },
    )
    family_name = forms.CharField(
        label=_("Family or guardian"),
        required=False,
        max_length=150,
        help_text=Commendation._meta.get_field("family_name").help_text,
    )
    text = forms.CharField(
        label=_("What for"),
        max_length=COMMENDATION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the school or the family is commended for.")},
    )
    awarded_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Give the date of the commendation."), "invalid": _("Enter a valid date.")},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
