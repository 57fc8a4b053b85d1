"""A day's nutrition and cost from its ingredients: plain arithmetic, no database.

Grams are per child as bought; the edible part is grams × (1 − inedible %) and the table's values are
per 100 g of it. Protein, fat and carbohydrate are shown as shares of the energy they give (4, 9 and
4 kcal per g), so the three add up to 100 %. A food without a value makes that total incomplete and
is named: never a silent zero. Cost is grams as bought × the school's price per kg.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
KCAL_PER_G = {"protein_g": 4, "fat_g": 9, "carbohydrate_g": 4}


@dataclass(frozen=True)
class FoodValues:
    """A food as one school uses it: the table's values with the school's own filled in over them."""

    food_id: int
    name: str
    inedible_pct: Decimal | None
    kcal: Decimal | None
    protein_g: Decimal | None
    fat_g: Decimal | None
    carbohydrate_g: Decimal | None
    price_per_kg: int | None = None
    allergens: frozenset[str] = frozenset()


def food_values(food, school_food=None) -> FoodValues:
    """Merge a food with the school's own values (a school's value wins; its allergens replace the defaults)."""

    def pick(name):
        own = getattr(school_food, name, None) if school_food is not None else None
        return own if own is not None else getattr(food, name)

    allergens = food.allergens
    if school_food is not None and school_food.allergens is not None:
        allergens = school_food.allergens
    return FoodValues(
        food_id=food.pk,
        name=food.name_vi,
        inedible_pct=pick("inedible_pct"),
        kcal=pick("kcal"),
        protein_g=pick("protein_g"),
        fat_g=pick("fat_g"),
        carbohydrate_g=pick("carbohydrate_g"),
        price_per_kg=school_food.price_per_kg if school_food is not None else None,
        allergens=frozenset(allergens or ()),
    )


def edible_grams(grams: Decimal, inedible_pct: Decimal | None) -> Decimal:
    """The edible part of grams as bought (an unknown inedible share counts as none thrown away)."""
    return Decimal(grams) * (HUNDRED - (inedible_pct or 0)) / HUNDRED


@dataclass
class Totals:
    kcal: Decimal = Decimal(0)
    protein_g: Decimal = Decimal(0)
    fat_g: Decimal = Decimal(0)
    carbohydrate_g: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    # food name -> the names of the values it lacks (kcal, protein_g…); foods without a price
    missing: dict[str, list[str]] = field(default_factory=dict)
    unpriced: list[str] = field(default_factory=list)

    def add(self, food: FoodValues, grams: Decimal) -> None:
        edible = edible_grams(grams, food.inedible_pct)
        for name in ("kcal", "protein_g", "fat_g", "carbohydrate_g"):
            value = getattr(food, name)
            if value is None:
                lacks = self.missing.setdefault(food.name, [])
                if name not in lacks:
                    lacks.append(name)
                continue
            setattr(self, name, getattr(self, name) + edible * Decimal(value) / HUNDRED)
        if food.price_per_kg is None:
            if food.name not in self.unpriced:
                self.unpriced.append(food.name)
        else:
            self.cost += Decimal(grams) * food.price_per_kg / 1000

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing_labels(self) -> list[tuple[str, str]]:
        """Each food with the values it lacks, in words: ("Rau muống", "energy, fat")."""
        names = {"kcal": _("energy"), "protein_g": _("protein"), "fat_g": _("fat"), "carbohydrate_g": _("carbohydrate")}
        return [(food, ", ".join(str(names[n]) for n in lacks)) for food, lacks in self.missing.items()]

    @property
    def cost_vnd(self) -> int:
        return int(self.cost.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def _macro_kcal(self) -> Decimal:
        return sum((getattr(self, name) * factor for name, factor in KCAL_PER_G.items()), Decimal(0))

    def share(self, name: str) -> Decimal | None:
        """The share (%) of the energy from protein, fat and carbohydrate given by one of them."""
        total = self._macro_kcal()
        if not total:
            return None
        return getattr(self, name) * KCAL_PER_G[name] * HUNDRED / total

    @property
    def protein_pct(self):
        return self.share("protein_g")

    @property
    def fat_pct(self):
        return self.share("fat_g")

    @property
    def carbohydrate_pct(self):
        return self.share("carbohydrate_g")


def day_totals(items) -> Totals:
    """Totals of (FoodValues, grams as bought) pairs."""
    totals = Totals()
    for food, grams in items:
        totals.add(food, grams)
    return totals


@dataclass(frozen=True)
class Targets:
    kcal_min: int
    kcal_max: int
    protein_min: int
    protein_max: int
    fat_min: int
    fat_max: int
    carbohydrate_min: int
    carbohydrate_max: int
    daily_fee: int | None = None
    changed: frozenset[str] = frozenset()  # the bounds the school set (kcal_min…); none: the defaults

    @property
    def is_default(self) -> bool:
        return not self.changed

    @property
    def changed_labels(self) -> list[str]:
        """What the school changed, in words: "fat", "energy"…"""
        names = {"kcal": _("energy"), "protein": _("protein"), "fat": _("fat"), "carbohydrate": _("carbohydrate")}
        return [str(label) for key, label in names.items() if any(n.startswith(f"{key}_") for n in self.changed)]


# The preschool education programme's norms as commonly quoted (energy at school).
DEFAULT_TARGETS = {
    "nha_tre": Targets(600, 651, 13, 20, 30, 40, 47, 50),
    "mau_giao": Targets(615, 726, 13, 20, 25, 35, 52, 60),
}


def _whole(value: Decimal) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def day_flags(totals: Totals, targets: Targets) -> list[str]:
    """What is out of range, as "fat 41 % (25–35 %)". Only the values that are complete are judged."""
    flags = []
    lacking = {name for names in totals.missing.values() for name in names}
    if "kcal" not in lacking and not targets.kcal_min <= _whole(totals.kcal) <= targets.kcal_max:
        flags.append(
            _("energy %(value)s kcal (%(low)s–%(high)s kcal)")
            % {"value": _whole(totals.kcal), "low": targets.kcal_min, "high": targets.kcal_max}
        )
    if lacking & {"protein_g", "fat_g", "carbohydrate_g"}:
        return flags
    labels = {"protein_g": _("protein"), "fat_g": _("fat"), "carbohydrate_g": _("carbohydrate")}
    for name, label in labels.items():
        share = totals.share(name)
        if share is None:
            continue
        key = name.removesuffix("_g")
        low, high = getattr(targets, f"{key}_min"), getattr(targets, f"{key}_max")
        if not low <= _whole(share) <= high:
            flags.append(
                _("%(nutrient)s %(value)s %% (%(low)s–%(high)s %%)")
                % {"nutrient": label, "value": _whole(share), "low": low, "high": high}
            )
    return flags
