"""Every table of school data carries school_id, ready to be distributed by school (docs/scaling.md).

A model is school data unless coordination/lib/tenancy.py declares it a reference table (a small list
every school reads) or a person's table, with the reason.
"""

from __future__ import annotations

from django.apps import apps

from coordination.lib import tenancy


def _required_school(model) -> bool:
    field = next((f for f in model._meta.concrete_fields if f.name == "school"), None)
    return (
        field is not None
        and field.is_relation
        and field.related_model._meta.label == "schools.School"
        and not field.null
    )


def school_data_without_school(models, *, declared) -> list[str]:
    return sorted(
        model._meta.label
        for model in models
        if model._meta.label not in declared and tenancy.is_school_data(model) and not _required_school(model)
    )


def test_every_school_data_model_carries_a_required_school():
    models = apps.get_models(include_auto_created=True)
    missing = school_data_without_school(models, declared=tenancy.PENDING_SCHOOL)
    assert not missing, (
        f"give these models a required `school` or declare them in coordination/lib/tenancy.py: {missing}"
    )


def test_the_pending_list_only_shrinks():
    models = {model._meta.label: model for model in apps.get_models(include_auto_created=True)}
    done = sorted(label for label in tenancy.PENDING_SCHOOL if label in models and _required_school(models[label]))
    assert not done, f"these carry school_id now: take them off PENDING_SCHOOL: {done}"


def test_the_check_finds_a_model_without_its_school(monkeypatch):
    from donations.models import Campaign
    from notifications.models import Delivery, Notice

    # Without their declarations, a person's notices (school optional) and their deliveries are caught.
    declared = {**tenancy.PERSON_TABLES}
    del declared["notifications.Notice"], declared["notifications.Delivery"]
    monkeypatch.setattr(tenancy, "PERSON_TABLES", declared)
    assert school_data_without_school([Notice, Delivery, Campaign], declared={}) == [
        "notifications.Delivery",
        "notifications.Notice",
    ]


def test_every_declaration_names_an_installed_model():
    labels = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    declared = {**tenancy.REFERENCE_TABLES, **tenancy.PERSON_TABLES, **tenancy.PENDING_SCHOOL}
    stale = sorted(set(declared) - labels)
    assert not stale, f"these declarations name no installed model: {stale}"
    assert not set(tenancy.REFERENCE_TABLES) & set(tenancy.PERSON_TABLES)
