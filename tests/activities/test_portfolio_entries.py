"""What home activities give to a child's portfolio (activities/portfolio_entries.py): the answers the
teacher approved, as plain records, found by the portfolio by the module's name."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from activities.models import Answer
from activities.portfolio_entries import entries_for_child
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


def _answer(world, *, title="Gấp thuyền giấy", domain="aesthetic", sharing="approved", days_ago=1, note="Bé gấp!"):
    activity = activity_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], title=title, domain=domain
    )
    answer = answer_make(activity=activity, child=world.child, by=world.parent, note=note, sharing=sharing)
    Answer.objects.filter(pk=answer.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    answer.refresh_from_db()
    return answer


def test_only_the_approved_answers_of_the_child_newest_first(world):
    older = _answer(world, title="Đếm hạt đậu", domain="cognitive", days_ago=5, note="Đếm đến 20")
    newer = _answer(world, title="Gấp thuyền giấy", days_ago=1)
    _answer(world, title="Riêng tư", sharing="private")
    _answer(world, title="Đang chờ", sharing="offered")
    _answer(world, title="Không chia sẻ", sharing="declined")
    other = activity_make(school=world.school, by=world.teacher, classrooms=[world.other_classroom], title="Khác")
    answer_make(activity=other, child=world.other_class_child, by=world.other_parent, sharing="approved")

    entries = entries_for_child(child=world.child, start=None, end=None)

    assert [e.title for e in entries] == ["Gấp thuyền giấy", "Đếm hạt đậu"]
    first = entries[0]
    assert first.key == f"activities.answer:{newer.pk}"
    assert first.date == timezone.localdate(newer.created_at)
    assert first.domain_code == "aesthetic" and first.domain
    assert first.text == "Bé gấp!"
    assert first.media == [newer.media] and first.media_kind == "image"
    assert entries[1].text == "Đếm đến 20" and entries[1].key.endswith(str(older.pk))


def test_period_domain_and_limit(world):
    _answer(world, title="Cũ", days_ago=40)
    _answer(world, title="Mới", days_ago=2)
    _answer(world, title="Nói", domain="language", days_ago=3)
    today = timezone.localdate()

    recent = entries_for_child(child=world.child, start=today - datetime.timedelta(days=10), end=today)
    assert [e.title for e in recent] == ["Mới", "Nói"]
    assert [e.title for e in entries_for_child(child=world.child, end=today - datetime.timedelta(days=30))] == ["Cũ"]
    assert [e.title for e in entries_for_child(child=world.child, domain="language")] == ["Nói"]
    assert [e.title for e in entries_for_child(child=world.child, limit=1)] == ["Mới"]


def test_the_answer_page_and_file_depend_on_who_asks(world):
    answer = _answer(world)
    family = f"/children/{world.child.pk}/shared-answers/#answer-{answer.pk}"
    for person in (world.parent, world.family_viewer):
        (entry,) = entries_for_child(child=world.child, user=person)
        assert entry.url == family
        assert entry.media == [answer.media]
    (entry,) = entries_for_child(child=world.child, user=world.teacher)
    assert entry.url == f"/activities/{answer.activity_id}/participation/"
    assert entry.media == [answer.media]
    # The nurse sees the child's portfolio but not the families' answers' files (activities' resolver).
    (entry,) = entries_for_child(child=world.child, user=world.nurse)
    assert entry.url == "" and entry.media == [] and entry.media_kind == ""
    # The album's worker gets the files.
    (entry,) = entries_for_child(child=world.child)
    assert entry.media == [answer.media] and entry.url == ""


@pytest.mark.parametrize("count", [1, 6])
def test_one_query_for_any_number_of_answers(world, count):
    for n in range(count):
        _answer(world, title=f"Hoạt động {n}", days_ago=n + 1)
    user = world.parent
    entries_for_child(child=world.child, user=user)  # the person's children, read once per request
    with CaptureQueriesContext(connection) as queries:
        entries = entries_for_child(child=world.child, user=user)
    assert len(entries) == count
    assert len(queries) == 1


def test_found_by_its_name_without_importing_activities():
    autodiscover_modules("portfolio_entries")
    module = sys.modules["activities.portfolio_entries"]
    assert module.entries_for_child is entries_for_child
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "from portfolio" not in source and "import portfolio" not in source
