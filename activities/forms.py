from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Sticker
from activities.services import FEEDBACK_MAX, NOTE_MAX
from mediafiles.forms import MediaTextsForm
from schools.models import AgeGroup, Classroom, Domain

WRONG_CLASS = _("You cannot post to this class. Choose among the classes listed.")


class ActivityForm(forms.Form):
    """What a teacher or leader writes; the classes offered depend on the person (see the policy).

    The video and photos arrive as the ids that the upload widgets put in their hidden inputs;
    the service checks them.
    """

    title = forms.CharField(
        label=pgettext_lazy("heading of a post", "Title"),
        max_length=200,
        error_messages={"required": _("Give the activity a title.")},
    )
    domain = forms.ChoiceField(
        label=_("Developmental domain"),
        choices=[("", "—"), *Domain.choices],
        error_messages={"required": _("Choose the developmental domain.")},
    )
    age_group = forms.ChoiceField(
        label=_("Age group"),
        choices=[("", "—"), *AgeGroup.choices],
        error_messages={"required": _("Choose the age group.")},
    )
    classrooms = forms.ModelMultipleChoiceField(
        label=_("Classes"),
        queryset=Classroom.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one class."),
            "invalid_choice": WRONG_CLASS,
            "invalid_pk_value": WRONG_CLASS,
        },
    )
    materials = forms.CharField(
        label=_("Materials found at home"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: two plastic bottles, a ball, old newspapers."),
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what the family does with the child.")},
    )
    answer_by = forms.DateField(
        label=_("Answer by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Optional: the day by which families send their photo or clip."),
    )
    # Filled by the upload widgets (templates/mediafiles/upload_widget.html) and the voice recorder
    # (templates/mediafiles/recorder.html).
    video = forms.CharField(required=False, widget=forms.HiddenInput)
    voice = forms.CharField(required=False, widget=forms.HiddenInput)
    photo_1 = forms.CharField(required=False, widget=forms.HiddenInput)
    photo_2 = forms.CharField(required=False, widget=forms.HiddenInput)
    photo_3 = forms.CharField(required=False, widget=forms.HiddenInput)

    PHOTO_FIELDS = ("photo_1", "photo_2", "photo_3")

    def __init__(self, *args, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classrooms"].queryset = classrooms

    def photos(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in self.PHOTO_FIELDS]


# An activity's video captions and voice transcript: the form every teacher-uploaded file uses.
CaptionsForm = MediaTextsForm


class AnswerForm(forms.Form):
    # One of three: a photo, a short clip, or a voice recording (recorded in the browser or picked).
    photo = forms.CharField(required=False, widget=forms.HiddenInput)
    clip = forms.CharField(required=False, widget=forms.HiddenInput)
    voice = forms.CharField(required=False, widget=forms.HiddenInput)
    MEDIA_FIELDS = ("photo", "clip", "voice")
    note = forms.CharField(
        label=_("A note for the teacher"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what your child said or enjoyed."),
    )

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in self.MEDIA_FIELDS if cleaned.get(name)]
        if len(chosen) > 1:
            if set(chosen) == {"photo", "clip"}:
                raise forms.ValidationError(_("Send either a photo or a clip, not both."))
            raise forms.ValidationError(_("Send one thing: a photo, a clip or a voice recording."))
        return cleaned

    def chosen_media(self) -> str:
        return next((self.cleaned_data[name] for name in self.MEDIA_FIELDS if self.cleaned_data.get(name)), "")


class FeedbackForm(forms.Form):
    sticker = forms.ChoiceField(
        label=_("Sticker"), required=False, choices=[("", _("No sticker")), *Sticker.choices], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=FEEDBACK_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
