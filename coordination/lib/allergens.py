"""The allergen groups, one list for every app that records or serves food.

A child's allergy is one of these groups (the health record keeps it; a free-text note may stand
beside it, never instead of it), and a menu's dish is flagged with the same groups, so that a dish
and a child can be matched without reading any text.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Allergen(models.TextChoices):
    MILK = "milk", _("Milk")
    EGG = "egg", _("Egg")
    FISH = "fish", _("Fish")
    SHELLFISH = "shellfish", _("Shellfish (shrimp, crab, clams)")
    PEANUT = "peanut", _("Peanut")
    TREE_NUTS = "tree_nuts", _("Tree nuts")
    SOY = "soy", _("Soy")
    WHEAT = "wheat", _("Wheat (gluten)")
    SESAME = "sesame", _("Sesame")
