"""Community: the app's URLs are declared per part (matrix_library, matrix_events, matrix_menus)."""

from __future__ import annotations

from tests.matrix_kit import Entry

MATRIX: dict[str, Entry | list[Entry]] = {}
ADMIN_MODELS: dict = {}
