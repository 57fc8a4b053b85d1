"""Forms and small readers of what the menus pages post."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models.menus import AgeBand
from community.nutrition_menus import DEFAULT_TARGETS
from coordination.lib.allergens import Allergen


def day_parse(text: str | None, default: datetime.date) -> tuple[datetime.date, bool]:
    """A day typed dd/mm/yyyy (or yyyy-mm-dd), and whether it could be read (else the default)."""
    text = (text or "").strip()
    if not text:
        return default, True
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date(), True  # noqa: DTZ007 (a calendar day)
        except ValueError:
            continue
    return default, False


def band_parse(text: str | None) -> str:
    return text if text in AgeBand.values else AgeBand.MAU_GIAO


class CommaDecimalField(forms.DecimalField):
    """A decimal typed with a comma (12,5) or a point (12.5), whatever the page's language."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


class TargetsForm(forms.Form):
    """A band's targets (empty: the programme's default) and the daily meal fee."""

    daily_fee = forms.IntegerField(label=_("Daily meal fee (đồng)"), required=False, min_value=0, max_value=1_000_000)
    kcal_min = forms.IntegerField(label=_("Energy from (kcal)"), required=False, min_value=100, max_value=2000)
    kcal_max = forms.IntegerField(label=_("Energy to (kcal)"), required=False, min_value=100, max_value=2000)
    protein_min = forms.IntegerField(label=_("Protein from (%)"), required=False, min_value=0, max_value=100)
    protein_max = forms.IntegerField(label=_("Protein to (%)"), required=False, min_value=0, max_value=100)
    fat_min = forms.IntegerField(label=_("Fat from (%)"), required=False, min_value=0, max_value=100)
    fat_max = forms.IntegerField(label=_("Fat to (%)"), required=False, min_value=0, max_value=100)
    carbohydrate_min = forms.IntegerField(label=_("Carbohydrate from (%)"), required=False, min_value=0, max_value=100)
    carbohydrate_max = forms.IntegerField(label=_("Carbohydrate to (%)"), required=False, min_value=0, max_value=100)

    def __init__(self, *args, band: str, **kwargs):
        super().__init__(*args, **kwargs)
        default = DEFAULT_TARGETS[band]
        for name, field in self.fields.items():
            if name != "daily_fee":
                field.widget.attrs["placeholder"] = str(getattr(default, name))


ALLERGEN_CHOICES = Allergen.choices


class SchoolFoodForm(forms.Form):
    """A school's price and own values for a table food (empty: the table's value)."""

    price_per_kg = forms.IntegerField(label=_("Price per kg (đồng)"), required=False, min_value=0, max_value=10_000_000)
    inedible_pct = CommaDecimalField(label=_("Inedible share (%)"), required=False, min_value=0, max_value=99)
    kcal = CommaDecimalField(label=_("Energy (kcal per 100 g)"), required=False, min_value=0, max_value=900)
    protein_g = CommaDecimalField(label=_("Protein (g per 100 g)"), required=False, min_value=0, max_value=100)
    fat_g = CommaDecimalField(label=_("Fat (g per 100 g)"), required=False, min_value=0, max_value=100)
    carbohydrate_g = CommaDecimalField(
        label=_("Carbohydrate (g per 100 g)"), required=False, min_value=0, max_value=100
    )
    allergens = forms.MultipleChoiceField(
        label=_("Allergen groups"), required=False, choices=ALLERGEN_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    use_default_allergens = forms.BooleanField(label=_("Use the table's default groups"), required=False)


class OwnFoodForm(forms.Form):
    """One of the school's own foods."""

    code = forms.CharField(label=_("Code"), max_length=20)
    name_vi = forms.CharField(label=_("Name"), max_length=200)
    price_per_kg = SchoolFoodForm.base_fields["price_per_kg"]
    inedible_pct = SchoolFoodForm.base_fields["inedible_pct"]
    kcal = SchoolFoodForm.base_fields["kcal"]
    protein_g = SchoolFoodForm.base_fields["protein_g"]
    fat_g = SchoolFoodForm.base_fields["fat_g"]
    carbohydrate_g = SchoolFoodForm.base_fields["carbohydrate_g"]
    allergens = SchoolFoodForm.base_fields["allergens"]
