"""Loads the FAO/WHO Vietnamese Food Composition Table 2007 into Food, with no school (community/food_table.py
says how: unknown values stay NULL, allergen groups by food group and a reviewed list)."""

from django.db import migrations


def load(apps, schema_editor):
    from community.food_table import food_table_load

    food_table_load(apps.get_model("community", "Food"))


def unload(apps, schema_editor):
    apps.get_model("community", "Food").objects.filter(school__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
