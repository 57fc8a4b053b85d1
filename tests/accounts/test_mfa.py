"""Two-factor sign-in: required of everyone who sees more than one class's children or any money.

With MFA_REQUIRED_ROLES at its production default, principals,
vice-principals, nurses, accountants, authority officers and superusers set up
an authenticator app before anything else. Teachers and families are not
forced, and may turn it on from their account pages.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import checks

from coordination.lib.env import env_list
from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SET_UP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def production_default(settings):
    settings.MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", settings.MFA_REQUIRED_ROLES_DEFAULT)


def vice_principal(world):
    return f.StaffFactory(school=world.school, role="vice_principal", user=f.UserFactory(is_staff=True)).user


PERSONAS_WHO_MUST = {
    "principal": lambda w: w.principal,
    "vice_principal": vice_principal,
    "nurse": lambda w: w.nurse,
    "accountant": lambda w: w.accountant,
    "authority_officer": lambda w: w.officer,
    "superuser": lambda w: f.UserFactory(is_staff=True, is_superuser=True),
}


@pytest.mark.parametrize("persona", PERSONAS_WHO_MUST)
def test_whoever_sees_more_than_a_class_must_set_up_an_authenticator(world, client, production_default, persona):
    client.force_login(PERSONAS_WHO_MUST[persona](world))
    for path in ["/", "/admin/", "/notifications/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SET_UP), path


@pytest.mark.parametrize("persona", PERSONAS_WHO_MUST)
def test_with_an_authenticator_they_go_on(world, client, production_default, persona):
    user = PERSONAS_WHO_MUST[persona](world)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    response = client.get("/notifications/")
    assert response.status_code == 200


def test_setting_up_stays_reachable_for_the_required(world, client, production_default):
    client.cookies["django_language"] = "en"
    client.post("/accounts/login/", {"login": world.nurse.email, "password": f.PASSWORD})
    response = client.get("/notifications/")
    assert response["Location"].startswith(SET_UP)
    # Setting up asks for the password once more (allauth's reauthentication),
    # and that page stays reachable.
    setup = client.get(response["Location"])
    assert setup["Location"].startswith("/accounts/reauthenticate/")
    page = client.get(setup["Location"])
    assert page.status_code == 200
    assert "two-factor sign-in" in page.content.decode()  # says why


def test_parents_and_teachers_are_not_forced(world, client, production_default):
    client.force_login(world.parent)
    assert client.get("/family/").status_code == 200
    client.force_login(world.teacher)
    assert client.get("/teacher/").status_code == 200


def test_a_teacher_finds_two_factor_sign_in_in_their_account_and_turns_it_on(world, client, production_default):
    client.cookies["django_language"] = "en"
    client.force_login(world.teacher)
    teacher_page = client.get("/teacher/").content.decode()
    assert 'href="/accounts/email/"' in teacher_page  # "Account", in the header of every page
    account = client.get("/accounts/email/").content.decode()
    assert 'href="/accounts/2fa/"' in account
    assert client.get("/accounts/2fa/").status_code == 200

    # Activating asks for the password again, then for a code from the app.
    response = client.get(SET_UP)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": f.PASSWORD})
    assert client.get(SET_UP).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(SET_UP, {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=world.teacher, type=Authenticator.Type.TOTP).exists()


def test_nobody_is_forced_in_the_demo(world, client, settings):
    settings.MFA_REQUIRED_ROLES = []  # what DEBUG=1 (`make run`) gives
    client.force_login(world.principal)
    assert client.get("/schools/sao-mai/manage/").status_code == 200


def _settings_under(env: dict) -> dict:
    code = "import json; from coordination import settings as s; print(json.dumps({'roles': s.MFA_REQUIRED_ROLES}))"
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "MFA_REQUIRED_ROLES")}
    environ["SECRET_KEY"] = "a-long-random-key-for-reading-the-settings-only-" + "x" * 20
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environ, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_production_default_names_every_role_that_sees_more_than_a_class():
    roles = _settings_under({"DEBUG": "0"})["roles"]
    assert set(roles) == {"principal", "vice_principal", "nurse", "accountant", "authority_officer", "superuser"}
    assert "teacher" not in roles
    assert _settings_under({"DEBUG": "1"})["roles"] == []


def test_superusers_need_it_in_production_whatever_the_variable_says():
    assert _settings_under({"DEBUG": "0", "MFA_REQUIRED_ROLES": "principal"})["roles"] == ["principal", "superuser"]
    assert _settings_under({"DEBUG": "0", "MFA_REQUIRED_ROLES": ""})["roles"] == ["superuser"]


def test_a_mistyped_role_is_an_error_not_a_quiet_gap(settings):
    settings.MFA_REQUIRED_ROLES = ["principal", "vice-principal"]
    errors = [e for e in checks.run_checks() if e.id == "accounts.E001"]
    assert errors and "vice-principal" in errors[0].msg
