"""Health and growth: the health station's import and export (merged into tests/test_authorization_matrix.py).

The import page, its template and a class's XLSX export are for Sao Mai's nurse and leaders only; every
other signed-in person gets a 404 and anonymous visitors are sent to sign in. Sending a file shows its
preview and saves nothing; confirming saves the previewed file (kept in the session) and only then.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.conftest import World
from tests.matrix_kit import Entry, expect

HEALTH_STAFF = expect(leaders=200, nurse=200)
IMPORT = "/health/schools/sao-mai/import/"
GOOD_ROW = "00001,15/10/2026,18.5,108.2,standing,,Y sĩ Lan,"


def _file(w: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = f"child code,date,weight,height,position,arm circumference,measured by,note\n{GOOD_ROW}\n"
    return {"file": SimpleUploadedFile("station.csv", text.encode("utf-8-sig"), content_type="text/csv")}


def _measurements(w: World):
    from health.models import Measurement

    return sorted(Measurement.objects.values_list("child_id", "measured_on", "weight_kg"))


def _confirm_data(w: World) -> dict:
    """A confirmation without a previewed file in the session: refused for everyone (nothing saved)."""
    return {"confirm": "1", "digest": "0" * 64}


def _measured(w: World):
    from health.services import measurement_record

    return measurement_record(
        by=w.nurse,
        child=w.child,
        measured_on=datetime.date(2026, 10, 1),
        weight_kg=Decimal("18.5"),
        height_cm=Decimal("108.2"),
        check_access=False,
    )[0]


def _reads(w: World):
    from health.models import HealthRead

    return HealthRead.objects.filter(page=HealthRead.Page.EXPORT).count()


MATRIX: dict[str, Entry | list[Entry]] = {
    "health/schools/<slug:slug>/import/": [
        Entry(IMPORT, HEALTH_STAFF, shows="Sao Mai"),
        Entry("/health/schools/hoa-sen/import/", expect(other_principal=200), shows="Hoa Sen"),
        Entry("/health/schools/no-such-school/import/", expect()),
        # Sending a file: its preview, with the child's name; nothing is saved by anyone.
        Entry(
            IMPORT,
            HEALTH_STAFF,
            method="post",
            data=_file,
            shows="Nguyễn Minh Khôi",
            effect=_measurements,
            changes_for=frozenset(),
        ),
        # Confirming with no preview kept: the health staff are sent back to the page, nothing saved.
        Entry(
            IMPORT,
            expect(leaders="redirect", nurse="redirect"),
            method="post",
            data=_confirm_data,
            effect=_measurements,
            changes_for=frozenset(),
        ),
    ],
    "health/schools/<slug:slug>/import/template.csv": [
        Entry(f"{IMPORT}template.csv", HEALTH_STAFF),
        Entry("/health/schools/hoa-sen/import/template.csv", expect(other_principal=200)),
    ],
    "health/classes/<int:classroom_id>/export.xlsx": [
        # Downloading logs one read per child exported: for the health staff only.
        Entry(
            lambda w: f"/health/classes/{w.classroom.pk}/export.xlsx",
            HEALTH_STAFF,
            setup=_measured,
            effect=_reads,
            changes_for=frozenset({"principal", "vice_principal", "nurse"}),
        ),
        Entry(lambda w: f"/health/classes/{w.foreign_classroom.pk}/export.xlsx", expect(other_principal=200)),
        Entry("/health/classes/999999/export.xlsx", expect()),
    ],
}
ADMIN_MODELS: dict = {}
