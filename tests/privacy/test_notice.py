"""The privacy notice is generated from the declarations: every declared record shows, with its purpose,
legal ground, recipients and retention, in Vietnamese and in English; anyone may read it."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from privacy.declarations import declarations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_notice_lists_every_declaration_in_the_readers_language(client, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/privacy/")
    page = response.content.decode()
    assert response.status_code == 200
    found = declarations()
    assert found, "no app declares its personal data"
    with translation.override(language):
        for declaration in found:
            assert f'data-model="{declaration.model_label}"' in page
            for text in (declaration.holds, declaration.purpose, declaration.retention, declaration.ground_label):
                assert escape(str(text)) in page, (declaration.model_label, str(text))
