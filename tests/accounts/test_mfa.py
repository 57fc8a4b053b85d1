import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_principal_must_set_up_an_authenticator_when_required(world, client, settings):
    settings.MFA_REQUIRED_ROLES = ["principal", "vice_principal", "accountant"]
    client.post("/accounts/login/", {"login": world.principal.email, "password": f.PASSWORD})
    response = client.get("/schools/sao-mai/manage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get("/admin/").status_code == 302
    # Setting up asks for the password once more (allauth's reauthentication),
    # and that page stays reachable.
    setup = client.get(response["Location"])
    assert setup["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(setup["Location"]).status_code == 200


def test_parents_and_teachers_are_not_forced(world, client, settings):
    settings.MFA_REQUIRED_ROLES = ["principal", "vice_principal", "accountant"]
    client.force_login(world.parent)
    assert client.get("/family/").status_code == 200
    client.force_login(world.teacher)
    assert client.get("/teacher/").status_code == 200


def test_principal_with_totp_passes(world, client, settings):
    from allauth.mfa.models import Authenticator

    settings.MFA_REQUIRED_ROLES = ["principal"]
    Authenticator.objects.create(user=world.principal, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(world.principal)
    assert client.get("/schools/sao-mai/manage/").status_code == 200


def test_demo_default_does_not_require_mfa(world, client):
    client.force_login(world.principal)
    assert client.get("/schools/sao-mai/manage/").status_code == 200
