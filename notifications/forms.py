from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from notifications.models import CHOOSABLE, Frequency, Preference, SmsChoice

TIME_ERRORS = {"invalid": _("Enter a time between 00:00 and 23:59, such as 06:30.")}


def _time_field(label, help_text=""):
    return forms.TimeField(
        label=label,
        help_text=help_text,
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class PreferenceForm(forms.Form):
    """Per category: e-mail on or off and when to get an SMS; then how often, when, and in which language."""

    frequency = forms.ChoiceField(
        label=_("How often to get e-mails"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    digest_time = _time_field(_("Time of the daily or weekly e-mail"))
    digest_weekday = forms.TypedChoiceField(
        label=_("Day of the weekly e-mail"), choices=list(WEEKDAYS.items()), coerce=int
    )
    quiet_start = _time_field(_("Quiet hours start"), _("No e-mail or SMS from this time…"))
    quiet_end = _time_field(_("Quiet hours end"), _("…until this time. What comes in between waits."))
    language = forms.ChoiceField(label=_("Language of notices and e-mails"), choices=settings.LANGUAGES)

    def __init__(
        self, *args, preference: Preference, language: str, zalo_categories: frozenset[str] = frozenset(), **kwargs
    ):
        # Zalo is offered only for the categories the school has an approved template for.
        self.zalo_categories = [category for category in CHOOSABLE if category in zalo_categories]
        initial = {
            "frequency": preference.frequency,
            "digest_time": preference.digest_time,
            "digest_weekday": preference.digest_weekday,
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
            "language": language,
        }
        for category in CHOOSABLE:
            choice = preference.choice_for(category)
            initial[f"email_{category}"] = choice["email"]
            initial[f"sms_{category}"] = choice["sms"]
            initial[f"zalo_{category}"] = choice["zalo"]
        super().__init__(*args, initial=initial, **kwargs)
        for category in CHOOSABLE:
            self.fields[f"email_{category}"] = forms.BooleanField(
                label=_("E-mail: %(category)s") % {"category": category.label}, required=False
            )
            self.fields[f"sms_{category}"] = forms.ChoiceField(
                label=_("SMS: %(category)s") % {"category": category.label}, choices=SmsChoice.choices
            )
            if category in self.zalo_categories:
                self.fields[f"zalo_{category}"] = forms.BooleanField(
                    label=_("Zalo: %(category)s") % {"category": category.label}, required=False
                )
        if preference.zalo_unreachable_phone:
            self.fields["zalo_try_again"] = forms.BooleanField(
                label=_("Try Zalo again (I have made a Zalo account, or unblocked the school's account)"),
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        unknown = sorted(
            {
                key.split("_", 1)[1]
                for key in self.data
                if key.startswith(("email_", "sms_", "zalo_"))
                and key != "zalo_try_again"
                and key.split("_", 1)[1] not in CHOOSABLE
            }
        )
        if unknown:
            raise forms.ValidationError(_("Unknown category: %(names)s.") % {"names": ", ".join(unknown)})
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if start is not None and start == end:
            self.add_error("quiet_end", _("Quiet hours must start and end at different times."))
        return cleaned

    def category_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField | None]]:
        """Per category: its label, the e-mail and SMS fields, and the Zalo field (None where Zalo cannot carry it)."""
        return [
            (
                category.label,
                self[f"email_{category}"],
                self[f"sms_{category}"],
                self[f"zalo_{category}"] if category in self.zalo_categories else None,
            )
            for category in CHOOSABLE
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "channels": {
                category.value: {
                    "email": data[f"email_{category}"],
                    "sms": data[f"sms_{category}"],
                    "zalo": bool(data.get(f"zalo_{category}")),
                }
                for category in CHOOSABLE
            },
            "zalo_try_again": bool(data.get("zalo_try_again")),
            "frequency": data["frequency"],
            "digest_time": data["digest_time"],
            "digest_weekday": data["digest_weekday"],
            "quiet_start": data["quiet_start"],
            "quiet_end": data["quiet_end"],
            "language": data["language"],
        }
