"""The admin's cost and reach page: each leader their own school's figures, the superuser every school's."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery
from tests import factories as f
from tests.notifications.conftest import at
from tests.notifications.test_reach import deliver

pytestmark = pytest.mark.django_db
REACH = "/admin/notifications/delivery/reach/"
State = Delivery.State
# The columns of the table, in order.
COLUMNS = [
    "month",
    "email",
    "sms",
    "fallbacks",
    "zalo",
    "share",
    "delivered",
    "read",
    "given_up",
    "unclear",
    "cost",
    "saved",
]


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def rows_of(page: str) -> list[dict[str, str]]:
    """The table's rows as the reader sees them, the total last."""
    table = re.search(r'<table id="reach">(.*?)</table>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


def reach_page(client, query: str = "") -> str:
    response = client.get(REACH + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def figures(world, clock):
    """March 2026 at Sao Mai: 2 SMS (1 instead of Zalo), 3 Zalo (2 delivered, 1 read), an e-mail given up;
    at Hoa Sen: 7 SMS; and one account's sign-in SMS."""
    clock.to(at(2026, 3, 20, 10, 0))
    school, parent = world.school, world.parent
    deliver(parent, school, "sms")
    deliver(parent, school, "sms", fallback=True)
    deliver(parent, school, "zalo", delivered_at=at(2026, 3, 10, 9), seen_at=at(2026, 3, 10, 9))
    deliver(parent, school, "zalo", delivered_at=at(2026, 3, 10, 9))
    deliver(parent, school, "zalo")
    deliver(parent, school, "email", State.GIVEN_UP)
    for _ in range(7):
        deliver(world.foreign_parent, world.other_school, "sms")
    deliver(parent, None, "sms")


def test_a_principal_sees_their_schools_figures_and_their_cost(world, client, figures):
    client.force_login(in_english(world.principal))

    page = reach_page(client)

    rows = rows_of(page)
    assert len(rows) == 13 and rows[-1]["month"] == "Total"
    assert rows[-2] == {
        "month": "03/2026",
        "email": "0",
        "sms": "2",
        "fallbacks": "1",
        "zalo": "3",
        "share": "60%",
        "delivered": "2",
        "read": "1",
        "given_up": "1",
        "unclear": "0",
        "cost": "2.200\u00a0₫",  # 2 × 800 + 3 × 200
        "saved": "1.800\u00a0₫",  # 3 × (800 − 200)
    }
    assert rows[-1] == {**rows[-2], "month": "Total"}
    assert rows[0]["sms"] == "0" and rows[0]["share"] == ""
    assert "Sao Mai" in page and "Hoa Sen" not in page
    assert "Prices per message, set by the operator: SMS 800\u00a0₫, Zalo 200\u00a0₫, e-mail 0\u00a0₫." in page
    assert '<th scope="col">' in page and '<th scope="row">' in page and "<caption>" in page


def test_the_other_schools_principal_never_sees_sao_mais_figures(world, client, figures):
    client.force_login(in_english(world.other_principal))

    for query in ("", f"?school={world.school.pk}"):
        page = reach_page(client, query)
        assert rows_of(page)[-1]["sms"] == "7", query
        assert "Sao Mai" not in page


def test_the_superuser_sees_every_school_and_chooses_one(world, client, figures):
    client.force_login(in_english(world.superuser))

    everything = reach_page(client)
    assert rows_of(everything)[-1]["sms"] == "10"  # 2 + 7, and the account's sign-in code
    assert '<select name="school"' in everything and "Sao Mai" in everything and "Hoa Sen" in everything

    assert rows_of(reach_page(client, f"?school={world.other_school.pk}"))[-1]["sms"] == "7"
    sao_mai = rows_of(reach_page(client, f"?school={world.school.pk}"))[-1]
    assert (sao_mai["sms"], sao_mai["zalo"]) == ("2", "3")

    unknown = reach_page(client, "?school=999999")
    assert "Select a valid choice" in unknown and rows_of(unknown)[-1]["sms"] == "10"


def test_large_figures_get_thousands_separators(world, client, figures, settings):
    settings.NOTIFY_PRICE_SMS_VND = 650_000
    client.force_login(in_english(world.principal))

    total = rows_of(reach_page(client))[-1]

    assert total["cost"] == "1.300.600\u00a0₫"  # 2 × 650.000 + 3 × 200
    assert total["saved"] == "1.949.400\u00a0₫"


def test_the_deliveries_list_links_to_the_page(world, client):
    client.force_login(in_english(world.principal))
    page = client.get("/admin/notifications/delivery/").content.decode()
    assert f'href="{REACH}"' in page and "Cost and reach" in page


def test_only_who_reads_the_deliveries_gets_the_page(world, client):
    client.force_login(world.teacher)
    assert client.get(REACH)["Location"].startswith("/admin/login/")
    client.force_login(world.accountant)  # in the admin for the donations only
    assert client.get(REACH).status_code == 403
    client.logout()
    assert client.get(REACH)["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("persona", ["principal", "superuser"])
def test_a_fixed_number_of_queries_whatever_the_number_of_messages(world, client, clock, persona):
    clock.to(at(2026, 3, 20, 10, 0))
    client.force_login(getattr(world, persona))
    deliver(world.parent, world.school, "sms")
    reach_page(client)  # the person's cached values in place
    with CaptureQueriesContext(connection) as one:
        reach_page(client)

    for day in range(1, 29):
        deliver(world.parent, world.school, "zalo", created_at=at(2025, 4 + day % 9, day))
        deliver(world.parent, world.school, "email", created_at=at(2026, 3, day))
    f.SchoolFactory(name="Bình Minh")
    reach_page(client)
    with CaptureQueriesContext(connection) as many:
        reach_page(client)

    assert len(many) == len(one) <= 8, [query["sql"] for query in many.captured_queries]
