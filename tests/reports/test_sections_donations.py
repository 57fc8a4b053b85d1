import datetime

import time_machine
from django.utils import timezone

from donations import services
from donations.models import Campaign, CampaignState, Donor
from tests.reports.conftest import assert_same_queries, figures_of


def on(day: datetime.date):
    """The ledger is never rewritten, so entries are recorded on their day rather than moved there."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 5, tzinfo=datetime.UTC), tick=False)


def campaign(school, by, title: str) -> Campaign:
    return Campaign.objects.create(
        school=school,
        title=title,
        purpose="Bếp ăn cần một lò nướng.",
        beneficiaries="Tất cả các lớp.",
        use_plan="Mua lò nướng.",
        uses=["equipment"],
        state=CampaignState.OPEN,
        created_by=by,
    )


def cash(campaign, by, amount):
    donor = Donor.objects.create(school=campaign.school, kind="person", name="Nguyễn Văn Tâm")
    return services.contribution_record(campaign=campaign, donor=donor, by=by, kind="cash", amount=amount)


def goods(campaign, by, value):
    donor = Donor.objects.create(school=campaign.school, kind="business", name="Công ty TNHH Hồng Phúc")
    return services.contribution_record(
        campaign=campaign, donor=donor, by=by, kind="in_kind", items="Nồi inox", quantity=3, estimated_value=value
    )


def spend(campaign, by, approver, amount):
    spending = services.spending_record(
        campaign=campaign,
        by=by,
        use="equipment",
        description="Lò nướng điện",
        amount=amount,
        spent_on=timezone.localdate(),
    )
    return services.spending_approve(spending=spending, by=approver)


def test_money_received_and_spent_per_campaign_with_corrections(world, third_school):
    accountant, principal = world.accountant, world.principal
    oven = campaign(world.school, principal, "Lò nướng")
    playground = campaign(world.school, principal, "Sân chơi")
    foreign = campaign(world.other_school, world.other_principal, "Lò nướng")
    with on(datetime.date(2026, 9, 25)):
        cash(oven, accountant, 50_000)  # September's
    with on(datetime.date(2026, 10, 10)):
        kept = cash(oven, accountant, 500_000)
        mistaken = cash(oven, accountant, 300_000)
        services.contribution_reverse(contribution=mistaken, by=principal, reason="Nhập nhầm số tiền")
        goods(oven, accountant, 900_000)
        spend(oven, accountant, principal, 200_000)
        wrong = spend(oven, accountant, principal, 100_000)
        services.spending_reverse(spending=wrong, by=principal, reason="Hoá đơn trùng")
        cash(playground, accountant, 1_000_000)
        cash(foreign, world.other_principal, 700_000)
    with on(datetime.date(2026, 11, 2)):
        # A correction in November belongs to November: October's published figures stay as they were.
        services.contribution_reverse(contribution=kept, by=principal, reason="Chuyển sang chiến dịch khác")

    found = figures_of("donations", [world.school.pk, world.other_school.pk])

    school = world.school.pk
    assert found[(school, "Lò nướng", "received")] == 500_000
    assert found[(school, "Lò nướng", "goods_received")] == 900_000
    assert found[(school, "Lò nướng", "spent")] == 200_000
    assert found[(school, "Sân chơi", "received")] == 1_000_000
    assert found[(school, "Sân chơi", "spent")] == 0
    assert found[(school, "", "received")] == 1_500_000
    assert found[(school, "", "spent")] == 200_000
    assert found[(world.other_school.pk, "Lò nướng", "received")] == 700_000
    assert found[(world.other_school.pk, "", "received")] == 700_000

    november = figures_of("donations", [school], (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)))
    assert november[(school, "Lò nướng", "received")] == -500_000
    # No donor is named anywhere: the groups are the campaigns.
    assert {group for (_school, group, _key) in found} == {"", "Lò nướng", "Sân chơi"}


def test_queries_do_not_grow_with_schools(world, third_school):
    with on(datetime.date(2026, 10, 10)):
        cash(campaign(world.school, world.principal, "Lò nướng"), world.accountant, 500_000)
    assert assert_same_queries("donations", world, third_school) == 1
