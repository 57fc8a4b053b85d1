"""Forms of the school's report pages. Emptiness and lengths are the services' to judge, so that every
caller says the same."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.services import COMMENT_MAX, NOTE_MAX


class SubmissionForm(forms.Form):
    cover_note = forms.CharField(
        label=_("Cover note"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": NOTE_MAX}),
        help_text=_("What the authority should know about these figures (optional). Please do not name a child."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        help_text=_("Please do not name a child."),
    )
