"""The form a teacher gives a video its captions and a recording its transcript with, wherever the file is
used (an activity's video and voice instructions, the voice note of a child's work); the checks are
mediafiles.captions'."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mediafiles.captions import CAPTIONS_MAX_BYTES, captions_check, captions_text_from, transcript_check


class MediaTextsForm(forms.Form):
    """A video's captions (a WebVTT file chosen or pasted) in the language they are written in, and a voice
    recording's transcript, each only when there is such a file (`video`, `voice`: a MediaFile or None)."""

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
    captions_language = forms.ChoiceField(
        label=_("Language of the captions"),
        choices=settings.LANGUAGES,
        required=False,  # not sent (an older page): the declared language stays
        help_text=_("The language the captions are written in: the player offers them under its name."),
        error_messages={"invalid_choice": _("Choose the language of the captions among those listed.")},
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
            del self.fields["captions_file"], self.fields["captions_text"], self.fields["captions_language"]
        else:
            self.fields["captions_language"].initial = video.captions_lang
            if not self.is_bound:
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

    def clean_transcript(self):
        return transcript_check(self.cleaned_data.get("transcript") or "")

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
