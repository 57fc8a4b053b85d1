"""The school filled in by 0006 is required from now on (a migration of its own: PostgreSQL will not
alter a table whose rows were just updated in the same transaction while foreign keys are deferred)."""

import django.db.models.deletion
from django.db import migrations, models

ROWS = [
    "wishitem",
    "comment",
    "spending",
    "settlement",
    "contributionevent",
    "contributionevidence",
    "handover",
    "spendingevidence",
    "honourline",
    "donorinvitation",
]


class Migration(migrations.Migration):
    dependencies = [("donations", "0006_school_on_every_row")]

    operations = [
        migrations.AlterField(
            model_name=name,
            name="school",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"
            ),
        )
        for name in ROWS
    ]
