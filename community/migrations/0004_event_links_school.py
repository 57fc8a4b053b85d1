"""The classes an event is for and the children shown on an event photo get explicit link models that
carry the school (filled from the event and the photo), so that both link tables can be distributed by
school_id like the rest of the school's data.

The tables stay where they are, with their rows: the models are declared on the existing tables (state
only), then the column is added and filled; 0005 makes it required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    for link, owner_model, owner_column in (
        ("EventClassroom", "Event", "event_id"),
        ("EventPhotoChild", "EventPhoto", "eventphoto_id"),
    ):
        Link = apps.get_model("community", link)
        Owner = apps.get_model("community", owner_model)
        owner = Owner.objects.filter(pk=OuterRef(owner_column)).values("school_id")[:1]
        Link.objects.filter(school__isnull=True).update(school_id=Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_loans_kept_without_family"),
        ("schools", "0012_staffmembership_classroom_school_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EventClassroom",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="community.event"
                            ),
                        ),
                        (
                            "classroom",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.classroom"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "class of an event",
                        "verbose_name_plural": "classes of events",
                        "db_table": "community_event_classrooms",
                        "unique_together": {("event", "classroom")},
                    },
                ),
                migrations.AlterField(
                    model_name="event",
                    name="classrooms",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="community.EventClassroom",
                        to="schools.classroom",
                        verbose_name="classes invited",
                    ),
                ),
                migrations.CreateModel(
                    name="EventPhotoChild",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "eventphoto",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="community.eventphoto",
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.child"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "child on an event photo",
                        "verbose_name_plural": "children on event photos",
                        "db_table": "community_eventphoto_children",
                        "unique_together": {("eventphoto", "child")},
                    },
                ),
                migrations.AlterField(
                    model_name="eventphoto",
                    name="children",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="community.EventPhotoChild",
                        to="schools.child",
                        verbose_name="children in the photo",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="eventclassroom",
            name="school",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"
            ),
        ),
        migrations.AddField(
            model_name="eventphotochild",
            name="school",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
    ]
