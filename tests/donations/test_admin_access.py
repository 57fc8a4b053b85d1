"""Who reaches the donations' admin: the school's principal, vice-principal and accountant.

The accountant is let into the admin for the donations only: their index lists nothing else, and
every other app's page refuses them. Teachers, nurses and parents never reach any of it. (Every page
and persona: tests/donations/matrix_admin.py.)
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core import checks

from donations.admin_base import DonationsAdmin

pytestmark = pytest.mark.django_db


def _index_models(client, user) -> set[str]:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return {
        f"{app['app_label']}/{model['object_name'].lower()}"
        for app in response.context["app_list"]
        for model in app["models"]
    }


def test_the_donations_admins_pass_the_scoping_checks():
    errors = [
        message
        for message in checks.run_checks(tags=[checks.Tags.admin])
        if message.is_serious() and message.obj.__module__.startswith("donations.")
    ]
    assert errors == []


def test_the_donations_model_admins_are_donations_admins():
    """A page of the principal's review that the accountant could not open, or one scoped to leaders only,
    would be a mistake."""
    registered = [ma for ma in admin.site._registry.values() if type(ma).__module__ == "donations.admin"]
    assert len(registered) >= 8
    assert all(isinstance(model_admin, DonationsAdmin) for model_admin in registered)


def test_the_accountants_admin_lists_the_donations_only(client, world):
    models = _index_models(client, world.accountant)
    assert "donations/contribution" in models and "donations/campaign" in models
    assert {model.split("/")[0] for model in models} == {"donations"}
    # The principal's admin has both.
    principal_models = _index_models(client, world.principal)
    assert models < principal_models
    assert "schools/child" in principal_models and "parents/guardianship" in principal_models


@pytest.mark.parametrize(
    "url",
    [
        "/admin/schools/child/",
        "/admin/parents/guardianship/",
        "/admin/mediafiles/mediafile/",
        "/admin/schools/child/add/",
        "/admin/accounts/user/",
        "/admin/schools/",
    ],
)
def test_the_accountant_is_refused_every_other_apps_page(client, world, url):
    client.force_login(world.accountant)
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert world.child.full_name not in response.content.decode()


def test_the_accountant_of_another_school_finds_nothing_here(client, world):
    from tests import factories as f
    from tests.donations import makers

    makers.donor(world, name="Công ty Sao Mai Xanh")
    other = f.StaffFactory(school=world.other_school, role="accountant").user
    client.force_login(other)
    page = client.get("/admin/donations/donor/").content.decode()
    assert "Công ty Sao Mai Xanh" not in page


@pytest.mark.parametrize("persona", ["teacher", "nurse", "parent", "officer", "deactivated_staff"])
def test_teachers_nurses_and_parents_never_reach_it(client, world, persona):
    client.force_login(getattr(world, persona))
    for url in ("/admin/", "/admin/donations/contribution/", "/admin/donations/contribution/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        assert client.get(response["Location"]).status_code == 403


def test_the_accountant_signs_in_to_the_donations(client, world):
    client.force_login(world.accountant)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert {"donations"} == {model.split("/")[0] for model in _index_models(client, world.accountant)}
