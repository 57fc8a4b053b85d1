"""The accounts linked to a school: the only ones its leaders can name in the admin."""

import pytest

from schools import linked_accounts
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_school_is_linked_to_its_active_staff_and_its_childrens_guardians_and_viewers(world):
    linked = set(linked_accounts.linked_accounts(school_ids=[world.school.pk]))
    assert linked == {
        world.parent,
        world.other_parent,
        world.family_viewer,
        world.teacher,
        world.other_teacher,
        world.principal,
        world.vice_principal,
        world.nurse,
        world.accountant,
        world.kitchen,
    }
    # Not: the family of a child who left, a former teacher, another school's people, officers, superusers.
    assert set(linked_accounts.linked_accounts(school_ids=[world.other_school.pk])) == {
        world.foreign_parent,
        world.foreign_teacher,
        world.other_principal,
    }


def test_a_deactivated_account_is_linked_to_no_school(world):
    world.parent.is_active = False
    world.parent.save(update_fields=["is_active"])
    assert world.parent not in linked_accounts.linked_accounts(school_ids=[world.school.pk])


def test_a_feature_links_its_own_accounts_and_the_admin_offers_them(world, client, monkeypatch):
    """A feature (donations, say) registers its source; its accounts become choices in the school's forms."""
    donor = f.UserFactory(full_name="Nhà Hảo Tâm", email="donor@example.test")
    monkeypatch.setattr(linked_accounts, "_sources", dict(linked_accounts._sources))
    client.force_login(world.principal)
    search = {"app_label": "schools", "model_name": "staffmembership", "field_name": "user", "term": "donor"}
    assert client.get("/admin/autocomplete/", search).json()["results"] == []

    linked_accounts.register("donors", lambda school_ids: type(donor).objects.filter(pk=donor.pk).values("pk"))
    assert [r["text"] for r in client.get("/admin/autocomplete/", search).json()["results"]] == ["Nhà Hảo Tâm"]
    assert donor not in linked_accounts.linked_accounts(school_ids=[])
