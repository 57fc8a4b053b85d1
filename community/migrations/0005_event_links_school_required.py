"""Every link of an event to a class and of a photo to a child carries its school (filled by 0004): the
column becomes required, in a migration of its own (see schools 0012)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_event_links_school"),
    ]

    operations = [
        migrations.AlterField(
            model_name="eventclassroom",
            name="school",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"),
        ),
        migrations.AlterField(
            model_name="eventphotochild",
            name="school",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"),
        ),
    ]
