"""The core knows no feature: with every feature app removed, the project migrates, loads its part
of the demo and serves the core's pages to each role."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    assert not apps.is_installed("activities") and not apps.is_installed("announcements")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from schools.models import Child, Classroom

    khoi = Child.objects.get(full_name="Nguyễn Minh Khôi")
    la1 = Classroom.objects.get(school__slug="sao-mai", school_year__is_current=True, name="Lá 1")
    pages = {
        "parent@saomai.test": ["/family/", f"/children/{khoi.pk}/", f"/children/{khoi.pk}/pickup/"],
        "teacher@saomai.test": ["/teacher/", f"/classes/{la1.pk}/"],
        "principal@saomai.test": ["/schools/sao-mai/manage/", "/admin/"],
        "district@thuynguyen.test": ["/authorities/thuy-nguyen/"],
    }
    client = Client()
    for email, urls in pages.items():
        assert client.login(username=email, password="demo-pass-2026"), email
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (email, url, response.status_code)
            page = response.content.decode()
            assert "/activities/" not in page and "/announcements/" not in page, (email, url)
    for name in ("activities:feed", "announcements:announcement_list"):
        try:
            reverse(name, args=[1] if name.endswith("feed") else [])
        except NoReverseMatch:
            continue
        raise AssertionError(name + " should not exist without its app")
    print("core alone: ok")
    """
)


def test_the_core_runs_without_any_feature_app(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_core_only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'core.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "1",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert "core alone: ok" in result.stdout
