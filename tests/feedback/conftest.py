"""The feedback tests read the portal in English: messages are asserted in its words."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _read_in_english(request, settings):
    with translation.override("en"):
        if "client" in request.fixturenames:
            request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if "world" in request.fixturenames:
            from accounts.models import User

            request.getfixturevalue("world")
            User.objects.update(language="en")
        yield
