"""Who looked at a child's records: the guardian's page (merged into tests/test_authorization_matrix.py).

The child's current guardians only: not the family viewer, not the staff, nobody else.
"""

from __future__ import annotations

from tests.matrix_kit import GUARDIAN_ONLY, Entry

MATRIX: dict[str, Entry | list[Entry]] = {
    "privacy/children/<int:child_id>/reads/": Entry(
        lambda w: f"/privacy/children/{w.child.pk}/reads/", GUARDIAN_ONLY, shows=lambda w: w.child.full_name
    ),
}
