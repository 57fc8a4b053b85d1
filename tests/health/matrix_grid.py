"""Health and growth: measuring day's pages (merged into tests/test_authorization_matrix.py).

The nurse's landing is for the nurse and the leaders; a class's grid and its rows for them and the
class's own teacher. Everyone else gets the 404 of a class that does not exist.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import Entry, expect

# Another school's principal sees their own school's classes.
HEALTH_STAFF = expect(leaders=200, nurse=200, other_principal=200)
MEASURERS = expect(teacher=200, leaders=200, nurse=200)
MEASURERS_SAVED = expect(teacher="redirect", leaders="redirect", nurse="redirect")
ROW_GET = expect(teacher=405, leaders=405, nurse=405)


def _today() -> str:
    from schools.models import school_today

    return school_today().strftime("%d/%m/%Y")


def _measurements(w: World):
    from health.models import Measurement

    return sorted(Measurement.objects.values_list("child_id", "measured_on", "weight_kg", "height_cm"))


def _grid(w: World) -> str:
    return f"/health/classes/{w.classroom.pk}/measure/"


def _grid_fields(w: World) -> dict:
    pk = w.child.pk
    return {
        "on": _today(),
        f"weight_kg-{pk}": "17,5",
        f"height_cm-{pk}": "109,3",
        f"position-{pk}": "standing",
        f"muac_cm-{pk}": "",
    }


def _row(w: World) -> str:
    return f"/health/classes/{w.classroom.pk}/measure/{w.child.pk}/"


def _row_fields(w: World) -> dict:
    return {"on": _today(), "weight_kg": "17,5", "height_cm": "109,3", "position": "standing", "muac_cm": ""}


MATRIX: dict[str, Entry | list[Entry]] = {
    "health/": Entry(
        "/health/",
        HEALTH_STAFF,
        shows={"principal": "Lá 1", "vice_principal": "Lá 1", "nurse": "Lá 1", "other_principal": "Chồi A"},
    ),
    "health/classes/<int:classroom_id>/measure/": [
        Entry(_grid, MEASURERS, shows="Nguyễn Minh Khôi"),
        Entry(_grid, MEASURERS_SAVED, method="post", data=_grid_fields, effect=_measurements),
    ],
    "health/classes/<int:classroom_id>/measure/<int:child_id>/": [
        Entry(_row, ROW_GET),
        Entry(_row, MEASURERS, method="post", data=_row_fields, effect=_measurements),
    ],
}
ADMIN_MODELS: dict = {}
