from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.adapter import LocalPhoneField
from schools.models import Classroom, PickupPerson, StaffRole


class StaffMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    # Staff choose their password through a link sent by e-mail, so it is required.
    email = forms.EmailField(label=_("E-mail address"))
    phone = LocalPhoneField(required=False)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    classrooms = forms.ModelMultipleChoiceField(
        label=_("Classes taught"),
        queryset=Classroom.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["classrooms"].queryset = Classroom.objects.filter(
            school=school, school_year__is_current=True
        ).order_by("name")

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").lower() or None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == StaffRole.TEACHER and not cleaned.get("classrooms"):
            self.add_error("classrooms", _("Choose the classes this teacher teaches."))
        User = get_user_model()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        if email and phone:
            by_email = User.objects.filter(email=email).first()
            by_phone = User.objects.filter(phone=phone).first()
            if by_email and by_phone and by_email != by_phone:
                raise forms.ValidationError(
                    _("This e-mail address and this phone number belong to two different accounts.")
                )
        return cleaned


class PickupPersonForm(forms.ModelForm):
    phone = LocalPhoneField()

    class Meta:
        model = PickupPerson
        fields = ["full_name", "relationship", "phone", "id_number", "can_pick_up", "is_emergency_contact"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("can_pick_up") and not cleaned.get("is_emergency_contact"):
            raise forms.ValidationError(_("Choose at least one: may pick the child up, or emergency contact."))
        return cleaned
