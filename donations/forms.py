"""The forms families use: a pledge, how they are shown, a comment on a plan.

There is never a suggested, minimum or preset amount: the amount field is empty until the
family types what they chose.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from donations.models import MAX_AMOUNT, ContributionKind, DonorDisplay

_WHOLE = re.compile(r"\d+")
# 1.500.000, 1,500,000 and 1 500 000 are how people write amounts of đồng.
_GROUPED = re.compile(r"\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*")
_SIGNED = re.compile(r"[-−]\s*\d.*")


def parse_dong(text: str, *, allow_zero: bool = False) -> int:
    """A whole, positive number of đồng at most MAX_AMOUNT, with a clear message for anything else."""
    text = (text or "").strip().replace("đ", "").replace("₫", "").replace("VND", "").strip()
    if _SIGNED.fullmatch(text):
        raise ValidationError(_("An amount cannot be negative."), code="negative")
    if _WHOLE.fullmatch(text):
        amount = int(text)
    elif _GROUPED.fullmatch(text):
        amount = int(re.sub(r"\D", "", text))
    elif re.fullmatch(r"\d+[.,]\d+", text):
        raise ValidationError(_("Write a whole number of đồng, without decimals."), code="fractional")
    else:
        raise ValidationError(_("Write the amount in digits, for example 200000."), code="invalid")
    if amount == 0 and not allow_zero:
        raise ValidationError(_("An amount must be more than zero."), code="zero")
    if amount > MAX_AMOUNT:
        raise ValidationError(_("An amount over 10 billion đồng is surely a typing mistake."), code="too_large")
    return amount


class DongField(forms.CharField):
    """An amount of đồng typed freely: no preset, no minimum, no suggestion."""

    def __init__(self, *args, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return parse_dong(value, allow_zero=self.allow_zero)


class DisplayForm(forms.Form):
    """How the donor is shown in public, and the language of their letters."""

    display = forms.ChoiceField(
        label=_("Shown in public as"),
        choices=DonorDisplay.choices,
        initial=DonorDisplay.ANONYMOUS,
        widget=forms.RadioSelect,
        help_text=_("Anonymous unless you choose otherwise."),
    )
    display_name = forms.CharField(label=_("The name to show"), max_length=100, required=False)
    language = forms.ChoiceField(
        label=_("Language of thank-you letters"), choices=[("vi", "Tiếng Việt"), ("en", "English")], initial="vi"
    )

    def clean(self):
        data = super().clean()
        if data.get("display") == DonorDisplay.CHOSEN and not (data.get("display_name") or "").strip():
            self.add_error("display_name", _("Write the name to show, or choose “Anonymous”."))
        return data


class PledgeForm(DisplayForm):
    kind = forms.ChoiceField(
        label=_("What you would like to give"), choices=ContributionKind.choices, widget=forms.RadioSelect
    )
    amount = DongField(label=_("Amount (đồng)"), required=False, help_text=_("Any amount you choose."))
    wish = forms.TypedChoiceField(label=_("An item from the wish list"), required=False, coerce=int, empty_value=None)
    items = forms.CharField(label=_("Or describe the items"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1, max_value=100000)
    estimated_value = DongField(label=_("Estimated value (đồng), if you know it"), required=False)
    condition = forms.CharField(label=_("Condition"), max_length=100, required=False, help_text=_("New, used, …"))
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=Decimal("0.1"), max_value=Decimal(10000), decimal_places=1
    )
    work_description = forms.CharField(label=_("The work you offer"), max_length=300, required=False)
    note = forms.CharField(label=_("A note for the school"), max_length=300, required=False)

    field_order = ["kind", "amount", "wish", "items", "quantity", "estimated_value", "condition", "hours"]

    def __init__(self, *args, wishes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.wishes = {wish.pk: wish for wish in wishes}
        self.fields["wish"].choices = [("", _("— none, I describe them —"))] + [(wish.pk, str(wish)) for wish in wishes]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ContributionKind.CASH and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Write the amount you chose."))
        if kind == ContributionKind.IN_KIND:
            if not data.get("wish") and not (data.get("items") or "").strip():
                self.add_error("items", _("Choose an item from the wish list or describe what you give."))
            if not data.get("quantity") and "quantity" not in self.errors:
                self.add_error("quantity", _("Write how many."))
        if kind == ContributionKind.WORK:
            if not data.get("hours") and "hours" not in self.errors:
                self.add_error("hours", _("Write how many hours."))
            if not (data.get("work_description") or "").strip():
                self.add_error("work_description", _("Say what work you offer."))
        return data

    def pledge_arguments(self) -> dict:
        """The keyword arguments of services.contribution_pledge for what the family chose."""
        data = self.cleaned_data
        kind = data["kind"]
        arguments = {"kind": kind, "note": data.get("note", "")}
        if kind == ContributionKind.CASH:
            arguments["amount"] = data["amount"]
        elif kind == ContributionKind.IN_KIND:
            wish = self.wishes.get(data.get("wish"))
            arguments.update(
                wish=wish,
                items=(data.get("items") or "").strip() or (wish.name if wish else ""),
                quantity=data["quantity"],
                estimated_value=data.get("estimated_value"),
                condition=data.get("condition", ""),
            )
        else:
            arguments.update(hours=data["hours"], work_description=data["work_description"].strip())
        return arguments


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)
