"""Every table of school data carries school_id (docs/scaling.md): the rows reached through a campaign,
a contribution, a spending, an honour roll or a donor get their parent row's school."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# model -> (parent field, parent model), parents before their children.
ROWS = {
    "wishitem": ("campaign", "campaign"),
    "comment": ("campaign", "campaign"),
    "spending": ("campaign", "campaign"),
    "settlement": ("campaign", "campaign"),
    "contributionevent": ("contribution", "contribution"),
    "contributionevidence": ("contribution", "contribution"),
    "handover": ("contribution", "contribution"),
    "spendingevidence": ("spending", "spending"),
    "honourline": ("roll", "honourroll"),
    "donorinvitation": ("donor", "donor"),
}


def fill(apps, schema_editor):
    for name, (field, parent) in ROWS.items():
        model = apps.get_model("donations", name)
        parents = apps.get_model("donations", parent).objects.filter(pk=OuterRef(f"{field}_id"))
        model.objects.filter(school__isnull=True).update(school_id=Subquery(parents.values("school_id")[:1]))


def school(null):
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="schools.school",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0005_contribution_public_list"),
        ("schools", "0010_child_read"),
    ]

    operations = [
        *(migrations.AddField(model_name=name, name="school", field=school(True)) for name in ROWS),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
