"""The menus part's admin pages (school-scoped): a principal reviews the targets and meal fees and the
school's own foods. Menus are written on the portal's week editor, which checks what is typed."""

from django.contrib import admin

from community.models.menus import Food, MenuTargets
from schools.admin_base import SchoolScopedAdmin


@admin.register(MenuTargets)
class MenuTargetsAdmin(SchoolScopedAdmin):
    list_display = ["school", "band", "daily_fee", "updated_at"]
    list_filter = ["band"]
    list_select_related = ["school"]
    fields = [
        "school",
        "band",
        "daily_fee",
        "kcal_min",
        "kcal_max",
        "protein_min",
        "protein_max",
        "fat_min",
        "fat_max",
        "carbohydrate_min",
        "carbohydrate_max",
    ]


@admin.register(Food)
class SchoolFoodAdmin(SchoolScopedAdmin):
    """The school's own foods (the table's foods have no school: a superuser sees them, nobody edits them here)."""

    list_display = ["code", "name_vi", "school", "kcal", "protein_g", "fat_g", "carbohydrate_g"]
    search_fields = ["code", "name_vi"]
    list_select_related = ["school"]
    fields = [
        "school",
        "code",
        "name_vi",
        "inedible_pct",
        "kcal",
        "protein_g",
        "fat_g",
        "carbohydrate_g",
        "allergens",
    ]
