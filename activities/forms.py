from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Sticker
from activities.services import FEEDBACK_MAX, NOTE_MAX
from mediafiles.captions import CAPTIONS_MAX_BYTES, captions_check, captions_text_from
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


class CaptionsForm(forms.Form):
    """A video's captions (a WebVTT file chosen or pasted) and a voice recording's transcript, each only
    when the activity has that file; the checks are mediafiles.captions'."""

    captions_file = forms.FileField(
        label=_("A captions file (WebVTT, .vtt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    captions_text = forms.CharField(
        label=_("Or paste the captions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Starts with the line “WEBVTT”, then each caption under its time line, for example "
            "“00:01.000 --> 00:04.000”. Leave empty to remove the captions."
        ),
    )
    transcript = forms.CharField(
        label=_("What you say in the recording"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Families who cannot listen read it under the player. Leave empty to remove it."),
    )

    def __init__(self, *args, video, voice, **kwargs):
        super().__init__(*args, **kwargs)
        if video is None:
            del self.fields["captions_file"], self.fields["captions_text"]
        elif not self.is_bound:
            self.fields["captions_text"].initial = video.captions
        if voice is None:
            del self.fields["transcript"]
        elif not self.is_bound:
            self.fields["transcript"].initial = voice.transcript

    def clean_captions_file(self):
        upload = self.cleaned_data.get("captions_file")
        if not upload:
            return ""
        return captions_text_from(upload.read(CAPTIONS_MAX_BYTES + 1))

    def captions(self) -> str:
        """The captions to keep: a chosen file wins over the pasted text."""
        return self.cleaned_data.get("captions_file") or self.cleaned_data.get("captions_text") or ""

    def clean(self):
        cleaned = super().clean()
        if "captions_text" in self.fields and not self.errors.get("captions_file"):
            text = self.captions()
            if text.strip():
                try:
                    cleaned["captions_checked"] = captions_check(text)
                except forms.ValidationError as error:
                    field = "captions_file" if cleaned.get("captions_file") else "captions_text"
                    self.add_error(field, error)
        return cleaned


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
