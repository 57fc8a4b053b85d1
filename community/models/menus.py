"""The menus part's models: the food table, a school's own foods and values, weekly menus, targets.

The food table (FAO/WHO Vietnamese Food Composition Table 2007) is loaded by a data migration into
`Food` with no school. A school adds its own foods (`Food` with the school) and keeps, beside a table
food, its price per kg, the values the table lacks and its own allergen groups (`SchoolFood`): the
table's rows are never written over. A value left NULL is unknown, never zero.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "NUTRIENT_FIELDS",
    "AgeBand",
    "Dish",
    "Food",
    "Ingredient",
    "Meal",
    "Menu",
    "MenuTargets",
    "SchoolFood",
    "Substitute",
]

# The values a day's balance is computed from (per 100 g of the edible part), and the inedible share.
NUTRIENT_FIELDS = ("kcal", "protein_g", "fat_g", "carbohydrate_g")


class AgeBand(models.TextChoices):
    """The two menus a kindergarten cooks: nhà trẻ (classes of age group nha_tre) and mẫu giáo (mầm, chồi, lá)."""

    NHA_TRE = "nha_tre", _("Nursery (nhà trẻ)")
    MAU_GIAO = "mau_giao", _("Kindergarten (mẫu giáo)")

    @classmethod
    def of_age_group(cls, age_group: str) -> AgeBand:
        return cls.NHA_TRE if age_group == "nha_tre" else cls.MAU_GIAO


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast or mid-morning")
    LUNCH = "lunch", _("Lunch")
    AFTERNOON = "afternoon", _("Afternoon meal or snack")


def _value(name):
    return models.DecimalField(name, max_digits=8, decimal_places=2, null=True, blank=True)


def _pct(name):
    return models.PositiveSmallIntegerField(name, null=True, blank=True, validators=[MaxValueValidator(100)])


class Food(models.Model):
    """A food of the table (school empty) or a school's own food; values per 100 g of the edible part."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="menu_foods",
        verbose_name=_("school"),
    )
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    group_vi = models.CharField(_("food group"), max_length=100, blank=True)
    group_en = models.CharField(_("food group in English"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=20, blank=True)
    inedible_pct = models.DecimalField(
        _("inedible share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )
    kcal = _value(_("energy (kcal)"))
    protein_g = _value(_("protein (g)"))
    fat_g = _value(_("fat (g)"))
    carbohydrate_g = _value(_("carbohydrate (g)"))
    fiber_g = _value(_("fibre (g)"))
    calcium_mg = _value(_("calcium (mg)"))
    iron_mg = _value(_("iron (mg)"))
    vitamin_a_mcg = _value(_("vitamin A (µg)"))
    vitamin_c_mg = _value(_("vitamin C (mg)"))
    # Allergen values (coordination.lib.allergens.Allergen): the defaults a school may change.
    allergens = models.JSONField(_("allergen groups"), default=list, blank=True)

    class Meta:
        verbose_name = _("food")
        verbose_name_plural = _("foods")
        ordering = ["name_vi"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(school__isnull=True), name="unique_table_food_code"),
            models.UniqueConstraint(
                fields=["school", "code"], condition=Q(school__isnull=False), name="unique_school_food_code"
            ),
        ]
        indexes = [models.Index(fields=["school", "name_vi"], name="food_school_name")]

    def __str__(self):
        return f"{self.code} {self.name_vi}"


class SchoolFood(models.Model):
    """What a school keeps beside a food: its price, the values it filled in, its allergen groups."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="at_schools")
    price_per_kg = models.PositiveIntegerField(_("price per kg (đồng)"), null=True, blank=True)
    inedible_pct = models.DecimalField(
        _("inedible share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )
    kcal = _value(_("energy (kcal)"))
    protein_g = _value(_("protein (g)"))
    fat_g = _value(_("fat (g)"))
    carbohydrate_g = _value(_("carbohydrate (g)"))
    # None: the food's default groups; a list (maybe empty): the school's reviewed choice.
    allergens = models.JSONField(_("allergen groups"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("food at a school")
        verbose_name_plural = _("foods at a school")
        constraints = [models.UniqueConstraint(fields=["school", "food"], name="one_school_food_per_food")]

    def __str__(self):
        return str(self.food)


class MenuTargets(models.Model):
    """A school's daily meal fee and nutrition targets for one age band (a target left empty: the default)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    band = models.CharField(_("age group"), max_length=10, choices=AgeBand.choices)
    kcal_min = models.PositiveSmallIntegerField(_("energy from (kcal)"), null=True, blank=True)
    kcal_max = models.PositiveSmallIntegerField(_("energy to (kcal)"), null=True, blank=True)
    protein_min = models.PositiveSmallIntegerField(
        _("protein from (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    protein_max = models.PositiveSmallIntegerField(
        _("protein to (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    fat_min = models.PositiveSmallIntegerField(
        _("fat from (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    fat_max = models.PositiveSmallIntegerField(
        _("fat to (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    carbohydrate_min = models.PositiveSmallIntegerField(
        _("carbohydrate from (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    carbohydrate_max = models.PositiveSmallIntegerField(
        _("carbohydrate to (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    daily_fee = models.PositiveIntegerField(_("daily meal fee (đồng)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("menu targets")
        verbose_name_plural = _("menu targets")
        constraints = [models.UniqueConstraint(fields=["school", "band"], name="one_menu_targets_per_band")]

    def __str__(self):
        return str(self.get_band_display())


class Menu(models.Model):
    """One school's menu for one week (starting on its Monday) and one age band."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    band = models.CharField(_("age group"), max_length=10, choices=AgeBand.choices)
    week_start = models.DateField(_("week of"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly menu")
        verbose_name_plural = _("weekly menus")
        ordering = ["-week_start", "band"]
        constraints = [models.UniqueConstraint(fields=["school", "band", "week_start"], name="one_menu_per_week")]

    def __str__(self):
        return f"{self.get_band_display()} {self.week_start:%d/%m/%Y}"


class Dish(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="dishes")
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=10, choices=Meal.choices)
    name = models.CharField(_("dish"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        ordering = ["day", "meal", "position", "pk"]

    def __str__(self):
        return self.name


class Ingredient(models.Model):
    """A food in a dish, in grams per child as bought (the edible part follows from the inedible share)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    dish = models.ForeignKey(Dish, on_delete=models.CASCADE, related_name="ingredients")
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="+")
    grams = models.DecimalField(_("grams per child"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("ingredient")
        verbose_name_plural = _("ingredients")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(grams__gt=0) & Q(grams__lte=1000), name="ingredient_grams_sensible"),
        ]

    def __str__(self):
        return f"{self.food} {self.grams} g"


class Substitute(models.Model):
    """The dish the kitchen serves one child instead of a dish the child must avoid."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    dish = models.ForeignKey(Dish, on_delete=models.CASCADE, related_name="substitutes")
    child = models.ForeignKey("schools.Child", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("substitute dish"), max_length=150)

    class Meta:
        verbose_name = _("substitute dish")
        verbose_name_plural = _("substitute dishes")
        constraints = [models.UniqueConstraint(fields=["dish", "child"], name="one_substitute_per_child")]

    def __str__(self):
        return self.name
