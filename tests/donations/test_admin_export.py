"""The export of the contributions' list, as it is filtered, to CSV and XLSX.

Donors' contact details are in it only for the principal and the accountant: never for the
vice-principal. Another school's contributions are never in it.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.donations import makers

pytestmark = pytest.mark.django_db

CSV = "/admin/donations/contribution/export.csv"
XLSX = "/admin/donations/contribution/export.xlsx"


@pytest.fixture
def gifts(world):
    campaign = makers.opened(world)
    named = makers.donor(world, name="Công ty Hoa Mai", email="hoamai@example.test", phone="0912345678", display="name")
    anonymous = makers.donor(world, name="Ông Trần Văn Bình", email="binh@example.test")
    makers.cash(world, campaign, amount=1_500_000, who=named)
    makers.cash(world, campaign, amount=200_000, who=anonymous, received=False)
    return {"campaign": campaign, "named": named, "anonymous": anonymous}


def _csv(client, **params) -> list[dict]:
    response = client.get(CSV, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _login(client, user):
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["principal", "accountant"])
def test_the_principal_and_the_accountant_get_the_contacts(client, world, gifts, persona):
    rows = _csv(_login(client, getattr(world, persona)))
    by_donor = {row["donor"]: row for row in rows}
    assert set(by_donor) == {"Công ty Hoa Mai", "Ông Trần Văn Bình"}
    named = by_donor["Công ty Hoa Mai"]
    assert named["e-mail"] == "hoamai@example.test" and named["phone"] == "0912345678"
    assert named["amount (đồng)"] == "1500000" and named["state"] == "Received" and named["receipt"]
    assert named["shown in public as"] == "Công ty Hoa Mai"
    assert by_donor["Ông Trần Văn Bình"]["shown in public as"] == "Anonymous"


def test_the_vice_principal_gets_no_contacts(client, world, gifts):
    response = _login(client, world.vice_principal).get(CSV)
    text = response.content.decode("utf-8-sig")
    assert "hoamai@example.test" not in text and "binh@example.test" not in text and "912345678" not in text
    assert "e-mail" not in text.splitlines()[0]
    assert "Công ty Hoa Mai" in text  # the managers review who gave: the names stay
    workbook = load_workbook(io.BytesIO(_login(client, world.vice_principal).get(XLSX).content))
    cells = [str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "hoamai@example.test" not in cells and "e-mail" not in cells


def test_the_export_follows_the_lists_filters_and_search(client, world, gifts):
    client = _login(client, world.principal)
    assert [row["donor"] for row in _csv(client, state__exact="pledged")] == ["Ông Trần Văn Bình"]
    assert [row["donor"] for row in _csv(client, q="Hoa Mai")] == ["Công ty Hoa Mai"]
    assert _csv(client, kind__exact="work") == []


def test_the_xlsx_holds_the_same_rows(client, world, gifts):
    response = _login(client, world.accountant).get(XLSX, {"kind__exact": "cash"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert "donor" in header and "e-mail" in header
    donors = {row[header.index("donor")]: row for row in data}
    assert set(donors) == {"Công ty Hoa Mai", "Ông Trần Văn Bình"}
    assert donors["Công ty Hoa Mai"][header.index("amount (đồng)")] == 1_500_000


def test_another_schools_principal_exports_nothing_of_this_school(client, world, gifts):
    text = _login(client, world.other_principal).get(CSV).content.decode("utf-8-sig")
    assert "Hoa Mai" not in text and "Bình" not in text
    assert len(text.strip().splitlines()) == 1  # the header only


def test_a_name_that_looks_like_a_formula_stays_text(client, world, gifts):
    makers.cash(world, gifts["campaign"], who=makers.donor(world, name='=HYPERLINK("http://x.test","A")'))
    client = _login(client, world.principal)
    assert '\'=HYPERLINK("http://x.test","A")' in [row["donor"] for row in _csv(client)]
    sheet = load_workbook(io.BytesIO(client.get(XLSX).content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_list_links_its_export_with_the_filters(client, world, gifts):
    page = _login(client, world.principal).get("/admin/donations/contribution/", {"kind__exact": "cash"})
    assert f'href="{CSV}?kind__exact=cash"' in page.content.decode()
