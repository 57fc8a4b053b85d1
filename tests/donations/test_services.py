"""The donations' rules: states of a campaign, gifts, receipts, spending and the settlement."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from donations import services
from donations.ledger import ledger_verify
from donations.models import (
    Asset,
    Campaign,
    CampaignState,
    Contribution,
    ContributionState,
    LedgerEntry,
    SpendingState,
)
from schools.calendar import working_days_between
from tests.conftest import requires_postgres
from tests.donations import makers


def test_a_plan_goes_from_draft_to_settled(world):
    campaign = makers.draft(world)
    assert campaign.state == CampaignState.DRAFT
    with pytest.raises(ValidationError, match="sponsorship team"):
        services.campaign_publish(campaign=campaign, by=world.principal, confirmed=set(services.CHECKLIST))
    makers.board_member(world)
    with pytest.raises(ValidationError, match="checklist"):
        services.campaign_publish(campaign=campaign, by=world.principal, confirmed={"voluntary"})
    campaign = services.campaign_publish(campaign=campaign, by=world.principal, confirmed=set(services.CHECKLIST))
    assert campaign.state == CampaignState.COMMENT
    # 15 working days after the day it is published, whichever weekday that is (a Sunday gives 19 days).
    published = timezone.localdate(campaign.published_at)
    assert working_days_between(world.school, published, campaign.comment_until) == 15
    assert campaign.comment_until.weekday() < 5
    assert campaign.comment_until >= published + datetime.timedelta(days=19)
    with pytest.raises(ValidationError, match="open for comment until"):
        services.campaign_open(campaign=campaign, by=world.principal, today=campaign.comment_until)
    campaign = services.campaign_open(
        campaign=campaign, by=world.principal, today=campaign.comment_until + datetime.timedelta(days=1)
    )
    gift = makers.cash(world, campaign, 1_000_000)
    campaign = services.campaign_close(campaign=campaign, by=world.principal)
    settlement = services.settlement_prepare(campaign=campaign, by=world.principal, summary="Đã mua lò nướng.")
    assert settlement.figures["cash_received"] == 1_000_000
    with pytest.raises(ValidationError, match="Only a plan that was published"):
        services.campaign_open(campaign=campaign, by=world.principal)
    services.settlement_cosign(settlement=settlement, by=world.other_parent)
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.SETTLED
    with pytest.raises(ValidationError, match="settled"):
        services.contribution_reverse(contribution=gift, by=world.principal, reason="nhầm")


@pytest.mark.parametrize(
    "sentence",
    [
        "Mỗi phụ huynh đóng 200.000 đồng.",
        "Mức đóng tối thiểu 100k/cháu",
        "Each family gives at least 50,000 VND.",
        "Bình quân 300 nghìn một gia đình",
    ],
)
def test_a_plan_with_an_amount_for_families_cannot_be_published(world, sentence):
    makers.board_member(world)
    campaign = makers.draft(world, use_plan="Mua lò nướng. " + sentence)
    with pytest.raises(ValidationError, match="voluntary"):
        services.campaign_publish(campaign=campaign, by=world.principal, confirmed=set(services.CHECKLIST))
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.DRAFT


def test_a_target_for_the_whole_campaign_is_not_an_amount_for_families(world):
    campaign = makers.draft(world, use_plan="Lò nướng khoảng 15.000.000 đồng, dao thớt 2 triệu.")
    assert services.plan_problems(campaign=campaign) == []


def test_a_campaign_that_is_not_open_refuses_gifts(world):
    campaign = makers.published(world)
    with pytest.raises(ValidationError, match="not open"):
        makers.cash(world, campaign, received=False)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("amount", [-1, 0, "1.5", 10_000_000_001, "abc", None])
def test_bad_amounts_change_nothing(world, amount):
    campaign = makers.opened(world)
    with pytest.raises(ValidationError):
        makers.cash(world, campaign, amount)
    assert not Contribution.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_receiving_gives_a_receipt_once_and_reversal_is_final(world):
    campaign = makers.opened(world)
    pledge = makers.cash(world, campaign, 300_000, received=False)
    assert pledge.receipt_number is None
    gift = services.contribution_receive(contribution=pledge, by=world.accountant)
    assert gift.receipt_number == 1 and gift.receipt_year == makers.today().year
    with pytest.raises(ValidationError, match="already received"):
        services.contribution_receive(contribution=gift, by=world.accountant)
    with pytest.raises(ValidationError, match="reason"):
        services.contribution_reverse(contribution=gift, by=world.principal, reason=" ")
    services.contribution_reverse(contribution=gift, by=world.principal, reason="Chuyển nhầm")
    with pytest.raises(ValidationError, match="already reversed"):
        services.contribution_reverse(contribution=gift, by=world.principal, reason="lại")
    entries = list(LedgerEntry.objects.order_by("seq").values_list("kind", "amount"))
    assert entries == [("receipt", 300_000), ("reversal", -300_000)]
    assert ledger_verify(school=world.school).ok
    # The next receipt does not reuse the voided number.
    assert makers.cash(world, campaign, 100_000).receipt_number == 2


def test_goods_on_the_wish_list_go_into_the_asset_register_with_the_donors_chosen_credit(world):
    campaign = makers.opened(world)
    oven = campaign.wishes.get(name="Lò nướng")
    named = makers.donor(world, display="name")
    services.contribution_record(
        campaign=campaign,
        donor=named,
        by=world.accountant,
        kind="in_kind",
        wish=oven,
        estimated_value=12_000_000,
        condition="mới",
    )
    anonymous = makers.donor(world, name="Bà Trần Thị Kín")
    services.contribution_record(
        campaign=campaign, donor=anonymous, by=world.accountant, kind="in_kind", wish=oven, quantity=1
    )
    credits = sorted(Asset.objects.values_list("credit", flat=True))
    assert credits == ["", "Công ty TNHH Bánh Mì Vàng"]  # blank: shown as "anonymous"
    figures = services_figures(campaign)
    assert figures.goods_value == 12_000_000 and figures.wishes[oven.pk] == 2


def services_figures(campaign):
    from donations.selectors import campaign_figures

    return campaign_figures(campaigns=[campaign])[campaign.pk]


def test_spending_only_on_allowed_uses_and_within_the_balance(world):
    campaign = makers.opened(world)
    makers.cash(world, campaign, 1_000_000)
    for use, words in (("staff_pay", "never pay staff"), ("security", "security"), ("other", "only for")):
        with pytest.raises(ValidationError, match=words):
            services.spending_record(
                campaign=campaign, by=world.accountant, use=use, description="x", amount=1, spent_on=makers.today()
            )
    with pytest.raises(ValidationError, match="never pay staff"):
        services.spending_record(
            campaign=campaign,
            by=world.accountant,
            use="equipment",
            description="Tiền thưởng giáo viên",
            amount=1,
            spent_on=makers.today(),
        )
    with pytest.raises(ValidationError, match="outside the campaign's plan"):
        services.spending_record(
            campaign=campaign,
            by=world.accountant,
            use="activities",
            description="Tham quan",
            amount=1,
            spent_on=makers.today(),
        )
    big = services.spending_record(
        campaign=campaign,
        by=world.accountant,
        use="equipment",
        description="Lò nướng",
        amount=1_500_000,
        spent_on=makers.today(),
    )
    with pytest.raises(ValidationError, match="more than the campaign's balance"):
        services.spending_approve(spending=big, by=world.principal)
    assert LedgerEntry.objects.filter(spending=big).count() == 0
    services.spending_approve(
        spending=big, by=world.principal, over_balance_reason="Trường ứng trước, phụ huynh đã cam kết"
    )
    big.refresh_from_db()
    assert big.state == SpendingState.APPROVED and big.over_balance_reason
    assert services_figures(campaign).balance == -500_000
    assert ledger_verify(school=world.school).ok


@pytest.mark.django_db(transaction=True)
def test_twenty_receipts_at_once_have_no_gap_and_no_repeat(world):
    requires_postgres()
    campaign = makers.opened(world)
    pledges = [makers.cash(world, campaign, 10_000 * (n + 1), received=False) for n in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def receive(pledge):
        try:
            barrier.wait(timeout=30)
            services.contribution_receive(contribution=pledge, by=world.accountant)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive, args=(p,)) for p in pledges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(
        Contribution.objects.filter(state=ContributionState.RECEIVED).values_list("receipt_number", flat=True)
    )
    assert numbers == list(range(1, 21))
    assert list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 21))
    assert ledger_verify(school=world.school).ok
