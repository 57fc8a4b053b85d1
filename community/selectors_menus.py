"""Reads of the menus part, each taking the person who asks (policies_menus says who may).

Every page reads a fixed number of queries whatever the number of dishes and ingredients: the menus,
their dishes, the dishes' ingredients with their foods, the school's own values of those foods, the
targets (and on the daily view the substitutes and the dietary flags).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from community.models.menus import AgeBand, Dish, Food, Ingredient, Meal, Menu, MenuTargets, SchoolFood, Substitute
from community.nutrition_menus import (
    DEFAULT_TARGETS,
    FoodValues,
    Targets,
    Totals,
    day_flags,
    edible_grams,
    food_values,
)
from community.policies_menus import (  # noqa: F401 (the views ask through here)
    can_set_menu_targets,
    can_view_daily_menu,
    can_write_menus,
    daily_classroom_ids,
    menu_writer_school_ids,
)
from coordination.lib.allergens import Allergen
from coordination.lib.dietary import dietary_flags_discover, dietary_flags_for
from schools.models import Classroom, School, school_today
from schools.policies import guardian_children

SCHOOL_DAYS = 5  # Monday to Friday; a Saturday with dishes is shown too


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class IngredientRow:
    ingredient: Ingredient
    food: FoodValues
    edible: Decimal


@dataclass
class DishRow:
    dish: Dish
    ingredients: list[IngredientRow] = field(default_factory=list)
    substitutes: list[Substitute] = field(default_factory=list)
    flagged: list[dict] = field(default_factory=list)  # {"child": DietaryFlag, "avoid": [labels], "substitute": str}

    @property
    def allergens(self) -> list[str]:
        groups = set()
        for row in self.ingredients:
            groups |= row.food.allergens
        return [str(Allergen(value).label) for value in Allergen.values if value in groups]

    @property
    def allergen_values(self) -> set[str]:
        groups = set()
        for row in self.ingredients:
            groups |= row.food.allergens
        return groups


@dataclass
class DayView:
    day: datetime.date
    meals: list[tuple[str, str, list[DishRow]]]  # (meal value, label, dishes)
    totals: Totals
    flags: list[str]
    targets: Targets

    @property
    def has_dishes(self) -> bool:
        return any(dishes for _value, _label, dishes in self.meals)

    @property
    def over_fee(self) -> bool:
        return self.targets.daily_fee is not None and self.totals.cost_vnd > self.targets.daily_fee

    @property
    def incomplete_foods(self) -> list[str]:
        return sorted(self.totals.missing)


@dataclass
class WeekView:
    school: School
    band: str
    week_start: datetime.date
    menu: Menu | None
    days: list[DayView]
    targets: Targets

    @property
    def band_label(self) -> str:
        return str(AgeBand(self.band).label)

    @property
    def meals_used(self) -> list[str]:
        """The meals that have a dish on some day of the week (mẫu giáo has no breakfast at school)."""
        used = {value for day in self.days for value, _label, dishes in day.meals if dishes}
        return [value for value, _label in Meal.choices if value in used]

    @property
    def previous_week(self) -> datetime.date:
        return self.week_start - datetime.timedelta(days=7)

    @property
    def next_week(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=7)


# --- Building blocks


BOUNDS = tuple(f"{key}_{end}" for key in ("kcal", "protein", "fat", "carbohydrate") for end in ("min", "max"))


def targets_of(row: MenuTargets | None, band: str) -> Targets:
    """A school's targets for a band: its own bounds where it set them, the defaults elsewhere."""
    default = DEFAULT_TARGETS[band]
    if row is None:
        return default
    bounds = {name: getattr(row, name) if getattr(row, name) is not None else getattr(default, name) for name in BOUNDS}
    changed = frozenset(name for name in BOUNDS if getattr(row, name) not in (None, getattr(default, name)))
    return Targets(**bounds, daily_fee=row.daily_fee, changed=changed)


def targets_for(school_id: int) -> dict[str, Targets]:
    """The school's targets per band (the defaults where it set none). One query."""
    rows = {row.band: row for row in MenuTargets.objects.filter(school_id=school_id)}
    return {band: targets_of(rows.get(band), band) for band in AgeBand.values}


def _dish_rows(dishes: list[Dish], school_id: int) -> dict[int, DishRow]:
    """Each dish with its ingredients and their foods as the school uses them. Two queries."""
    rows = {dish.pk: DishRow(dish) for dish in dishes}
    if not rows:
        return rows
    ingredients = list(
        Ingredient.objects.filter(school_id=school_id, dish_id__in=rows).select_related("food").order_by("pk")
    )
    own = {
        sf.food_id: sf
        for sf in SchoolFood.objects.filter(school_id=school_id, food_id__in={i.food_id for i in ingredients})
    }
    for ingredient in ingredients:
        values = food_values(ingredient.food, own.get(ingredient.food_id))
        rows[ingredient.dish_id].ingredients.append(
            IngredientRow(ingredient, values, edible_grams(ingredient.grams, values.inedible_pct))
        )
    return rows


def _days(days: list[datetime.date], dish_rows: list[DishRow], targets: Targets) -> list[DayView]:
    by_day: dict[datetime.date, dict[str, list[DishRow]]] = defaultdict(lambda: defaultdict(list))
    for row in dish_rows:
        by_day[row.dish.day][row.dish.meal].append(row)
    shown = sorted(set(days) | set(by_day))
    views = []
    for day in shown:
        meals = [(value, str(label), by_day[day][value]) for value, label in Meal.choices]
        totals = Totals()
        for _value, _label, dishes in meals:
            for dish in dishes:
                for item in dish.ingredients:
                    totals.add(item.food, item.ingredient.grams)
        flags = day_flags(totals, targets) if any(d for _v, _l, d in meals) else []
        views.append(DayView(day, meals, totals, flags, targets))
    return views


def _school_days(week_start: datetime.date) -> list[datetime.date]:
    return [week_start + datetime.timedelta(days=n) for n in range(SCHOOL_DAYS)]


# --- Pages


def menu_week(*, user, school_id: int, band: str, week_start: datetime.date) -> WeekView | None:
    """The week editor's page, for the kitchen and the leaders (None for anyone else)."""
    if not can_write_menus(user, school_id):
        return None
    school = School.objects.get(pk=school_id)
    menu = Menu.objects.filter(school_id=school_id, band=band, week_start=week_start).first()
    dishes = list(menu.dishes.filter(school_id=school_id)) if menu else []
    targets = targets_for(school_id)[band]
    by_dish = _dish_rows(dishes, school_id)
    _flag_week(user, school_id, band, by_dish)
    days = _days(_school_days(week_start), list(by_dish.values()), targets)
    return WeekView(school, band, week_start, menu, days, targets)


def _flag_week(user, school_id: int, band: str, rows: dict[int, DishRow]) -> None:
    """Flag each dish for the children of the band's classes who must avoid one of its groups, with
    their substitutes, so that the kitchen plans them with the week. Four queries (the classes, the
    substitutes, the dietary flags' two), none when the week has no dish."""
    if not rows:
        return
    bands = dict(
        Classroom.objects.filter(school_id=school_id, school_year__is_current=True).values_list("pk", "age_group")
    )
    dietary_flags_discover()
    flags = [
        flag
        for flag in dietary_flags_for(user, school_id=school_id)
        if flag.avoid and AgeBand.of_age_group(bands.get(flag.classroom_id, "")) == band and flag.classroom_id in bands
    ]
    if not flags:
        return
    substitutes = {(s.dish_id, s.child_id): s.name for s in Substitute.objects.filter(dish_id__in=rows)}
    labels = dict(Allergen.choices)
    for row in rows.values():
        holds = row.allergen_values
        for flag in flags:
            hit = sorted(flag.avoid & holds)
            if hit:
                row.flagged.append(
                    {
                        "child": flag,
                        "avoid": [str(labels[value]) for value in hit],
                        "substitute": substitutes.get((row.dish.pk, flag.child_id), ""),
                    }
                )


def menu_school_for_writer(*, user, school_id: int) -> School | None:
    if not can_write_menus(user, school_id):
        return None
    return School.objects.filter(pk=school_id).first()


def dish_for_writer(*, user, dish_id: int) -> Dish | None:
    dish = Dish.objects.select_related("menu").filter(pk=dish_id).first()
    if dish is None or not can_write_menus(user, dish.menu.school_id):
        return None
    return dish


def ingredient_for_writer(*, user, ingredient_id: int) -> Ingredient | None:
    ingredient = Ingredient.objects.select_related("dish__menu").filter(pk=ingredient_id).first()
    if ingredient is None or not can_write_menus(user, ingredient.dish.menu.school_id):
        return None
    return ingredient


@dataclass
class FamilyMenu:
    school: School
    band: str
    children: list[str]
    weeks: list[tuple[datetime.date, WeekView | None]]

    @property
    def band_label(self) -> str:
        return str(AgeBand(self.band).label)


def family_menus(*, user) -> list[FamilyMenu] | None:
    """This week's and next week's published menus of each of the person's children's age groups.

    None when the person looks after no child at school. Fixed queries whatever the number of dishes.
    """
    children = [child for child in guardian_children(user) if child.classroom_id]
    if not children:
        return None
    wanted: dict[tuple[int, str], list[str]] = {}
    for child in children:
        key = (child.school_id, AgeBand.of_age_group(child.classroom.age_group))
        wanted.setdefault(key, []).append(child.full_name)
    this_week = week_start_of(school_today())
    weeks = [this_week, this_week + datetime.timedelta(days=7)]
    schools = School.objects.in_bulk({school_id for school_id, _band in wanted})
    where = Q()
    for school_id, band in wanted:
        where |= Q(school_id=school_id, band=band)
    menus = {
        (m.school_id, m.band, m.week_start): m
        for m in Menu.objects.filter(where, week_start__in=weeks, published_at__isnull=False)
    }
    dishes = list(Dish.objects.filter(school_id__in=list(schools), menu__in=menus.values()))
    school_of_menu = {menu.pk: menu.school_id for menu in menus.values()}
    dishes_by_menu: dict[int, list[Dish]] = defaultdict(list)
    dishes_by_school: dict[int, list[Dish]] = defaultdict(list)
    for dish in dishes:
        dishes_by_menu[dish.menu_id].append(dish)
        dishes_by_school[school_of_menu[dish.menu_id]].append(dish)
    # The allergen groups of each dish come from its ingredients (the school's own choices applied).
    all_rows: dict[int, DishRow] = {}
    for school_id, school_dishes in dishes_by_school.items():
        all_rows.update(_dish_rows(school_dishes, school_id))
    result = []
    for (school_id, band), names in sorted(wanted.items(), key=lambda item: item[0]):
        shown = []
        for week in weeks:
            menu = menus.get((school_id, band, week))
            if menu is None:
                shown.append((week, None))
                continue
            rows = [all_rows[d.pk] for d in dishes_by_menu[menu.pk]]
            days = _days(_school_days(week), rows, DEFAULT_TARGETS[band])
            shown.append((week, WeekView(schools[school_id], band, week, menu, days, DEFAULT_TARGETS[band])))
        result.append(FamilyMenu(schools[school_id], band, names, shown))
    return result


@dataclass
class ClassDay:
    classroom: Classroom
    band: str
    dishes: list[DishRow]
    flagged_children: int = 0


def menu_daily(*, user, school_id: int, day: datetime.date) -> dict | None:
    """The day's dishes per class, each dish flagged for the children of the class who must avoid it,
    with the substitute the kitchen set. For the kitchen, leaders, nurse (every class) and a teacher
    (their classes). Fixed queries whatever the number of classes, dishes and children."""
    if not can_view_daily_menu(user, school_id):
        return None
    school = School.objects.get(pk=school_id)
    only = daily_classroom_ids(user, school_id)
    classrooms = Classroom.objects.filter(school_id=school_id, school_year__is_current=True)
    if only is not None:
        classrooms = classrooms.filter(pk__in=only)
    classrooms = list(classrooms.order_by("name"))
    # The kitchen and the leaders see a week they have not published yet too, to prepare it.
    menus = Menu.objects.filter(school_id=school_id, week_start=week_start_of(day))
    if not can_write_menus(user, school_id):
        menus = menus.filter(published_at__isnull=False)
    menus = {m.band: m for m in menus}
    dishes = list(Dish.objects.filter(school_id=school_id, menu__in=menus.values(), day=day))
    rows = _dish_rows(dishes, school_id)
    substitutes = {
        (s.dish_id, s.child_id): s.name for s in Substitute.objects.filter(school_id=school_id, dish_id__in=rows)
    }
    dietary_flags_discover()
    flags = dietary_flags_for(user, school_id=school_id, classroom_ids=[c.pk for c in classrooms])
    flags_by_class = defaultdict(list)
    for flag in flags:
        flags_by_class[flag.classroom_id].append(flag)
    labels = dict(Allergen.choices)
    band_of_menu = {m.pk: band for band, m in menus.items()}
    classes = []
    for classroom in classrooms:
        band = AgeBand.of_age_group(classroom.age_group)
        class_rows = []
        children_flagged = set()
        for row in rows.values():
            if band_of_menu[row.dish.menu_id] != band:
                continue
            holds = row.allergen_values
            flagged = []
            for flag in flags_by_class[classroom.pk]:
                hit = sorted(flag.avoid & holds)
                if hit:
                    children_flagged.add(flag.child_id)
                    flagged.append(
                        {
                            "child": flag,
                            "avoid": [str(labels[value]) for value in hit],
                            "substitute": substitutes.get((row.dish.pk, flag.child_id), ""),
                        }
                    )
            class_rows.append(DishRow(row.dish, row.ingredients, flagged=flagged))
        class_rows.sort(key=lambda r: ([v for v, _l in Meal.choices].index(r.dish.meal), r.dish.position, r.dish.pk))
        classes.append(ClassDay(classroom, band, class_rows, len(children_flagged)))
    needs = [flag for flag in flags if flag.needs]
    published = bool(menus) and all(m.published_at for m in menus.values())
    return {"school": school, "day": day, "classes": classes, "needs": needs, "published": published}


def food_search(*, user, school_id: int, q: str, limit: int = 30) -> list[tuple[Food, FoodValues]] | None:
    """Foods of the table and the school's own whose code or name matches, as the school uses them."""
    if not can_write_menus(user, school_id):
        return None
    foods = Food.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
    q = q.strip()
    if q:
        foods = foods.filter(Q(code=q) | Q(name_vi__icontains=q) | Q(name_en__icontains=q))
    foods = list(foods.order_by("name_vi", "code")[:limit])
    own = {sf.food_id: sf for sf in SchoolFood.objects.filter(school_id=school_id, food__in=foods)}
    return [(food, food_values(food, own.get(food.pk))) for food in foods]


def foods_to_price(*, user, school_id: int) -> list[tuple[Food, int | None]] | None:
    """The foods of this week's and next week's menus with the school's price per kg (None: no price)."""
    if not can_write_menus(user, school_id):
        return None
    monday = week_start_of(school_today())
    weeks = [monday, monday + datetime.timedelta(days=7)]
    food_ids = set(
        Ingredient.objects.filter(dish__menu__school_id=school_id, dish__menu__week_start__in=weeks).values_list(
            "food_id", flat=True
        )
    )
    prices = dict(
        SchoolFood.objects.filter(school_id=school_id, food_id__in=food_ids).values_list("food_id", "price_per_kg")
    )
    foods = Food.objects.filter(pk__in=food_ids).order_by("name_vi")
    return [(food, prices.get(food.pk)) for food in foods]


def food_for_writer(*, user, school_id: int, food_id: int) -> tuple[Food, SchoolFood | None] | None:
    if not can_write_menus(user, school_id):
        return None
    food = Food.objects.filter(Q(school__isnull=True) | Q(school_id=school_id), pk=food_id).first()
    if food is None:
        return None
    return food, SchoolFood.objects.filter(school_id=school_id, food=food).first()


def menu_targets_page(*, user, school_id: int) -> dict | None:
    if not can_set_menu_targets(user, school_id):
        return None
    school = School.objects.get(pk=school_id)
    rows = {row.band: row for row in MenuTargets.objects.filter(school_id=school_id)}
    targets = {band: targets_of(rows.get(band), band) for band in AgeBand.values}
    return {"school": school, "rows": rows, "targets": targets, "defaults": DEFAULT_TARGETS}


# --- Many schools at once (the benchmark, and any report across schools)


def menus_month_totals(*, school_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """Each school's, band's and day's totals, flags and cost between two dates (published or not).

    Four queries whatever the number of schools, menus and dishes: the ingredients (with their day,
    band and school), their foods, the schools' own values of those foods, the targets.
    """
    rows = list(
        Ingredient.objects.filter(
            dish__menu__school_id__in=school_ids, dish__day__gte=start, dish__day__lte=end
        ).values_list("dish__menu__school_id", "dish__menu__band", "dish__day", "food_id", "grams")
    )
    food_ids = {row[3] for row in rows}
    foods = Food.objects.in_bulk(food_ids)
    own = {
        (sf.school_id, sf.food_id): sf
        for sf in SchoolFood.objects.filter(school_id__in=school_ids, food_id__in=food_ids)
    }
    targets: dict[int, dict[str, Targets]] = defaultdict(lambda: dict(DEFAULT_TARGETS))
    for row in MenuTargets.objects.filter(school_id__in=school_ids):
        targets[row.school_id][row.band] = targets_of(row, row.band)
    values_cache: dict[tuple[int, int], FoodValues] = {}
    totals: dict[tuple[int, str, datetime.date], Totals] = defaultdict(Totals)
    for school_id, band, day, food_id, grams in rows:
        key = (school_id, food_id)
        values = values_cache.get(key)
        if values is None:
            values = values_cache[key] = food_values(foods[food_id], own.get(key))
        totals[(school_id, band, day)].add(values, grams)
    return {
        key: {"totals": t, "flags": day_flags(t, targets[key[0]][key[1]]), "fee": targets[key[0]][key[1]].daily_fee}
        for key, t in totals.items()
    }
