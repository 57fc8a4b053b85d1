"""The staff's reads of a child's records: logged once an hour per area, and shown to the child's guardians."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from schools.models import ChildRead
from schools.services import child_read_log, child_reads_purge
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db


def reads_url(child) -> str:
    return f"/privacy/children/{child.pk}/reads/"


def vi(text: str) -> str:
    with translation.override("vi"):
        return gettext(text)


def test_a_teacher_opening_the_childs_contact_page_is_logged_once_an_hour(client, world):
    client.force_login(world.teacher)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    read = ChildRead.objects.get()
    assert (read.child, read.reader, read.area, read.reader_role) == (world.child, world.teacher, "contacts", "teacher")


def test_a_teacher_opening_the_portfolio_and_a_work_is_logged(client, world):
    work = work_make(child=world.child, by=world.teacher)
    client.force_login(world.teacher)
    assert client.get(f"/children/{world.child.pk}/portfolio/").status_code == 200
    assert ChildRead.objects.filter(child=world.child, reader=world.teacher, area="portfolio").count() == 1
    ChildRead.objects.all().delete()
    assert client.get(f"/w/{work.token}").status_code == 200
    assert ChildRead.objects.filter(child=world.child, reader=world.teacher, area="portfolio").count() == 1


@pytest.mark.parametrize("persona", ["parent", "family_viewer"])
def test_the_familys_own_reads_are_not_logged(client, world, persona):
    work = work_make(child=world.child, by=world.teacher)
    client.force_login(world.persona(persona))
    client.get(f"/children/{world.child.pk}/portfolio/")
    client.get(f"/w/{work.token}")
    client.get(f"/children/{world.child.pk}/")
    assert not ChildRead.objects.exists()


def test_the_service_writes_one_row_an_hour_for_staff_only(world):
    assert child_read_log(reader=world.principal, child=world.child, area="photos") == 1
    child_read_log(reader=world.principal, child=world.child, area="photos")
    assert child_read_log(reader=world.parent, child=world.child, area="photos") == 0
    assert ChildRead.objects.count() == 1


def test_the_guardian_sees_who_looked_and_when(client, world):
    client.force_login(world.teacher)
    client.get(f"/children/{world.child.pk}/")
    client.force_login(world.parent)
    html = client.get(reads_url(world.child)).content.decode()
    assert world.teacher.full_name in html
    assert vi("Teacher") in html
    assert vi("Contact details and pick-up persons") in html


@pytest.mark.parametrize("persona", ["other_parent", "family_viewer", "teacher", "principal", "foreign_parent"])
def test_anyone_but_a_current_guardian_gets_404(client, world, persona):
    client.force_login(world.persona(persona))
    assert client.get(reads_url(world.child)).status_code == 404


def test_the_family_card_links_to_the_page(client, world):
    client.force_login(world.parent)
    assert reads_url(world.child) in client.get("/family/").content.decode()
    client.force_login(world.family_viewer)
    assert reads_url(world.child) not in client.get("/family/").content.decode()


def _reads(n: int):
    def access_reads(*, child_ids):
        now = timezone.now()
        return [
            {
                "child_id": child_ids[0],
                "reader_id": None,
                "reader_name": f"Y tá {i}",
                "reader_role": "nurse",
                "at": now - datetime.timedelta(minutes=i),
                "area": "health",
            }
            for i in range(n)
        ]

    return access_reads


def test_the_page_costs_the_same_queries_with_one_row_and_with_many(client, world, monkeypatch):
    client.force_login(world.parent)
    child_read_log(reader=world.teacher, child=world.child, area="portfolio")
    monkeypatch.setattr("privacy.selectors_reads.reads_for", lambda child_ids: _reads(1)(child_ids=list(child_ids)))
    client.get(reads_url(world.child))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reads_url(world.child)).status_code == 200
    for area in ("photos", "contacts", "activities"):
        for reader in (world.principal, world.nurse, world.vice_principal):
            child_read_log(reader=reader, child=world.child, area=area)
    monkeypatch.setattr("privacy.selectors_reads.reads_for", lambda child_ids: _reads(12)(child_ids=list(child_ids)))
    with CaptureQueriesContext(connection) as many:
        html = client.get(reads_url(world.child)).content.decode()
    assert "Y tá 11" in html and world.principal.full_name in html
    assert len(one) == len(many), [q["sql"] for q in many]


def test_the_apps_logs_are_merged_newest_first(client, world, monkeypatch):
    ChildRead.objects.create(
        school=world.school,
        child=world.child,
        reader=world.teacher,
        reader_name="Cô Lan",
        reader_role="teacher",
        area="portfolio",
        at=timezone.now() - datetime.timedelta(hours=2),
        hour=timezone.now(),
    )
    monkeypatch.setattr("privacy.selectors_reads.reads_for", lambda child_ids: _reads(1)(child_ids=list(child_ids)))
    client.force_login(world.parent)
    html = client.get(reads_url(world.child)).content.decode()
    assert html.index("Y tá 0") < html.index("Cô Lan")


def test_the_purge_removes_rows_older_than_the_cutoff(world):
    now = timezone.now()
    old = ChildRead.objects.create(
        school=world.school,
        child=world.child,
        reader=world.teacher,
        area="portfolio",
        at=now - datetime.timedelta(days=800),
        hour=now - datetime.timedelta(days=800),
    )
    child_read_log(reader=world.teacher, child=world.child, area="portfolio")
    removed = child_reads_purge(school=world.school, cutoff=now - datetime.timedelta(days=730), now=now)
    assert removed == 1 and not ChildRead.objects.filter(pk=old.pk).exists() and ChildRead.objects.count() == 1
