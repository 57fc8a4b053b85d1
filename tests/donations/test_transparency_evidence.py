"""Evidence of spending: public pictures on the board (small copies only), personal ones for the books."""

from __future__ import annotations

import pytest

from donations.models import CampaignState, SpendingState
from tests.donations import makers_public as m

pytestmark = pytest.mark.django_db

BOARD = "/schools/sao-mai/transparency/"


def image(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def evidence(world, tmp_path):
    campaign = m.campaign_make(world.school)
    invoice = m.photo_make(world.school, world.accountant, tmp_path, "hoa-don.jpg")
    receipt = m.photo_make(world.school, world.accountant, tmp_path, "bien-nhan-co-ten.jpg")
    spending = m.spending_make(campaign, evidence=[(invoice, False), (receipt, True)])
    public, personal = spending.evidence.order_by("pk")
    return campaign, spending, public, personal


def test_public_evidence_is_a_thumbnail_on_the_campaign_page_for_anyone(world, client, evidence):
    campaign, _spending, public, personal = evidence
    html = client.get(f"{BOARD}campaigns/{campaign.pk}/").content.decode()
    assert f'src="{BOARD}evidence/{public.pk}/thumb"' in html
    assert f'href="{BOARD}evidence/{public.pk}/preview"' in html
    assert f"evidence/{personal.pk}/" not in html and "/media/" not in html
    thumb = client.get(f"{BOARD}evidence/{public.pk}/thumb")
    assert thumb["Content-Type"] == "image/jpeg" and image(thumb).startswith(b"\xff\xd8")
    assert thumb["Cache-Control"].startswith("public")
    assert image(client.get(f"{BOARD}evidence/{public.pk}/preview-webp"))[8:12] == b"WEBP"


@pytest.mark.parametrize("variant", ["original", "video", "poster", "nothing"])
def test_only_the_small_copies_are_served(world, client, evidence, variant):
    public = evidence[2]
    assert client.get(f"{BOARD}evidence/{public.pk}/{variant}").status_code == 404


def test_personal_pending_draft_and_other_schools_evidence_are_not_public(world, client, evidence):
    campaign, spending, public, personal = evidence
    assert client.get(f"{BOARD}evidence/{personal.pk}/thumb").status_code == 404
    assert client.get(f"/schools/hoa-sen/transparency/evidence/{public.pk}/thumb").status_code == 404
    spending.state = SpendingState.RECORDED
    spending.save(update_fields=["state"])
    assert client.get(f"{BOARD}evidence/{public.pk}/thumb").status_code == 404
    spending.state = SpendingState.APPROVED
    spending.save(update_fields=["state"])
    campaign.state = CampaignState.DRAFT
    campaign.save(update_fields=["state"])
    assert client.get(f"{BOARD}evidence/{public.pk}/thumb").status_code == 404


def test_the_books_show_all_spending_and_personal_evidence_to_the_board(world, client, evidence):
    campaign, _spending, public, personal = evidence
    waiting = m.spending_make(campaign, amount=700_000, state=SpendingState.RECORDED, description="Khay nướng inox")
    m.board_member_make(world.school, world.other_parent)
    client.force_login(world.other_parent)
    html = client.get(f"{BOARD}books/").content.decode()
    assert waiting.description in html
    assert f'src="{BOARD}books/evidence/{personal.pk}/thumb"' in html
    assert image(client.get(f"{BOARD}books/evidence/{personal.pk}/thumb")).startswith(b"\xff\xd8")
    assert client.get(f"{BOARD}books/evidence/{personal.pk}/preview")["Cache-Control"] == "private, no-store"
    assert m.SECRET_EMAIL not in html and m.SECRET_PHONE not in html

    client.force_login(world.parent)  # not on the board
    assert client.get(f"{BOARD}books/").status_code == 404
    assert client.get(f"{BOARD}books/evidence/{personal.pk}/thumb").status_code == 404


def test_the_books_cost_a_fixed_number_of_queries(world, client, evidence, tmp_path, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m.board_member_make(world.school, world.other_parent)
    client.force_login(world.other_parent)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{BOARD}books/").status_code == 200
    for number in range(12):
        campaign = m.campaign_make(world.school, title=f"Chiến dịch {number}")
        photo = m.photo_make(world.school, world.accountant, tmp_path, f"hoa-don-{number}.jpg")
        m.spending_make(campaign, amount=1_000, evidence=[(photo, number % 2 == 0)])
        m.spending_make(campaign, amount=2_000, state=SpendingState.RECORDED)
    with django_assert_max_num_queries(len(few)):
        assert client.get(f"{BOARD}books/").status_code == 200
