"""Who may use the portfolio's timeline URLs (merged into tests/test_authorization_matrix.py).

A child's portfolio is for the child's guardians and the family viewers they invited (read-only),
and the staff who may see the child (the class's teachers, the school's leaders, the nurse). The
guardian of a child who left keeps it during the after-leaving period (the former parent's Huy left
on 29/05/2026; Sao Mai keeps the portfolio 12 months); the school's leaders and nurse still see a
child who left (schools.policies.staff_can_view_child). Everyone else gets the 404 of something that
does not exist; a visitor who is not signed in is sent to sign in.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import Entry, expect

PORTFOLIO_VIEWERS = expect(parent=200, family_viewer=200, teacher=200, leaders=200, nurse=200)
LEFT_CHILD_VIEWERS = expect(former_parent=200, leaders=200, nurse=200)
TITLE = "Bức tranh gia đình của em"


def _work(child_attr: str):
    def make(w: World):
        from portfolio.models import Work

        return Work.objects.create(
            school=w.school,
            child=getattr(w, child_attr),
            classroom=w.classroom,
            title=TITLE,
            domain="aesthetic",
            made_on=datetime.date(2026, 11, 20),
            created_by=w.teacher,
        )

    return make


MATRIX: dict[str, Entry | list[Entry]] = {
    "children/<int:child_id>/portfolio/": [
        Entry(lambda w: f"/children/{w.child.pk}/portfolio/", PORTFOLIO_VIEWERS, shows=TITLE, setup=_work("child")),
        Entry(
            lambda w: f"/children/{w.child.pk}/portfolio/?domain=aesthetic&page=2",
            PORTFOLIO_VIEWERS,
            shows=lambda w: w.child.full_name,
        ),
        Entry(
            lambda w: f"/children/{w.left_child.pk}/portfolio/",
            LEFT_CHILD_VIEWERS,
            shows=TITLE,
            setup=_work("left_child"),
        ),
        Entry("/children/999999/portfolio/", expect()),
    ],
}
ADMIN_MODELS: dict = {}
