"""Every HTML page carries the Content-Security-Policy: the portal's, allauth's and the admin's.

(tests/browser/test_csp.py shows what a browser does with it.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.test import Client

from notifications.models import Notice
from tests import factories as f
from tests.coordination.processes import clean_env, run_python

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "media-src 'self' blob: data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; worker-src 'self'"
)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_portal_policy(response) -> None:
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


@pytest.mark.django_db
def test_a_portal_page_has_the_policy(client, world):
    client.force_login(world.parent)

    response = client.get("/family/")

    assert response.status_code == 200
    assert_portal_policy(response)


@pytest.mark.django_db
def test_an_allauth_page_has_the_policy(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert_portal_policy(response)


@pytest.mark.django_db
def test_an_admin_page_has_the_policy(client, world):
    client.force_login(world.principal)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert_portal_policy(response)


@pytest.mark.django_db
def test_report_only_mode_reports_instead_of_blocking(client, settings):
    # What CSP_REPORT_ONLY=1 makes of the settings (test_switches_read_from_the_environment).
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None

    response = client.get("/accounts/login/")

    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"]) == directives(POLICY)


def policies_read(**env: str) -> dict:
    code = (
        "import json, coordination.settings as s; "
        "print(json.dumps([s.CONTENT_SECURITY_POLICY, s.CONTENT_SECURITY_POLICY_REPORT_ONLY]))"
    )
    result = run_python(code, clean_env(DEBUG="0", **env))
    assert result.returncode == 0, result.stderr
    enforced, report_only = json.loads(result.stdout)
    return {"enforced": enforced, "report_only": report_only}


def test_switches_read_from_the_environment():
    default = policies_read()
    report_only = policies_read(CSP_REPORT_ONLY="1", CSP_REPORT_URI="https://reports.example.org/csp")

    assert default["report_only"] is None
    assert default["enforced"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert report_only["enforced"] is None
    assert report_only["report_only"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert report_only["report_only"]["DIRECTIVES"]["report-uri"] == ["https://reports.example.org/csp"]


def test_photos_and_videos_may_come_from_the_object_storage():
    """Downloads redirect to signed links on the storage host, as the browser reaches it."""
    policy = policies_read(
        S3_BUCKET="media",
        S3_ENDPOINT_URL="http://minio:9000",
        S3_PUBLIC_ENDPOINT_URL="https://portal.example.org:9443",
    )["enforced"]["DIRECTIVES"]

    assert policy["img-src"] == ["'self'", "blob:", "data:", "https://portal.example.org:9443"]
    assert policy["media-src"] == ["'self'", "blob:", "data:", "https://portal.example.org:9443"]
    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_admin_list_without_actions_has_no_inline_style(client, world, monkeypatch):
    """Django's change list writes a <style> block when a list has no actions; ours links a stylesheet."""
    model_admin = admin.site._registry[Notice]
    monkeypatch.setattr(model_admin, "actions_on_top", False)
    monkeypatch.setattr(model_admin, "actions_on_bottom", False)
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/notifications/notice/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert "css/admin-changelist-without-actions.css" in html


# --- The sources: no inline script or style in what the portal renders -------------------

ROOT = Path(django_settings.BASE_DIR)
# E-mails are not web pages: mail programs need their inline styles. The index of a family's copy of its
# data is opened from a folder on the family's own device, never served by the portal: one file, its style inside.
NOT_WEB_PAGES = ("templates/notifications/email/", "templates/privacy/export_index.html")
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "an event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
    "a style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "a <style> block": re.compile(r"<style[\s>]", re.I),
}


def web_sources() -> list[Path]:
    paths = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html"), *ROOT.glob("static/**/*.js")]
    return [p for p in paths if ".venv" not in p.parts and not str(p.relative_to(ROOT)).startswith(NOT_WEB_PAGES)]


def test_templates_and_scripts_have_no_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in web_sources()
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]

    assert web_sources(), "no template found"
    assert found == []


@pytest.mark.django_db
def test_a_refused_form_gets_a_page_that_keeps_to_the_policy():
    """Django's own CSRF failure page has an inline style block; the portal's has none."""
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "someone@example.test", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "<style" not in html
    assert "css/site.css" in html
    assert_portal_policy(response)
