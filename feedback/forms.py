from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import MESSAGE_MAX, Kind, Route, Topic


class FeedbackForm(forms.Form):
    # Lengths and emptiness are the service's to judge, so that the page and any other caller say the same.
    route = forms.ChoiceField(
        label=_("Send it to"), choices=Route.choices, initial=Route.SCHOOL, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label=_("It is a"), choices=Kind.choices, widget=forms.RadioSelect)
    topic = forms.ChoiceField(label=_("About"), choices=Topic.choices)
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_MAX}),
        help_text=_("Please do not name a child other than your own."),
    )
    anonymous = forms.BooleanField(
        label=_("Do not show my name to the school"),
        required=False,
        help_text=_("The portal still knows who sent it, to prevent abuse and to answer you privately."),
    )
    publish_agreed = forms.BooleanField(
        label=_("The school may publish my question and its answer on its public page (without my name)"),
        required=False,
    )
    share_with_authority = forms.BooleanField(
        label=_("If it stays unanswered, the commune authority may read my message"),
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX}),
    )


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), required=False)
    options = forms.CharField(
        label=_("Possible answers, one a line"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
