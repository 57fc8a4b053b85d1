"""The donations' tests call services directly and read their messages in English.

Pages are asked through the client, whose requests choose their language as the portal does
(Vietnamese unless the person chose otherwise); tests of pages compare with the portal's own
translation of a text.
"""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield
