"""Who may use the portfolio's URLs (merged into tests/test_authorization_matrix.py).

The admin's pages: a principal reviews the works of their own school (fixes a text, takes one down,
replaces codes) but adds none (works are recorded on the portal); replaced codes, openings, label
sheets and albums are records that nobody edits or deletes there. Another school's principal sees
the lists (empty for them) and is told that this school's object does not exist.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import READ_ONLY, SCOPED_NO_ADD, Entry

MATRIX: dict[str, Entry | list[Entry]] = {}

DAY = datetime.date(2026, 11, 20)


def _work(w: World):
    from tests.portfolio.printing_makers import work_make

    return work_make(child=w.child, by=w.teacher, title="Con thuyền giấy", made_on=DAY, photos=1)


def _revoked(w: World):
    from portfolio.models import RevokedToken

    work = _work(w)
    return RevokedToken.objects.create(school=w.school, work=work, token=work.token[::-1], revoked_by=w.teacher)


def _open(w: World):
    from portfolio.models import WorkOpen

    return WorkOpen.objects.create(school=w.school, work=_work(w), user=w.parent, by_family=True)


def _sheet(w: World):
    from portfolio.models import LabelSheet

    _work(w)
    return LabelSheet.objects.create(
        school=w.school, classroom=w.classroom, layout="70x42.3", date_from=DAY, date_to=DAY, requested_by=w.teacher
    )


def _album(w: World):
    from portfolio.models import Album

    _work(w)
    return Album.objects.create(school=w.school, child=w.child, scope="all", requested_by=w.parent)


ADMIN_MODELS: dict = {
    "portfolio/work": (SCOPED_NO_ADD, _work),
    "portfolio/revokedtoken": (READ_ONLY, _revoked),
    "portfolio/workopen": (READ_ONLY, _open),
    "portfolio/labelsheet": (READ_ONLY, _sheet),
    "portfolio/album": (READ_ONLY, _album),
}
