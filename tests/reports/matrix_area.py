"""The authorities' dashboard (merged into tests/test_authorization_matrix.py).

A ward's dashboard is its officer's and its province's officer's; a province's is its provincial officer's
only. The officer of a ward in another province, staff, families and viewers get the 404 of an authority
that does not exist; anonymous people are sent to sign in.
"""

from __future__ import annotations

from tests.matrix_kit import Entry, expect

MATRIX = {
    "reports/area/<slug:slug>/": [
        Entry("/reports/area/thuy-nguyen/", expect(officers=200, superuser=200), shows="Phường Thủy Nguyên"),
        Entry("/reports/area/thuy-nguyen/?period=2026-t1", expect(officers=200, superuser=200), shows="Thủy Nguyên"),
        Entry("/reports/area/hai-phong/?period=2026", expect(province_officer=200, superuser=200), shows="Hải Phòng"),
        Entry("/reports/area/hoan-kiem/", expect(foreign_officer=200, superuser=200), shows="Hoàn Kiếm"),
    ],
}
