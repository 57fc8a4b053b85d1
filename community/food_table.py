"""The FAO/WHO Vietnamese Food Composition Table 2007 (community/data/), loaded into Food with no school.

An empty cell is unknown and stays NULL. Allergen groups: fish and shellfish for group 8 (shellfish for
the crabs, shrimps, clams, snails and squid), egg for group 9, milk for group 10, and a reviewed list for
the foods of other groups that hold one (soy sauce, wheat flour, peanuts, biscuits…). Refined mixed
and soybean oils carry none (refining takes the proteins out; EU and US labelling exempt them), else
every fried dish would be flagged for a child with a peanut allergy; peanut and sesame oils keep
theirs. Schools change them for themselves (SchoolFood.allergens), never here.

Loaded by the data migration; `food_table_load()` loads it again where the table was emptied (a
database flushed between tests, a demo on such a database). It does nothing when the foods are there.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from coordination.lib import fragments

CSV = Path(__file__).resolve().parent / "data" / "food_composition_vn_2007.csv"
VALUES = (
    "inedible_pct",
    "kcal",
    "protein_g",
    "fat_g",
    "carbohydrate_g",
    "fiber_g",
    "calcium_mg",
    "iron_mg",
    "vitamin_a_mcg",
    "vitamin_c_mg",
)
SHELLFISH = {8033, 8034, 8035, 8037, 8039, 8040, 8041, 8042, 8043, 8044, 8045, 8046, 8048, 8049, 8050, 8051}
SHELLFISH |= {8052, 8053, 8054, 8055, 8056, 8059}
REVIEWED = {
    1009: ["wheat"],
    1012: ["wheat"],
    1014: ["wheat"],
    1018: ["wheat"],
    1022: ["wheat"],
    3007: ["soy"],
    3011: ["tree_nuts"],
    3012: ["tree_nuts"],
    3013: ["tree_nuts"],
    3015: ["tree_nuts"],
    3017: ["peanut"],
    3020: ["sesame"],
    3021: ["soy"],
    3022: ["soy"],
    3024: ["peanut"],
    3025: ["soy"],
    3026: ["soy"],
    3027: ["soy"],
    3030: ["tree_nuts"],
    3031: ["soy"],
    3032: ["soy"],
    3033: ["soy"],
    6001: ["milk"],
    6011: ["peanut"],
    6012: ["sesame"],
    11004: ["peanut"],
    11015: ["fish"],
    11016: ["fish"],
    12001: ["wheat"],
    12002: ["wheat", "milk", "egg"],
    12004: ["wheat"],
    12006: ["wheat", "milk", "egg"],
    12008: ["wheat", "egg"],
    12009: ["wheat", "milk"],
    12010: ["milk"],
    12011: ["wheat", "egg"],
    12015: ["milk"],
    12020: ["peanut"],
    12022: ["milk"],
    12023: ["milk"],
    12024: ["sesame"],
    12027: ["peanut"],
    13010: ["soy", "wheat"],
    13011: ["shellfish"],
    13012: ["shellfish"],
    13013: ["shellfish"],
    13014: ["fish"],
    13015: ["fish"],
    13016: ["fish"],
    13017: ["fish"],
    13018: ["fish"],
    13019: ["soy"],
    13020: ["soy"],
    13022: ["soy", "wheat"],
    13023: ["egg"],
}


def default_allergens(code: int) -> list[str]:
    group = code // 1000
    if group == 8:
        return ["shellfish"] if code in SHELLFISH else ["fish"]
    if group == 9:
        return ["egg"]
    if group == 10:
        return ["milk"]
    return list(REVIEWED.get(code, []))


def food_table_load(food_model=None) -> int:
    """Load the table's foods unless they are there; how many were loaded."""
    if food_model is None:
        from community.models.menus import Food as food_model
    Food = food_model  # noqa: N806
    if Food.objects.filter(school__isnull=True).exists():
        return 0
    foods = []
    with CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = int(row["code"])
            values = {name: (Decimal(row[name]) if row[name].strip() else None) for name in VALUES}
            name_en = row["name_en"].strip()
            foods.append(
                Food(
                    school=None,
                    code=str(code),
                    name_vi=row["name_vi"].strip(),
                    name_en="" if name_en == "-" else name_en,
                    group_vi=row["group_vi"].strip(),
                    group_en=row["group_en"].strip(),
                    state=row["state"].strip(),
                    allergens=default_allergens(code),
                    **values,
                )
            )
    Food.objects.bulk_create(foods, batch_size=200)
    fragments.schools_changed([fragments.EVERYONE])  # every school's menus show the table's foods
    return len(foods)
