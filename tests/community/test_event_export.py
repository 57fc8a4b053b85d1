"""The organisers export the answers and sign-ups: CSV (one row per family) and XLSX (answers, volunteers)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from community.models import EventAnswer, VolunteerSignup
from tests.community.factories_events import (
    _in_english,  # noqa: F401  (autouse)
    event_make,
    role_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def festival(world):
    event = event_make(world.school, whole_school=True, title="Vui Tết Trung thu")
    stage = role_make(event, name="Dựng sân khấu", slots=6)
    VolunteerSignup.objects.create(school=world.school, role=stage, guardian=world.parent)
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.parent, coming=True, people=3)
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.other_parent, coming=False, people=0)
    return event


def test_csv(client, world, festival):
    client.force_login(world.principal)
    response = client.get(reverse("community:event_export_csv", args=[festival.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Guardian", "Phone"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[world.parent.full_name][2] == "Nguyễn Minh Khôi, Nguyễn Ngọc An"
    assert by_name[world.parent.full_name][4:] == ["Coming", "3", "Dựng sân khấu"]
    assert by_name[world.other_parent.full_name][4:6] == ["Not coming", "0"]


def test_xlsx(client, world, festival):
    from openpyxl import load_workbook

    client.force_login(world.principal)
    response = client.get(reverse("community:event_export_xlsx", args=[festival.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    answers, volunteers = book.worksheets
    assert "Vui Tết Trung thu" in answers["A1"].value
    values = [[c.value for c in row] for row in volunteers.iter_rows(min_row=2)]
    assert values == [["Dựng sân khấu", 6, 1, world.parent.full_name, world.parent.phone or None]]


def test_a_formula_typed_as_a_name_is_kept_as_text(client, world, festival):
    world.parent.full_name = "=HYPERLINK(1)"
    world.parent.save(update_fields=["full_name"])
    client.force_login(world.principal)
    body = client.get(reverse("community:event_export_csv", args=[festival.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_families_and_other_staff_cannot_export(client, world, festival):
    for person in (world.parent, world.nurse, world.kitchen, world.other_principal):
        client.force_login(person)
        assert client.get(reverse("community:event_export_csv", args=[festival.pk])).status_code == 404
