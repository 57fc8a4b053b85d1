"""Static files as production serves them without nginx (WhiteNoise): named by their content's hash,
cached for ever by the browser, and sent compressed; pages link to the hashed names."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

FOREVER = "max-age=315360000, public, immutable"


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    # The portal's own files only (the admin's and allauth's are served the same way, and slower to collect).
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_static_files_are_hashed_compressed_and_cached_for_ever(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed = manifest["js/offline.js"]
    assert re.fullmatch(r"js/offline\.[0-9a-f]{12}\.js", hashed)
    original = (collected / hashed).read_bytes()
    compressed = (collected / f"{hashed}.gz").read_bytes()
    assert gzip.decompress(compressed) == original and len(compressed) < len(original)

    client = Client()
    response = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, deflate, br", secure=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == FOREVER
    assert response["Content-Encoding"] == "gzip"
    assert b"".join(response.streaming_content) == compressed
    plain = client.get("/static/js/offline.js", secure=True)  # the unhashed name may change: a short while only
    assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]

    page = client.get("/", secure=True).content.decode()
    assert f'src="/static/{hashed}"' in page
    assert f'href="/static/{manifest["css/site.css"]}"' in page
