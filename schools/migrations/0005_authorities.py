"""Districts become authorities as they are since 1 July 2025.

Vietnam abolished the district level: a kindergarten is licensed by a commune, ward or special zone,
inside a province. Each district becomes a commune-level authority of the same name and slug, in a
province made from the district's province field (an authority named after the district when it
had none), marked for a superuser to check; district officers become officers of that authority
and keep seeing the same schools.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def _free_slug(Authority, wanted: str) -> str:
    base = (wanted or "authority")[:70]
    slug, n = base, 1
    while Authority.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def districts_to_authorities(apps, schema_editor):
    District = apps.get_model("schools", "District")
    DistrictOfficer = apps.get_model("schools", "DistrictOfficer")
    Authority = apps.get_model("schools", "Authority")
    AuthorityOfficer = apps.get_model("schools", "AuthorityOfficer")
    School = apps.get_model("schools", "School")

    provinces = {}
    communes = {}
    for district in District.objects.order_by("pk"):
        province = None
        name = (district.province or "").strip()
        if name:
            province = provinces.get(name.casefold())
            if province is None:
                province = Authority.objects.create(
                    name=name,
                    slug=_free_slug(Authority, slugify(name, allow_unicode=False)),
                    level="province",
                    needs_review=True,
                )
                provinces[name.casefold()] = province
        communes[district.pk] = Authority.objects.create(
            name=district.name,
            slug=_free_slug(Authority, district.slug),
            level="commune",
            province=province,
            needs_review=True,
        )
    for officer in DistrictOfficer.objects.all():
        AuthorityOfficer.objects.get_or_create(
            authority=communes[officer.district_id], user_id=officer.user_id, defaults={"title": officer.title}
        )
    for district_id, authority in communes.items():
        School.objects.filter(district_id=district_id).update(authority=authority)


def authorities_to_districts(apps, schema_editor):
    """Back to districts: each commune-level authority becomes a district again."""
    District = apps.get_model("schools", "District")
    DistrictOfficer = apps.get_model("schools", "DistrictOfficer")
    Authority = apps.get_model("schools", "Authority")
    AuthorityOfficer = apps.get_model("schools", "AuthorityOfficer")
    School = apps.get_model("schools", "School")
    districts = {}
    for authority in Authority.objects.filter(level="commune").select_related("province"):
        districts[authority.pk] = District.objects.create(
            name=authority.name,
            slug=authority.slug,
            province=authority.province.name if authority.province_id else "",
        )
    for officer in AuthorityOfficer.objects.filter(authority__level="commune"):
        DistrictOfficer.objects.get_or_create(
            district=districts[officer.authority_id], user_id=officer.user_id, defaults={"title": officer.title}
        )
    for authority_id, district in districts.items():
        School.objects.filter(authority_id=authority_id).update(district=district)


class Migration(migrations.Migration):

    dependencies = [
        ("schools", "0004_announcements_move_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Authority",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "Province or centrally run city"),
                            ("commune", "Commune, ward or special zone"),
                        ],
                        max_length=10,
                        verbose_name="level",
                    ),
                ),
                (
                    "needs_review",
                    models.BooleanField(
                        default=False,
                        help_text="Made automatically from a former district: check its name, level and province.",
                        verbose_name="to be checked",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        blank=True,
                        help_text="The province or city that a commune, ward or special zone belongs to.",
                        limit_choices_to={"level": "province"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="communes",
                        to="schools.authority",
                        verbose_name="province",
                    ),
                ),
            ],
            options={
                "verbose_name": "authority",
                "verbose_name_plural": "authorities",
                "ordering": ["name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("level", "province"), _negated=True)
                        | models.Q(("province__isnull", True)),
                        name="a_province_belongs_to_no_province",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("level", "province"), ("province__isnull", False), ("needs_review", True), _connector="OR"),
                        name="a_commune_belongs_to_a_province",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AuthorityOfficer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(blank=True, max_length=150, verbose_name="title")),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="officers",
                        to="schools.authority",
                        verbose_name="authority",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="authority_posts",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "authority officer",
                "verbose_name_plural": "authority officers",
                "constraints": [models.UniqueConstraint(fields=("authority", "user"), name="unique_authority_officer")],
            },
        ),
        migrations.AddField(
            model_name="school",
            name="authority",
            field=models.ForeignKey(
                null=True,
                limit_choices_to={"level": "commune"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="schools",
                to="schools.authority",
                verbose_name="commune, ward or special zone",
            ),
        ),
        migrations.AlterField(
            model_name="school",
            name="district",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="schools", to="schools.district"
            ),
        ),
        migrations.RunPython(districts_to_authorities, authorities_to_districts),
        migrations.AlterField(
            model_name="school",
            name="authority",
            field=models.ForeignKey(
                limit_choices_to={"level": "commune"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="schools",
                to="schools.authority",
                verbose_name="commune, ward or special zone",
            ),
        ),
        migrations.RemoveField(model_name="school", name="district"),
        migrations.DeleteModel(name="DistrictOfficer"),
        migrations.DeleteModel(name="District"),
    ]
