"""Every class of a teacher carries its school (filled by 0011): the column becomes required.

A migration of its own: on PostgreSQL the rows changed by 0011 leave deferred foreign-key checks
that forbid altering the table in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0011_staffmembership_classroom_school"),
    ]

    operations = [
        migrations.AlterField(
            model_name="staffmembershipclassroom",
            name="school",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"),
        ),
    ]
