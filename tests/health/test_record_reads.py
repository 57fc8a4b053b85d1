"""The principal's log of staff reads of children's health records: /health/schools/<slug>/reads/."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from health.models import HealthRead
from tests.health.record_makers import reads_make

pytestmark = pytest.mark.django_db

URL = "/health/schools/sao-mai/reads/"


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"


def names(world):
    world.nurse.full_name = "Đỗ Thị Y Tá"
    world.nurse.save(update_fields=["full_name"])
    world.teacher.full_name = "Cô Lan"
    world.teacher.save(update_fields=["full_name"])


def test_the_record_page_reads_show_in_the_principals_log_newest_first(client, world):
    names(world)
    login(client, world.nurse)
    client.get(f"/health/children/{world.other_class_child.pk}/")
    HealthRead.objects.update(read_at=timezone.now() - datetime.timedelta(hours=1))
    login(client, world.teacher)
    client.get(f"/health/children/{world.child.pk}/")
    login(client, world.principal)
    page = client.get(URL).content.decode()
    assert page.index("Cô Lan") < page.index("Đỗ Thị Y Tá")  # newest first
    assert "Nguyễn Minh Khôi" in page and "Phạm Khánh Linh" in page
    assert "Teacher" in page and "Nurse" in page and "Health record" in page
    assert "2 reads." in page


def test_the_log_filters_by_child_and_by_reader(client, world):
    names(world)
    reads_make(world.child, world.nurse, 2)
    reads_make(world.other_class_child, world.teacher, 3)
    login(client, world.vice_principal)
    by_child = client.get(URL, {"child": world.other_class_child.pk}).content.decode()
    assert "3 reads." in by_child and "<td>Đỗ Thị Y Tá</td>" not in by_child
    by_reader = client.get(URL, {"reader": world.nurse.pk}).content.decode()
    assert "2 reads." in by_reader and "<td>Cô Lan</td>" not in by_reader
    # Nonsense in the filters is ignored.
    assert "5 reads." in client.get(URL, {"child": "x", "reader": "'"}).content.decode()


def test_the_log_shows_only_the_schools_reads(client, world):
    reads_make(world.other_school_child, world.other_principal, 1)
    login(client, world.principal)
    page = client.get(URL).content.decode()
    assert "Ngô Bảo Ngọc" not in page
    assert "No read in the log" in page


def test_the_log_is_paginated_with_a_fixed_number_of_queries(client, world):
    reads_make(world.child, world.nurse, 1)
    login(client, world.principal)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    reads_make(world.other_class_child, world.teacher, 120)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(few) == len(many)
    page = response.content.decode()
    assert page.count('<td><a href="/health/children/') == 50
    assert 'rel="next"' in page
    assert client.get(URL, {"page": 3}).content.decode().count('<td><a href="/health/children/') == 21


@pytest.mark.parametrize("persona", ["nurse", "teacher", "parent", "other_principal", "superuser", "officer"])
def test_only_the_schools_leaders_read_the_log(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 404


def test_an_unknown_school_is_a_404(client, world):
    login(client, world.principal)
    assert client.get("/health/schools/nowhere/reads/").status_code == 404
