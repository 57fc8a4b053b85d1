"""With DEBUG=0 the settings are production's: secure cookies, HSTS, HTTPS redirect, a proxy trusted only when said.

The settings are read in a fresh process, with only the variables each test
gives: the suite itself runs with plain-HTTP settings (root conftest.py).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.coordination.processes import clean_env, run_python

NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECRET_KEY",
]


def settings_read(**env: str) -> dict:
    """The settings module as a process with exactly this environment reads it."""
    code = (
        f"import json, coordination.settings as s; print(json.dumps({{name: getattr(s, name) for name in {NAMES!r}}}))"
    )
    result = run_python(code, clean_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_defaults_with_debug_off():
    production = settings_read(DEBUG="0")

    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    # Health checks and Prometheus' scrapes ask over plain HTTP inside the compose network.
    assert production["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$", r"^metrics$"]
    # Nobody said a proxy sets X-Forwarded-Proto: the header is not believed.
    assert production["SECURE_PROXY_SSL_HEADER"] is None
    # And no key to sign with until one is given.
    assert production["SECRET_KEY"] == ""


def test_the_same_defaults_without_debug_set():
    assert settings_read() == settings_read(DEBUG="0")


def test_development_defaults_with_debug_on():
    development = settings_read(DEBUG="1")

    assert development["SESSION_COOKIE_SECURE"] is False
    assert development["SECURE_HSTS_SECONDS"] == 0
    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SECRET_KEY"] == "django-insecure-embedded-default-only-for-local-use"


def test_each_default_can_be_turned_off():
    """Behind a proxy that already redirects, or for a trial over plain HTTP."""
    relaxed = settings_read(DEBUG="0", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0")

    assert relaxed["SECURE_SSL_REDIRECT"] is False
    assert relaxed["SESSION_COOKIE_SECURE"] is False
    assert relaxed["CSRF_COOKIE_SECURE"] is False
    assert relaxed["SECURE_HSTS_SECONDS"] == 0
    assert relaxed["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False


def test_hsts_duration_comes_from_the_environment():
    assert settings_read(DEBUG="0", SECURE_HSTS_SECONDS="3600")["SECURE_HSTS_SECONDS"] == 3600


def test_proxy_header_is_honoured_only_when_a_trusted_proxy_sets_it():
    assert settings_read(DEBUG="0", TRUST_X_FORWARDED_PROTO="1")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


# --- What a browser gets with those settings ----------------------------------------------


@pytest.fixture
def production_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_but_healthz_is_not(production_http):
    client = Client()

    page = client.get("/accounts/login/")
    health = client.get("/healthz")

    assert page.status_code == 301
    assert page["Location"] == "https://testserver/accounts/login/"
    assert health.status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_proto_does_not_pass_for_https(production_http):
    response = Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 301


@pytest.mark.django_db
def test_a_trusted_proxy_forwarded_proto_is_https(production_http, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_client_address_comes_from_the_trusted_proxy_only(rf, settings):
    """allauth's limits per IP address count the client's, not nginx's; a client's own X-Forwarded-For is ignored."""
    from allauth.account.adapter import get_adapter

    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")

    assert get_adapter().get_client_ip(request) == "172.18.0.5"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert get_adapter().get_client_ip(request) == "203.0.113.7"


def test_proxy_count_is_read_from_the_environment():
    code = "import coordination.settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert run_python(code, clean_env(DEBUG="0", TRUSTED_PROXY_COUNT="1")).stdout.strip() == "1"
    assert run_python(code, clean_env(DEBUG="0")).stdout.strip() == "0"
