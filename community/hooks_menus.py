"""How the menus part of the app plugs into the core and the mechanisms (called from CommunityConfig.ready()).

The kitchen staff land on the day's dishes and dietary flags; families find the menus on their
children's cards; a leader's home links to the week's menus and targets; a class links to its day.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.lib.homes import role_home_register
from coordination.lib.links import PageLink, register


def _is_kitchen(user, _obj=None) -> bool:
    from community.policies_menus import is_kitchen_staff

    return is_kitchen_staff(user)


def _writes_menus(user, school) -> bool:
    from community.policies_menus import can_write_menus

    return school is not None and can_write_menus(user, school.pk)


def _sees_class_day(user, classroom) -> bool:
    from community.policies_menus import can_view_daily_menu, daily_classroom_ids

    if classroom is None or not can_view_daily_menu(user, classroom.school_id):
        return False
    only = daily_classroom_ids(user, classroom.school_id)
    return only is None or classroom.pk in only


def _child_at_school(_user, child) -> bool:
    return child is not None and child.classroom_id is not None and child.left_on is None


def install() -> None:
    from community.models.menus import Dish, Food, Ingredient, Menu, SchoolFood
    from coordination.lib import fragments
    from schools.models import StaffRole

    # The family's menus page is kept until these change (coordination/lib/fragments.py); a food of
    # the national table (no school) renews every school's.
    fragments.shows(Menu, Dish, Ingredient, SchoolFood, Food)

    role_home_register(StaffRole.KITCHEN, lambda _user: reverse("community:menu_kitchen"))
    register(
        "menu",
        PageLink(label=_("Kitchen"), url=lambda _obj: reverse("community:menu_kitchen"), visible=_is_kitchen),
    )
    register(
        "family_child",
        PageLink(
            label=_("Menus"), url=lambda _child: reverse("community:menu_family"), visible=_child_at_school, order=70
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Weekly menus"),
            url=lambda school: reverse("community:menu_week", args=[school.pk]),
            visible=_writes_menus,
            order=70,
            help_text=_("The week's meals per age group, checked against the nutrition targets, with their cost."),
        ),
    )
    register(
        "classroom",
        PageLink(
            label=_("Today's dishes and allergies"),
            url=lambda classroom: reverse("community:menu_day", args=[classroom.school_id]),
            visible=_sees_class_day,
            order=70,
        ),
    )
