"""Writes of the menus part: keyword-only, each one atomic, refusing bad input with a clear message.

The views have asked policies_menus who may; these check what is asked (a day inside the week, grams
a child can eat, a food that exists for the school).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models.menus import AgeBand, Dish, Food, Ingredient, Meal, Menu, MenuTargets, SchoolFood, Substitute
from community.nutrition_menus import DEFAULT_TARGETS
from community.selectors_menus import week_start_of
from coordination.lib import fragments
from coordination.lib.allergens import Allergen
from schools.models import Child

TARGET_KEYS = ("kcal", "protein", "fat", "carbohydrate")

MAX_GRAMS = Decimal(500)  # per child and ingredient: more is a typing slip (5000 for 50,0)


def grams_parse(text: str | Decimal) -> Decimal:
    """Grams per child as typed (a comma or a point), between 0 and 500."""
    try:
        grams = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Type the grams per child as a number, for example 25 or 12,5.")) from None
    if not grams.is_finite() or grams <= 0:
        raise ValidationError(_("The grams per child must be more than 0."))
    if grams > MAX_GRAMS:
        raise ValidationError(
            _("%(grams)s g per child is too much for one ingredient (at most %(max)s g): check the number.")
            % {"grams": f"{grams.normalize():f}", "max": MAX_GRAMS}
        )
    return grams.quantize(Decimal("0.1"))


def food_find(*, school_id: int, text: str) -> Food:
    """The table's or the school's food with this code, or with exactly this name."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Choose a food: type its code or its name."))
    foods = Food.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
    code = text.split(" ", 1)[0]
    found = list(foods.filter(code=code)[:2]) or list(foods.filter(name_vi__iexact=text)[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError(_("Several foods are called “%(text)s”: choose one by its code.") % {"text": text})
    raise ValidationError(
        _(
            "“%(text)s” is not in the food table nor among the school's own foods. "
            "Search for it, or add it to the school's foods."
        )
        % {"text": text}
    )


def _check_band(band: str) -> None:
    if band not in AgeBand.values:
        raise ValidationError(_("Choose an age group."))


@transaction.atomic
def menu_dish_add(
    *, school_id: int, band: str, week_start: datetime.date, day: datetime.date, meal: str, name: str, by
) -> Dish:
    """Add a dish to a day's meal (the week's menu is made with its first dish)."""
    _check_band(band)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the dish a name."))
    if meal not in Meal.values:
        raise ValidationError(_("Choose a meal."))
    if week_start_of(day) != week_start or day.weekday() > 5:
        raise ValidationError(_("Choose a school day of this week."))
    menu, _created = Menu.objects.get_or_create(school_id=school_id, band=band, week_start=week_start)
    position = (menu.dishes.filter(day=day, meal=meal).aggregate(n=Max("position"))["n"] or 0) + 1
    dish = Dish.objects.create(school_id=school_id, menu=menu, day=day, meal=meal, name=name[:150], position=position)
    Menu.objects.filter(pk=menu.pk).update(updated_at=timezone.now())
    fragments.schools_changed([school_id])  # update() sends no signal (coordination/lib/fragments.py)
    return dish


@transaction.atomic
def menu_dish_remove(*, dish: Dish, by) -> None:
    """Remove a dish with its ingredients and substitutes."""
    dish.delete()


@transaction.atomic
def menu_dish_rename(*, dish: Dish, name: str, by) -> Dish:
    """Rename a dish."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the dish a name."))
    dish.name = name[:150]
    dish.save(update_fields=["name"])
    return dish


@transaction.atomic
def menu_ingredient_add(*, dish: Dish, food_text: str, grams: str | Decimal, by) -> Ingredient:
    """Add a food to a dish, in grams per child as bought."""
    amount = grams_parse(grams)
    food = food_find(school_id=dish.menu.school_id, text=food_text)
    return Ingredient.objects.create(school_id=dish.school_id, dish=dish, food=food, grams=amount)


@transaction.atomic
def menu_ingredient_change(*, ingredient: Ingredient, grams: str | Decimal, by) -> Ingredient:
    """Change the grams per child of an ingredient."""
    ingredient.grams = grams_parse(grams)
    ingredient.save(update_fields=["grams"])
    return ingredient


@transaction.atomic
def menu_ingredient_remove(*, ingredient: Ingredient, by) -> None:
    """Take an ingredient out of its dish."""
    ingredient.delete()


@transaction.atomic
def menu_week_copy(*, school_id: int, band: str, week_start: datetime.date, by) -> Menu:
    """Copy the previous week's dishes and ingredients into an empty week (not published)."""
    _check_band(band)
    source_start = week_start - datetime.timedelta(days=7)
    source = Menu.objects.filter(school_id=school_id, band=band, week_start=source_start).first()
    if source is None or not source.dishes.exists():
        raise ValidationError(_("The previous week has no menu to copy."))
    menu, _created = Menu.objects.select_for_update().get_or_create(
        school_id=school_id, band=band, week_start=week_start
    )
    if menu.dishes.exists():
        raise ValidationError(_("This week already has dishes: remove them first, or add to them."))
    shift = datetime.timedelta(days=7)
    dishes = list(source.dishes.prefetch_related("ingredients"))
    copies = Dish.objects.bulk_create(
        [
            Dish(school_id=school_id, menu=menu, day=d.day + shift, meal=d.meal, name=d.name, position=d.position)
            for d in dishes
        ]
    )
    Ingredient.objects.bulk_create(
        [
            Ingredient(school_id=school_id, dish=copy, food_id=i.food_id, grams=i.grams)
            for dish, copy in zip(dishes, copies, strict=True)
            for i in dish.ingredients.all()
        ]
    )
    fragments.schools_changed([school_id])  # bulk_create() sends no signal (coordination/lib/fragments.py)
    return menu


@transaction.atomic
def menu_publish(*, school_id: int, band: str, week_start: datetime.date, by) -> Menu:
    """Show the week's menu to the families (and on the daily view)."""
    menu = Menu.objects.filter(school_id=school_id, band=band, week_start=week_start).first()
    if menu is None or not menu.dishes.exists():
        raise ValidationError(_("This week has no dishes yet: there is nothing to publish."))
    menu.published_at = timezone.now()
    menu.published_by = by
    menu.save(update_fields=["published_at", "published_by", "updated_at"])
    return menu


@transaction.atomic
def menu_unpublish(*, school_id: int, band: str, week_start: datetime.date, by) -> None:
    """Take the week's menu back from the families."""
    Menu.objects.filter(school_id=school_id, band=band, week_start=week_start).update(
        published_at=None, published_by=None
    )
    fragments.schools_changed([school_id])  # taken back from the families' kept pages at once


@transaction.atomic
def menu_substitute_set(*, dish: Dish, child_id: int, name: str, by) -> Substitute | None:
    """Set the dish one child gets instead of this one (an empty name removes it)."""
    child = Child.objects.filter(pk=child_id, school_id=dish.menu.school_id, classroom__isnull=False).first()
    if child is None:
        raise ValidationError(_("This child is not at the school."))
    name = (name or "").strip()
    if not name:
        Substitute.objects.filter(dish=dish, child=child).delete()
        return None
    substitute, _created = Substitute.objects.update_or_create(
        dish=dish, child=child, defaults={"name": name[:150], "school_id": dish.school_id}
    )
    return substitute


def _decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


@transaction.atomic
def school_food_save(
    *,
    school_id: int,
    food: Food,
    price_per_kg: int | None,
    values: dict,
    allergens: list[str] | None,
    by,
) -> SchoolFood:
    """Keep a school's price, filled-in values and allergen groups for a food (the table stays as it is)."""
    if any(a not in Allergen.values for a in allergens or ()):
        raise ValidationError(_("Choose allergen groups from the list."))
    if price_per_kg is not None and price_per_kg < 0:
        raise ValidationError(_("A price cannot be negative."))
    row, _created = SchoolFood.objects.get_or_create(school_id=school_id, food=food)
    row.price_per_kg = price_per_kg
    for name in ("inedible_pct", "kcal", "protein_g", "fat_g", "carbohydrate_g"):
        setattr(row, name, _decimal_or_none(values.get(name)))
    row.allergens = None if allergens is None else sorted(set(allergens))
    row.save()
    return row


@transaction.atomic
def school_food_prices_save(*, school_id: int, prices: dict[int, str], by) -> int:
    """Set the school's price per kg of several foods at once (empty: no price); all or nothing."""
    parsed: dict[int, int | None] = {}
    for food_id, text in prices.items():
        text = (text or "").strip().replace(".", "").replace(" ", "")
        if not text:
            parsed[food_id] = None
            continue
        if not text.isdigit() or int(text) > 10_000_000:
            raise ValidationError(
                _("“%(text)s” is not a price: type whole đồng per kg, for example 45000.") % {"text": prices[food_id]}
            )
        parsed[food_id] = int(text)
    allowed = set(
        Food.objects.filter(Q(school__isnull=True) | Q(school_id=school_id), pk__in=parsed).values_list("pk", flat=True)
    )
    if set(parsed) - allowed:
        raise ValidationError(_("A food of the list is not in the food table nor among the school's own foods."))
    for food_id, price in parsed.items():
        SchoolFood.objects.update_or_create(school_id=school_id, food_id=food_id, defaults={"price_per_kg": price})
    return len(parsed)


@transaction.atomic
def school_food_create(
    *, school_id: int, code: str, name_vi: str, values: dict, allergens: list[str], price_per_kg: int | None, by
) -> Food:
    """Add one of the school's own foods (a value left empty stays unknown)."""
    code, name_vi = (code or "").strip(), (name_vi or "").strip()
    if not code or not name_vi:
        raise ValidationError(_("Give the food a code and a name."))
    if Food.objects.filter(school__isnull=True, code=code).exists():
        raise ValidationError(_("Code %(code)s is the food table's: choose another.") % {"code": code})
    try:
        with transaction.atomic():
            food = Food.objects.create(
                school_id=school_id,
                code=code,
                name_vi=name_vi,
                allergens=sorted(set(allergens)),
                **{name: _decimal_or_none(values.get(name)) for name in values},
            )
    except IntegrityError:
        raise ValidationError(_("The school already has a food with code %(code)s.") % {"code": code}) from None
    if price_per_kg is not None:
        SchoolFood.objects.create(school_id=school_id, food=food, price_per_kg=price_per_kg)
    return food


@transaction.atomic
def menu_targets_save(*, school_id: int, band: str, values: dict, daily_fee: int | None, by) -> MenuTargets:
    """Set a school's nutrition targets (None: the programme's default) and daily meal fee for an age group."""
    _check_band(band)
    defaults = DEFAULT_TARGETS[band]
    for key in ("kcal", "protein", "fat", "carbohydrate"):
        low = values.get(f"{key}_min")
        high = values.get(f"{key}_max")
        low = getattr(defaults, f"{key}_min") if low is None else low
        high = getattr(defaults, f"{key}_max") if high is None else high
        if low > high:
            raise ValidationError(_("Each range must start below where it ends."))
    if daily_fee is not None and daily_fee < 0:
        raise ValidationError(_("A fee cannot be negative."))
    fields = {f"{key}_{end}": values.get(f"{key}_{end}") for key in TARGET_KEYS for end in ("min", "max")}
    targets, _created = MenuTargets.objects.update_or_create(
        school_id=school_id, band=band, defaults={**fields, "daily_fee": daily_fee, "updated_by": by}
    )
    return targets
