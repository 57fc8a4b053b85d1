"""Who may open a work's page, /w/<token> (merged into tests/test_authorization_matrix.py).

The work of Khôi (Lá 1): his guardian, the grandmother who follows him, his class's teacher, the
leaders and the nurse see it. The work of Huy, who left on 29/05/2026: his former guardian during the
school's 12 months after leaving, and no more after. A replaced code: only the child's guardian is
told (the "label replaced" page). An unknown code is the 404 of a code that does not exist, and a
visitor who is not signed in is sent to sign in for every well-formed code; a malformed code is a 404
for everyone.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import Entry, expect

TITLE = "Bức tranh gia đình của bé"
CHILD_WORK = expect(parent=200, family_viewer=200, teacher=200, leaders=200, nurse=200)
LEFT_CHILD_WORK = expect(former_parent=200, leaders=200, nurse=200)
LEFT_CHILD_WORK_AFTER = expect(leaders=200, nurse=200)


def _work(w: World, child=None):
    from portfolio.models import Work

    return Work.objects.create(
        school=w.school,
        child=child or w.child,
        classroom=w.classroom,
        title=TITLE,
        domain="aesthetic",
        made_on=datetime.date(2026, 5, 20),
        created_by=w.teacher,
    )


def _left_work(w: World):
    return _work(w, w.left_child)


def _left_work_after(w: World):
    """Huy's work, with Huy gone long enough for the family's period to have ended."""
    w.left_child.left_on = datetime.date(2024, 5, 29)
    w.left_child.save(update_fields=["left_on"])
    return _work(w, w.left_child)


def _replaced(w: World) -> str:
    from portfolio.services import work_code_replace

    work = _work(w)
    old = work.token
    work_code_replace(work=work, by=w.teacher)
    return old


def _unknown(w: World) -> str:
    from portfolio.models import new_token

    return new_token()


MATRIX: dict[str, Entry | list[Entry]] = {
    "w/<str:token>": [
        Entry(lambda w: f"/w/{w.made.token}", CHILD_WORK, shows=TITLE, setup=_work),
        Entry(lambda w: f"/w/{w.made.token}", LEFT_CHILD_WORK, shows=TITLE, setup=_left_work),
        Entry(lambda w: f"/w/{w.made.token}", LEFT_CHILD_WORK_AFTER, shows=TITLE, setup=_left_work_after),
        # The replaced code: the child's guardian is told, with a link to the work; nobody else.
        Entry(lambda w: f"/w/{w.made}", expect(parent=200), shows=TITLE, setup=_replaced),
        Entry(lambda w: f"/w/{w.made}", expect(), setup=_unknown),
        Entry("/w/not-a-code", expect(anonymous=404)),
        Entry(lambda w: f"/w/{w.made.token[:-1]}", expect(anonymous=404), setup=_work),
    ],
}
ADMIN_MODELS: dict = {}
