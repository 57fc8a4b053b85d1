"""The classes a teacher teaches get an explicit link model that carries the school (filled from the
membership), so that the link table can be distributed by school_id like the rest of the school's data.

The table stays where it is, with its rows: the model is declared on the existing table (state only),
then the column is added and filled; 0012 makes it required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    Link = apps.get_model("schools", "StaffMembershipClassroom")
    StaffMembership = apps.get_model("schools", "StaffMembership")
    owner = StaffMembership.objects.filter(pk=OuterRef("staffmembership_id")).values("school_id")[:1]
    Link.objects.filter(school__isnull=True).update(school_id=Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0010_child_read"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StaffMembershipClassroom",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "staffmembership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="schools.staffmembership",
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
                        "verbose_name": "class of a teacher",
                        "verbose_name_plural": "classes of teachers",
                        "db_table": "schools_staffmembership_classrooms",
                        "unique_together": {("staffmembership", "classroom")},
                    },
                ),
                migrations.AlterField(
                    model_name="staffmembership",
                    name="classrooms",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="teachers",
                        through="schools.StaffMembershipClassroom",
                        to="schools.classroom",
                        verbose_name="classes",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="staffmembershipclassroom",
            name="school",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school"
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
    ]
