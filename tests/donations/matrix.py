"""Who may use the donations' URLs and admin pages (merged into tests/test_authorization_matrix.py)."""

from __future__ import annotations

from tests.conftest import World
from tests.donations.matrix_admin import MANAGED
from tests.matrix_kit import Entry


def _donor(w: World):
    from donations.models import Donor

    return Donor.objects.create(school=w.school, kind="business", name="Công ty TNHH Bánh Mì Vàng", email="a@b.test")


MATRIX: dict[str, Entry | list[Entry]] = {}
# The donors: the school's principal, vice-principal and accountant in the admin (contact details only
# for the principal and the accountant: test_donors.py).
ADMIN_MODELS: dict = {"donations/donor": (MANAGED, _donor)}
