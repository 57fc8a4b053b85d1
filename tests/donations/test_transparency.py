"""The public transparency board: every published campaign's plan and figures, its gifts and spending,
for anyone without signing in; never a draft, never another school's data, in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from donations import services
from donations.models import CampaignState, ContributionKind, DonorDisplay
from tests.donations import makers_public as m

pytestmark = pytest.mark.django_db

BOARD = "/schools/sao-mai/transparency/"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_board_shows_each_published_campaign_with_its_plan_and_figures(world, client):
    made = m.board_make(world)
    html = page(client, BOARD)
    assert made.open.title in html and made.closed.title in html
    assert "Mua lò nướng cho bếp ăn của trường." in html  # the plan
    assert "1 × Lò nướng" in html and "20 × Bộ trang phục biểu diễn" in html  # the wish list
    # Cash received (1,200,000 + 2,000,000), goods, hours, spent and balance of the closed campaign.
    assert "3.200.000\u00a0₫" in html
    assert "4.500.000\u00a0₫" in html
    assert "5.000.000\u00a0₫" in html and "4.000.000\u00a0₫" in html and "1.000.000\u00a0₫" in html
    assert made.settlement.campaign.pk == made.closed.pk and "settlement/" in html
    # The voluntary statement is on every plan.
    from donations.services import VOLUNTARY_STATEMENT

    assert html.count(str(VOLUNTARY_STATEMENT)) == 2


def test_a_draft_and_another_schools_campaign_are_not_on_the_board(world, client):
    made = m.board_make(world)
    html = page(client, BOARD)
    assert made.draft.title not in html
    assert made.foreign.title not in html and "Hồ Văn Ngoại" not in html and "7.700.000" not in html
    base = f"{BOARD}campaigns/"
    for url in (
        f"{base}{made.draft.pk}/",
        f"{base}{made.foreign.pk}/",
        f"{base}{made.draft.pk}/contributions.csv",
        f"{base}{made.foreign.pk}/spending.csv",
        f"/schools/hoa-sen/transparency/campaigns/{made.open.pk}/",
        "/schools/nowhere/transparency/",
    ):
        assert client.get(url).status_code == 404, url
    assert made.foreign.title in page(client, "/schools/hoa-sen/transparency/")


def test_a_campaign_lists_received_gifts_as_their_donors_chose_and_approved_spending(world, client):
    made = m.board_make(world)
    html = page(client, f"{BOARD}campaigns/{made.open.pk}/")
    assert "Công ty Sữa Bình Minh" in html and "Gia đình bé Na" in html
    assert "Ẩn danh" in html or "Anonymous" in html
    assert "1.200.000\u00a0₫" in html and "Lò nướng điện" in html and "Dựng sân khấu Trung thu" in html
    assert "9.990.000" not in html  # a pledge is not shown
    assert "Khay nướng" not in html  # spending waiting for approval
    closed = page(client, f"{BOARD}campaigns/{made.closed.pk}/")
    assert "Vải may trang phục" in closed and "4.000.000\u00a0₫" in closed


def test_the_csv_downloads_hold_public_columns_only(world, client):
    made = m.board_make(world)
    response = client.get(f"{BOARD}campaigns/{made.open.pk}/contributions.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 4
    shown = {row[-1] for row in rows[1:]}
    assert "Công ty Sữa Bình Minh" in shown and "Gia đình bé Na" in shown
    assert "1200000" in text and "4500000" in text and "Lò nướng điện" in text and ",6," in text
    spending = client.get(f"{BOARD}campaigns/{made.closed.pk}/spending.csv")
    rows = list(csv.reader(io.StringIO(b"".join(spending.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == timezone.localdate().isoformat()
    assert rows[1][2:] == ["Vải may trang phục", "4000000"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_board_and_a_campaign_cost_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    one = m.campaign_make(world.school)
    donor = m.donor_make(world.school)
    m.gift_make(one, donor)
    m.spending_make(one, amount=100_000)
    urls = [BOARD, f"{BOARD}campaigns/{one.pk}/", f"{BOARD}ledger/"]
    few = {}
    for url in urls:
        cache.clear()
        few[url] = (_queries(client, url), _queries(client, url))  # then with the figures (the board: its list) kept

    named = m.donor_make(world.school, name="Nguyễn Văn Tên", display=DonorDisplay.NAME)
    for number in range(14):
        campaign = m.campaign_make(world.school, title=f"Chiến dịch {number}", state=CampaignState.OPEN)
        m.gift_make(campaign, named, kind=ContributionKind.IN_KIND)
        m.spending_make(campaign, amount=10_000)
    for _ in range(40):
        m.gift_make(one, donor)
        m.gift_make(one, named, kind=ContributionKind.WORK)
        m.spending_make(one, amount=1_000)
    for url in urls:
        cache.clear()
        for count in few[url]:
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200
    # Then the school is kept (schools/caching.py), and the board whole (coordination/lib/fragments.py).
    assert few == {BOARD: (8, 0), f"{BOARD}campaigns/{one.pk}/": (12, 8), f"{BOARD}ledger/": (3, 2)}


def test_the_boards_kept_list_follows_the_ledger_and_the_campaigns_states(client, world):
    one = m.campaign_make(world.school, title="Chiến dịch đầu")
    assert "Chiến dịch đầu" in client.get(BOARD).content.decode()
    m.gift_make(one, m.donor_make(world.school), amount=777_000)
    assert "777.000" in client.get(BOARD).content.decode()  # a new ledger entry: drawn again
    services.campaign_close(campaign=one, by=world.principal)
    with translation.override("vi"):
        closed = str(CampaignState.CLOSED.label)
    assert closed in client.get(BOARD).content.decode()


def test_kept_figures_change_with_the_next_entry_of_the_ledger(world, client):
    campaign = m.campaign_make(world.school)
    donor = m.donor_make(world.school)
    m.gift_make(campaign, donor, amount=1_000_000)
    for url in (BOARD, f"{BOARD}campaigns/{campaign.pk}/"):
        assert "1.000.000\u00a0₫" in page(client, url)
    m.gift_make(campaign, donor, amount=250_000)
    m.gift_make(campaign, donor, kind=ContributionKind.WORK, hours=Decimal("2.5"))
    for url in (BOARD, f"{BOARD}campaigns/{campaign.pk}/"):
        html = page(client, url)
        assert "1.250.000\u00a0₫" in html and ("<b>2,5</b>" in html or "<b>2.5</b>" in html)


def test_lists_are_paged(world, client):
    one = m.campaign_make(world.school, title="Chiến dịch đầu tiên")
    for number in range(11):
        m.campaign_make(world.school, title=f"Chiến dịch số {number}")
    assert "Chiến dịch đầu tiên" not in page(client, BOARD)
    assert "Chiến dịch đầu tiên" in page(client, BOARD + "?page=2")
    donor = m.donor_make(world.school, name="Ngô Lan", display=DonorDisplay.NAME)
    for amount in range(1, 31):
        m.gift_make(one, donor, amount=amount * 1000)
    first = page(client, f"{BOARD}campaigns/{one.pk}/")
    assert first.count("Ngô Lan") == 25 and 'rel="next"' in first
    assert page(client, f"{BOARD}campaigns/{one.pk}/?page=2").count("Ngô Lan") == 5


def test_the_school_public_page_links_to_the_board(world, client):
    assert 'href="/schools/sao-mai/transparency/"' in page(client, "/schools/sao-mai/")


def test_the_leaders_home_links_to_the_board(world, client):
    client.force_login(world.principal)
    assert 'href="/schools/sao-mai/transparency/"' in page(client, "/schools/sao-mai/manage/")


def test_a_gift_at_one_school_renews_no_other_schools_kept_board(world, client):
    other_board = "/schools/hoa-sen/transparency/"
    m.campaign_make(world.other_school, title="Sân chơi Hoa Sen")
    one = m.campaign_make(world.school)
    assert "Sân chơi Hoa Sen" in page(client, other_board)
    m.gift_make(one, m.donor_make(world.school), amount=333_000)
    with CaptureQueriesContext(connection) as captured:
        assert "Sân chơi Hoa Sen" in page(client, other_board)
    assert len(captured) == 0  # still kept
    assert "333.000" in page(client, BOARD)
