"""A child's health record: who sees it, what it shows and in which order, the read log, and its queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from health.models import HealthRead
from tests.conftest import session_cached
from tests.health.record_makers import (
    DAYS_ACROSS_60,
    attachment_make,
    checkups_make,
    measure,
    measure_many,
    note_write,
    reads_make,
)

pytestmark = pytest.mark.django_db

NOTE = "Bé ăn ngoan, cô theo dõi cân nặng cùng gia đình."


def url(child) -> str:
    return f"/health/children/{child.pk}/"


def english(client):
    client.cookies["django_language"] = "en"


def get(client, user, child):
    client.force_login(user)
    english(client)
    return client.get(url(child))


def across_60(world):
    for on, weight, height in DAYS_ACROSS_60:
        measure(world.child, world.nurse, on, weight, height)


# --- Who sees the record


@pytest.mark.parametrize("persona", ["parent", "teacher", "principal", "vice_principal", "nurse"])
def test_the_guardian_the_nurse_the_class_teacher_and_the_leaders_see_the_record(client, world, persona):
    across_60(world)
    response = get(client, getattr(world, persona), world.child)
    assert response.status_code == 200
    assert world.child.full_name in response.content.decode()
    assert "<svg" in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    [
        "family_viewer",
        "other_parent",
        "foreign_parent",
        "other_teacher",
        "foreign_teacher",
        "other_principal",
        "accountant",
        "deactivated_staff",
        "officer",
        "superuser",
    ],
)
def test_everyone_else_gets_a_404(client, world, persona):
    across_60(world)
    response = get(client, getattr(world, persona), world.child)
    assert response.status_code == 404
    assert not HealthRead.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, world):
    response = client.get(url(world.child))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_child_is_a_404(client, world):
    response = get(client, world.nurse, type(world.child)(pk=999999))
    assert response.status_code == 404


# --- What the page shows, in order


def test_the_nurses_note_comes_first_then_the_explanation_then_the_charts_then_the_table(client, world):
    across_60(world)
    note_write(world.child, world.nurse, "Một ghi chú cũ.")
    note_write(world.child, world.nurse, NOTE)
    page = get(client, world.parent, world.child).content.decode()
    positions = [
        page.index(NOTE),
        page.index("Each dot is a day"),
        page.index('id="chart-wfa"'),
        page.index('id="measurements"'),
        page.index('id="allergies"'),
        page.index('id="checkups"'),
        page.index('id="reads"'),
    ]
    assert positions == sorted(positions)
    assert "Một ghi chú cũ." not in page  # the latest note only
    assert "between the two lines marked −2 and +2" in page
    for word in ("malnourished", "malnutrition", "danger", "alarming"):
        assert word not in page.lower()


def test_a_child_below_minus_two_gets_the_gentle_words_and_never_alarming_ones(client, world):
    # Khôi, a girl of 58 months at 11.0 kg and 96 cm: well below −2 for weight and height.
    measure(world.child, world.nurse, datetime.date(2026, 3, 9), "11.0", "96.0")
    page = get(client, world.parent, world.child).content.decode()
    assert "below the −2 line" in page
    assert "the school nurse follows closely with your family" in page
    assert "You can talk to her" in page
    assert "malnourish" not in page.lower()
    assert "Severely underweight (suy dinh dưỡng thể nhẹ cân nặng)" in page  # the level words in the table
    assert "Stunted (thấp còi)" in page


def test_a_child_within_the_lines_gets_no_follow_up_words(client, world):
    across_60(world)
    page = get(client, world.parent, world.child).content.decode()
    assert "below the −2 line" not in page
    assert "the nurse follows this" not in page


def test_each_row_names_its_reference_and_both_show_when_the_points_cross_60_months(client, world):
    across_60(world)
    page = get(client, world.parent, world.child).content.decode()
    references = re.findall(r'<td class="health-reference">([^<]+)</td>', page)
    assert references == [
        "WHO Child Growth Standards 2006 (0–60 months)",
        "WHO Child Growth Standards 2006 (0–60 months)",
        "WHO Growth Reference 2007 (5–19 years)",
    ]
    # The chart marks the boundary and names both references.
    assert page.count('class="boundary"') == 3
    assert "WHO 2006</text>" in page and "WHO 2007</text>" in page


def test_the_table_shows_the_values_the_position_the_scores_and_who_measured(client, world):
    world.nurse.full_name = "Đỗ Thị Y Tá"
    world.nurse.save(update_fields=["full_name"])
    measure(world.child, world.nurse, datetime.date(2025, 10, 6), "16.0", "103.0")
    page = get(client, world.parent, world.child).content.decode()
    row = page[page.index('id="measurements"') :]
    assert "16,0 kg" in row and "103,0 cm" in row  # the project's formats use a decimal comma
    assert "Standing (height)" in row
    assert "Weight-for-age: −0,42 · Normal" in row
    assert "At school · Đỗ Thị Y Tá" in row


def test_allergies_dietary_needs_and_check_ups_are_listed(client, world):
    from health.models import Allergy, DietaryNeed

    Allergy.objects.create(school=world.school, child=world.child, allergen="shellfish", severity="severe", note="Tôm")
    DietaryNeed.objects.create(school=world.school, child=world.child, kind="no_pork")
    checkups_make(world.child, 1)
    page = get(client, world.teacher, world.child).content.decode()
    assert "Shellfish (shrimp, crab, clams)" in page and "Severe reaction (anaphylaxis)" in page and "Tôm" in page
    assert "No pork" in page
    assert "Trạm Y tế phường Thủy Nguyên" in page and "Răng sâu nhẹ 0" in page
    # A teacher sees the allergies but has nothing to edit them with.
    assert 'id="allergy-form"' not in page
    assert "/allergies/" not in page


def test_a_check_ups_attachments_are_listed_with_a_link_to_the_file_when_it_is_stored(client, world):
    checkup = checkups_make(world.child, 1)[0]
    stored = attachment_make(checkup, world.nurse, "Phiếu khám răng")
    attachment_make(checkup, world.nurse, "Đơn thuốc", stored=False)
    page = get(client, world.parent, world.child).content.decode()
    assert f'<a href="/media/{stored.media_id}/original">Phiếu khám răng</a>' in page
    assert "<li>Đơn thuốc</li>" in page


def test_a_record_without_measurements_says_so(client, world):
    page = get(client, world.parent, world.child).content.decode()
    assert "No measurement yet" in page
    assert '<svg class="growth-chart"' not in page


# --- The read log


def test_a_staff_read_is_logged_and_a_guardians_is_not(client, world):
    get(client, world.parent, world.child)
    assert not HealthRead.objects.exists()
    get(client, world.teacher, world.child)
    read = HealthRead.objects.get()
    assert (read.child, read.reader, read.page, read.reader_role) == (world.child, world.teacher, "record", "teacher")


def test_the_guardian_sees_who_looked_and_staff_do_not_see_the_list(client, world):
    world.teacher.full_name = "Cô Lan"
    world.teacher.save(update_fields=["full_name"])
    get(client, world.teacher, world.child)
    page = get(client, world.parent, world.child).content.decode()
    reads = page[page.index('id="reads"') :]
    assert "Who looked at this record" in reads
    assert "Cô Lan" in reads and "Teacher" in reads and "Health record" in reads
    assert "opened this health data 1 time" in reads
    assert 'id="reads"' not in get(client, world.nurse, world.child).content.decode()


def test_the_guardian_sees_at_most_50_reads_of_the_last_12_months_with_the_count(client, world):
    reads_make(world.child, world.nurse, 60)
    old = reads_make(world.child, world.nurse, 1)[0]
    HealthRead.objects.filter(pk=old.pk).update(read_at=old.read_at - datetime.timedelta(days=400))
    page = get(client, world.parent, world.child).content.decode()
    reads = page[page.index('id="reads"') :]
    assert "opened this health data 60 times" in reads
    assert "The latest 50 are listed." in reads
    assert reads.count("<tr><td>") == 50


# --- Queries and size


def _queries(client, user, child) -> int:
    client.force_login(user)
    english(client)
    client.get(url(child))  # the curves are computed once per process; the session is warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(child))
    assert response.status_code == 200
    return len(queries)


def _fill(world, child, count: int):
    measure_many(child, world.nurse, count)
    for checkup in checkups_make(child, count):
        attachment_make(checkup, world.nurse, f"Phiếu khám {checkup.on}")
    reads_make(child, world.nurse, count)
    note_write(child, world.nurse)
    from health.models import Allergy

    for allergen in ("milk", "egg", "fish")[:count]:
        Allergy.objects.create(school=child.school, child=child, allergen=allergen)


# The session (unless kept in the cache: REDIS_URL), the child, then one query per kind of thing shown
# (measurements, note, allergies, dietary needs, check-ups, attachments), the guardian's read log
# (count and rows) or the nurse's logged read; the account, roles, children and the bell's count come
# from the cache (coordination/lib/percache.py).
QUERIES = {"parent": 10 - session_cached(), "nurse": 9 - session_cached()}


@pytest.mark.parametrize("persona", ["parent", "nurse"])
def test_the_record_page_runs_a_fixed_number_of_queries(client, world, persona):
    user = getattr(world, persona)
    _fill(world, world.child, 1)
    few = _queries(client, user, world.child)
    _fill(world, world.sibling, 20)
    many = _queries(client, user, world.sibling)
    assert few == many == QUERIES[persona]


def test_the_record_page_stays_under_100_kb(client, world):
    _fill(world, world.child, 20)
    reads_make(world.child, world.nurse, 100)
    for user in (world.parent, world.nurse):
        response = get(client, user, world.child)
        assert len(response.content) < 100_000


# --- Links from the core's pages


def test_the_family_home_links_the_guardian_to_the_record_but_not_a_family_viewer(client, world):
    client.force_login(world.parent)
    page = client.get("/family/").content.decode()
    assert url(world.child) in page and url(world.sibling) in page
    client.force_login(world.family_viewer)
    page = client.get("/family/").content.decode()
    assert world.child.full_name in page  # she follows him…
    assert "/health/" not in page  # …but health data is not for followers


def test_the_child_page_links_the_guardian_and_the_staff_who_may_see_the_record(client, world):
    for user in (world.parent, world.teacher, world.nurse, world.principal):
        client.force_login(user)
        assert url(world.child) in client.get(f"/children/{world.child.pk}/").content.decode()
    client.force_login(world.accountant)
    response = client.get(f"/children/{world.child.pk}/")
    assert url(world.child) not in response.content.decode()
