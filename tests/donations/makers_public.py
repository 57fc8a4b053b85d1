"""Test data for the transparency board: campaigns, gifts, spending and ledger entries in a given state."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from donations import ledger, services
from donations.models import (
    Campaign,
    CampaignState,
    Contribution,
    ContributionKind,
    ContributionState,
    Donor,
    DonorDisplay,
    DonorKind,
    EntryKind,
    Settlement,
    Spending,
    SpendingEvidence,
    SpendingState,
    Use,
    WishItem,
)

# An anonymous donor whose name, e-mail and phone no public page may ever show.
SECRET_NAME = "Đặng Thị Bí Mật"
SECRET_EMAIL = "bimat.dang@example.test"
SECRET_PHONE = "+84912000111"


def campaign_make(school, *, state=CampaignState.OPEN, title="Lò nướng và dụng cụ nhà bếp", **fields) -> Campaign:
    values = {
        "purpose": "Mua lò nướng cho bếp ăn của trường.",
        "beneficiaries": "Tất cả các lớp mẫu giáo.",
        "use_plan": "Mua một lò nướng và bộ dụng cụ làm bánh.",
        "uses": [Use.EQUIPMENT],
        "target_amount": 30_000_000,
        **fields,
    }
    if state != CampaignState.DRAFT:
        values.setdefault("published_at", timezone.now())
    campaign = Campaign.objects.create(school=school, title=title, state=state, **values)
    WishItem.objects.create(campaign=campaign, name="Lò nướng", quantity=1)
    WishItem.objects.create(campaign=campaign, name="Bộ trang phục biểu diễn", quantity=20, is_equipment=False)
    return campaign


def donor_make(school, *, name=SECRET_NAME, display=DonorDisplay.ANONYMOUS, **fields) -> Donor:
    values = {"kind": DonorKind.PERSON, "email": SECRET_EMAIL, "phone": SECRET_PHONE, **fields}
    return Donor.objects.create(school=school, name=name, display=display, **values)


def gift_make(campaign, donor, *, kind=ContributionKind.CASH, received_on=None, **fields) -> Contribution:
    """A received contribution, with its ledger entry."""
    received_on = received_on or datetime.date(2026, 10, 5)
    if kind == ContributionKind.CASH:
        fields.setdefault("amount", 500_000)
    elif kind == ContributionKind.IN_KIND:
        fields = {"items": "Lò nướng điện", "quantity": 1, "estimated_value": 4_500_000, "condition": "Mới", **fields}
    else:
        fields = {"hours": Decimal("6.0"), "work_description": "Dựng sân khấu Trung thu", **fields}
    gift = Contribution.objects.create(
        school=campaign.school,
        campaign=campaign,
        donor=donor,
        kind=kind,
        state=ContributionState.RECEIVED,
        received_on=received_on,
        received_at=timezone.now(),
        **fields,
    )
    ledger.ledger_append(
        school=campaign.school,
        kind=EntryKind.RECEIPT,
        campaign=campaign,
        contribution=gift,
        amount=gift.amount if kind == ContributionKind.CASH else 0,
        value_in_kind=gift.estimated_value if kind == ContributionKind.IN_KIND else 0,
        on=received_on,
    )
    return gift


def spending_make(campaign, *, amount=3_000_000, state=SpendingState.APPROVED, evidence=(), **fields) -> Spending:
    """A spending record; `evidence` is a list of (media, personal)."""
    values = {"use": Use.EQUIPMENT, "description": "Lò nướng Sanaky 50 lít", "spent_on": datetime.date(2026, 10, 20)}
    spending = Spending.objects.create(campaign=campaign, amount=amount, state=state, **{**values, **fields})
    for media, personal in evidence:
        SpendingEvidence.objects.create(spending=spending, media=media, caption="Hóa đơn", personal=personal)
    if state == SpendingState.APPROVED:
        ledger.ledger_append(
            school=campaign.school,
            kind=EntryKind.SPENDING,
            campaign=campaign,
            spending=spending,
            amount=-amount,
            on=spending.spent_on,
        )
    return spending


def settlement_make(campaign, *, prepared_by, summary="Đã mua lò nướng; số dư chuyển sang năm sau.", **fields):
    return Settlement.objects.create(campaign=campaign, summary=summary, prepared_by=prepared_by, **fields)


def photo_make(school, by, tmp_path, name="hoa-don.jpg"):
    """A ready photo (with its thumbnail and preview) made by Pillow."""
    from PIL import Image

    from mediafiles import services

    path = tmp_path / name
    Image.new("RGB", (96, 64), (200, 120, 40)).save(path, "JPEG")
    return services.media_ingest(school=school, by=by, kind="image", path=path)


def board_member_make(school, guardian):
    """Seat a guardian of the school on its parents' board for the current school year."""
    from parents.models import BoardMember
    from parents.policies import forget_guardianships
    from schools.models import SchoolYear

    year = SchoolYear.objects.get(school=school, is_current=True)
    seat, _made = BoardMember.objects.get_or_create(school=school, school_year=year, guardian=guardian)
    forget_guardianships(guardian)
    guardian.__dict__.pop("_board_school_ids", None)
    return seat


def board_make(world):
    """Sao Mai's board with a bit of everything, made through the services: an open campaign with an
    anonymous, a named and a self-named donor (cash, goods, work), a pledge and spending waiting for
    approval; a closed campaign with approved spending and its settlement waiting for the board; a
    draft; and Hoa Sen's campaign. The other parent sits on Sao Mai's board and sponsorship team."""
    from types import SimpleNamespace

    from tests.donations import makers

    school, by = world.school, world.accountant
    open_campaign = makers.opened(
        world,
        purpose="Mua lò nướng cho bếp ăn của trường.",
        wishes=(("Lò nướng", 1, True), ("Bộ trang phục biểu diễn", 20, False)),
    )
    closed = makers.opened(world, title="Trang phục Trung thu", target_amount=None)
    draft = makers.draft(world, title="Kế hoạch nháp sân chơi")
    secret = donor_make(school)
    named = donor_make(school, name="Công ty Sữa Bình Minh", display=DonorDisplay.NAME, email="lienhe@binhminh.test")
    chosen = donor_make(school, name="Lý Văn Kín", display=DonorDisplay.CHOSEN, display_name="Gia đình bé Na")

    def give(campaign, donor, kind="cash", **gift):
        return services.contribution_record(campaign=campaign, donor=donor, by=by, kind=kind, **gift)

    oven = open_campaign.wishes.get(name="Lò nướng")
    gifts = [
        give(open_campaign, secret, amount=1_200_000),
        give(open_campaign, secret, "in_kind", wish=oven, items="Lò nướng điện", estimated_value=4_500_000),
        give(open_campaign, named, amount=2_000_000),
        give(open_campaign, chosen, "work", hours="6", work_description="Dựng sân khấu Trung thu"),
        give(closed, named, amount=5_000_000),
    ]
    # A pledge is nobody's business: it is not a gift yet.
    services.contribution_pledge(campaign=open_campaign, donor=secret, by=by, kind="cash", amount=9_990_000)
    today = timezone.localdate()
    spent = services.spending_record(
        campaign=closed, by=by, use=Use.EQUIPMENT, description="Vải may trang phục", amount=4_000_000, spent_on=today
    )
    spent = services.spending_approve(spending=spent, by=world.principal)
    waiting = services.spending_record(
        campaign=open_campaign, by=by, use=Use.EQUIPMENT, description="Khay nướng", amount=1_000_000, spent_on=today
    )
    services.campaign_close(campaign=closed, by=world.principal)
    report = services.settlement_prepare(
        campaign=closed, by=world.principal, summary="Đã mua lò nướng; số dư chuyển sang năm sau."
    )
    foreign = campaign_make(world.other_school, title="Thư viện Hoa Sen")
    gift_make(foreign, donor_make(world.other_school, name="Hồ Văn Ngoại", display=DonorDisplay.NAME), amount=7_700_000)
    for campaign in (open_campaign, closed, draft):
        campaign.refresh_from_db()
    return SimpleNamespace(
        open=open_campaign,
        closed=closed,
        draft=draft,
        foreign=foreign,
        secret=secret,
        named=named,
        chosen=chosen,
        gifts=gifts,
        spent=spent,
        waiting=waiting,
        settlement=report,
    )
