"""The privacy demo step (checked from tests/test_demo.py, on the seeded demo): parent@saomai.test's request
acknowledged and in progress, the family's copy ready to download, formerparent@saomai.test's child with the
day its data goes, a closed breach record at Sao Mai."""

from __future__ import annotations

import zipfile

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext

from privacy.models import Breach, Export, PrivacyRequest, RequestStatus


def check_the_demo_privacy(client) -> None:
    users = get_user_model().objects
    parent = users.get(email="parent@saomai.test")
    request = PrivacyRequest.objects.get(requester=parent)
    assert request.status == RequestStatus.ACKNOWLEDGED and request.acknowledged_at is not None

    export = Export.objects.get(user=parent, status=Export.Status.READY)
    with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
    assert "index.html" in names and any(name.startswith("data/portfolio/") for name in names)
    client.force_login(parent)
    assert client.get(f"/privacy/exports/{export.token}/download/").status_code == 200

    client.force_login(users.get(email="formerparent@saomai.test"))
    page = client.get("/privacy/my/").content.decode()
    assert "data-retention=" in page and "Vương Gia Huy" in page

    breach = Breach.objects.get(school__slug="sao-mai")
    assert breach.status == Breach.Status.CLOSED and breach.events.count() == 4
    client.force_login(users.get(email="principal@saomai.test"))
    page = client.get("/privacy/schools/sao-mai/requests/").content.decode()
    with translation.override("vi"):
        assert gettext("Open requests") in page and f'data-request="{request.pk}"' in page
