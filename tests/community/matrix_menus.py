"""Community, menus: URLs (merged into tests/test_authorization_matrix.py).

The kitchen and the school's leaders write the menus (another school's principal: their own school
only); the leaders alone set the targets and the meal fee. The daily view with the dietary flags is
for them, the nurse and the teachers. Families see the published menus of their children's age groups.
Everyone else gets the 404 of a school without menus.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import SCOPED, Entry, expect

WRITERS = expect(kitchen=200, leaders=200)
WRITERS_SAVED = expect(kitchen="redirect", leaders="redirect")
LEADERS_ONLY = expect(leaders=200)
DAILY = expect(kitchen=200, leaders=200, nurse=200, school_teachers=200)
FAMILIES = expect(parent=200, other_parent=200, foreign_parent=200)
KITCHEN_WAY_IN = expect(kitchen="redirect", leaders="redirect", other_principal="redirect")


def _monday():
    from schools.models import school_today

    today = school_today()
    return today - datetime.timedelta(days=today.weekday())


def _week_fields(w: World, **more) -> dict:
    return {"band": "mau_giao", "week": _monday().strftime("%d/%m/%Y"), **more}


def _menu(w: World) -> dict:
    from community.models.menus import Dish
    from tests.community.factories_menus import BALANCED_DAY, make_menu

    menu = make_menu(w.school, days={0: BALANCED_DAY})
    dish = Dish.objects.filter(menu=menu).order_by("pk").first()
    return {"menu": menu, "dish": dish, "ingredient": dish.ingredients.first()}


def _last_week(w: World):
    from tests.community.factories_menus import BALANCED_DAY, make_menu

    return make_menu(w.school, week_start=_monday() - datetime.timedelta(days=7), days={0: BALANCED_DAY})


def _unpublished(w: World):
    from tests.community.factories_menus import BALANCED_DAY, make_menu

    return make_menu(w.school, published=False, days={0: BALANCED_DAY})


def _dishes(w: World):
    from community.models.menus import Dish

    return sorted(Dish.objects.values_list("pk", "name"))


def _ingredients(w: World):
    from community.models.menus import Ingredient

    return sorted(Ingredient.objects.values_list("pk", "food_id", "grams"))


def _published(w: World):
    from community.models.menus import Menu

    return sorted(Menu.objects.values_list("pk", "published_at"))


def _substitutes(w: World):
    from community.models.menus import Substitute

    return sorted(Substitute.objects.values_list("dish_id", "child_id", "name"))


def _own_foods(w: World):
    from community.models.menus import Food

    return sorted(Food.objects.filter(school__isnull=False).values_list("school_id", "code"))


def _school_foods(w: World):
    from community.models.menus import SchoolFood

    return sorted(SchoolFood.objects.values_list("school_id", "food_id", "price_per_kg"))


def _targets(w: World):
    from community.models.menus import MenuTargets

    return sorted(MenuTargets.objects.values_list("school_id", "band", "daily_fee"))


def _rice(w: World) -> int:
    from tests.community.factories_menus import table_food

    return table_food(1004).pk


def _school(suffix: str):
    return lambda w: f"/menus/school/{w.school.pk}/{suffix}"


MATRIX: dict[str, Entry | list[Entry]] = {
    "menus/": Entry("/menus/", FAMILIES, setup=_menu),
    "menus/kitchen/": Entry("/menus/kitchen/", KITCHEN_WAY_IN),
    "menus/school/<int:school_id>/week/": Entry(
        lambda w: f"/menus/school/{w.school.pk}/week/?band=mau_giao", WRITERS, setup=_menu, shows="Thịt lợn rim"
    ),
    "menus/school/<int:school_id>/week/dishes/": Entry(
        _school("week/dishes/"),
        WRITERS_SAVED,
        method="post",
        data=lambda w: _week_fields(w, day=_monday().strftime("%d/%m/%Y"), meal="lunch", name="Canh chua"),
        effect=_dishes,
    ),
    "menus/school/<int:school_id>/week/copy/": Entry(
        _school("week/copy/"), WRITERS_SAVED, method="post", data=_week_fields, effect=_dishes, setup=_last_week
    ),
    "menus/school/<int:school_id>/week/publish/": Entry(
        _school("week/publish/"),
        WRITERS_SAVED,
        method="post",
        data=lambda w: _week_fields(w, action="publish"),
        effect=_published,
        setup=_unpublished,
    ),
    "menus/school/<int:school_id>/day/": Entry(_school("day/"), DAILY),
    "menus/school/<int:school_id>/foods/": [
        Entry(lambda w: f"/menus/school/{w.school.pk}/foods/?q=1004", WRITERS, shows="Gạo tẻ máy"),
        Entry(lambda w: f"/menus/school/{w.school.pk}/foods/?q=g%E1%BA%A1o&format=json", WRITERS),
        Entry(
            _school("foods/"),
            WRITERS_SAVED,
            method="post",
            data=lambda w: {"code": "SM-01", "name_vi": "Bột ngũ cốc Sao Mai", "kcal": "380", "price_per_kg": "90000"},
            effect=_own_foods,
        ),
    ],
    "menus/school/<int:school_id>/foods/<int:food_id>/": [
        Entry(lambda w: f"/menus/school/{w.school.pk}/foods/{_rice(w)}/", WRITERS, shows="Gạo tẻ máy"),
        Entry(
            lambda w: f"/menus/school/{w.school.pk}/foods/{_rice(w)}/",
            WRITERS_SAVED,
            method="post",
            data=lambda w: {"price_per_kg": "19000", "use_default_allergens": "on"},
            effect=_school_foods,
        ),
    ],
    "menus/school/<int:school_id>/prices/": Entry(
        _school("prices/"),
        WRITERS_SAVED,
        method="post",
        data=lambda w: {f"price-{w.made['ingredient'].food_id}": "19000"},
        effect=_school_foods,
        setup=_menu,
    ),
    "menus/school/<int:school_id>/targets/": [
        Entry(_school("targets/"), LEADERS_ONLY),
        Entry(
            _school("targets/"),
            expect(leaders="redirect"),
            method="post",
            data=lambda w: {"band": "mau_giao", "mau_giao-daily_fee": "30000"},
            effect=_targets,
        ),
    ],
    "menus/dishes/<int:dish_id>/": Entry(
        lambda w: f"/menus/dishes/{w.made['dish'].pk}/",
        WRITERS_SAVED,
        method="post",
        data=lambda w: {"name": "Cơm gạo lứt"},
        effect=_dishes,
        setup=_menu,
    ),
    "menus/dishes/<int:dish_id>/ingredients/": Entry(
        lambda w: f"/menus/dishes/{w.made['dish'].pk}/ingredients/",
        WRITERS_SAVED,
        method="post",
        data=lambda w: {"food": "4016", "grams": "30"},
        effect=_ingredients,
        setup=_menu,
    ),
    "menus/dishes/<int:dish_id>/substitutes/": Entry(
        lambda w: f"/menus/dishes/{w.made['dish'].pk}/substitutes/",
        WRITERS_SAVED,
        method="post",
        data=lambda w: {"child": w.child.pk, "name": "Cháo thịt"},
        effect=_substitutes,
        setup=_menu,
    ),
    "menus/ingredients/<int:ingredient_id>/": Entry(
        lambda w: f"/menus/ingredients/{w.made['ingredient'].pk}/",
        WRITERS_SAVED,
        method="post",
        data=lambda w: {"grams": "80"},
        effect=_ingredients,
        setup=_menu,
    ),
}


def _admin_targets(w: World):
    from community.models.menus import MenuTargets

    return MenuTargets.objects.create(school=w.school, band="mau_giao", daily_fee=30_000)


def _admin_food(w: World):
    from community.models.menus import Food

    return Food.objects.create(school=w.school, code="SM-01", name_vi="Bột ngũ cốc Sao Mai")


ADMIN_MODELS = {
    "community/menutargets": (SCOPED, _admin_targets),
    "community/food": (SCOPED, _admin_food),
}
