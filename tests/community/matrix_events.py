"""Community, events: URLs (merged into tests/test_authorization_matrix.py)."""

from __future__ import annotations

from tests.matrix_kit import Entry

MATRIX: dict[str, Entry | list[Entry]] = {}
ADMIN_MODELS: dict = {}
