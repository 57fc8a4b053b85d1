# The app's first migration: each part's models come in its own migrations after it.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("schools", "0009_kitchen_role"),
    ]

    operations: list = []
