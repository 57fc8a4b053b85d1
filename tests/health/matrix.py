"""Health and growth: the admin's health settings (merged into tests/test_authorization_matrix.py).

The pages' entries are in the tables of each part: matrix_grid.py (measuring day), matrix_record.py
(a child's record, chart and the read log), matrix_followup.py (check-ups, follow-up, summaries) and
matrix_exchange.py (the station's import and export).
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import SCOPED, Entry


def _settings(w: World):
    from health.models import HealthSettings

    return HealthSettings.objects.create(school=w.school)


MATRIX: dict[str, Entry | list[Entry]] = {}
ADMIN_MODELS: dict = {
    "health/healthsettings": (SCOPED, _settings),
}
