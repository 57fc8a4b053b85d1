"""Who must avoid what at meals: a registry that the app holding children's allergies fills.

A menu page must know, for a class and a day, which children must not eat which allergen groups,
without importing the app that records allergies (a feature imports no other feature). That app
provides a module named `dietary_flags.py`; the menu page calls `dietary_flags_discover()` once
(Django's `autodiscover_modules`, like the admin finds `admin.py`) and then `dietary_flags_for(...)`.

A provider answers only what a menu needs: each child's id and given name, the allergen groups
(`coordination.lib.allergens.Allergen` values) and the dietary needs to respect. Nothing else about
the child's health leaves it. It checks itself who asks: the class's teachers, the kitchen staff and
the school's nurse and leaders, and nobody else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

MODULE_NAME = "dietary_flags"


@dataclass(frozen=True)
class DietaryFlag:
    child_id: int
    given_name: str
    classroom_id: int | None
    avoid: frozenset[str]  # Allergen values
    needs: tuple[str, ...] = ()  # dietary needs, already translated labels (vegetarian, no pork…)


# (user, school_id, classroom_ids or None for the whole school) -> flags
Provider = Callable[[object, int, Iterable[int] | None], list[DietaryFlag]]
_providers: list[Provider] = []


def dietary_flags_register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def dietary_flags_discover() -> None:
    autodiscover_modules(MODULE_NAME)


def dietary_flags_for(user, *, school_id: int, classroom_ids: Iterable[int] | None = None) -> list[DietaryFlag]:
    """The children of these classes (or of the whole school) who must avoid something, for this person.

    A person who may not know it gets an empty list.
    """
    flags: list[DietaryFlag] = []
    ids = None if classroom_ids is None else list(classroom_ids)
    for provider in _providers:
        flags.extend(provider(user, school_id, ids))
    return flags
