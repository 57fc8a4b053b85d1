"""Test data for the transparency board: campaigns, gifts, spending and ledger entries in a given state."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

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
    """A received contribution, with its ledger entry (cash and goods)."""
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
    if kind != ContributionKind.WORK:
        _append(
            school=campaign.school,
            kind=EntryKind.RECEIPT,
            campaign=campaign,
            contribution=gift,
            amount=gift.amount or 0,
            value_in_kind=gift.estimated_value or 0,
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
        _append(
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


def _append(*, school, kind, campaign, contribution=None, spending=None, amount=0, value_in_kind=0, on):
    """Until the ledger's service is merged: the same canonical form, appended at the end of the chain."""
    import hashlib
    import json

    from donations.models import LedgerEntry

    last = LedgerEntry.objects.filter(school=school).order_by("-seq").values("seq", "hash").first()
    seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, "0" * 64)
    content = {
        "v": 1,
        "school": school.slug,
        "seq": seq,
        "kind": kind,
        "campaign": campaign.pk,
        "date": on.isoformat(),
        "cash": amount,
        "goods": value_in_kind,
        "reverses": None,
        "prev": prev,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return LedgerEntry.objects.create(
        school=school,
        seq=seq,
        kind=kind,
        campaign=campaign,
        contribution=contribution,
        spending=spending,
        amount=amount,
        value_in_kind=value_in_kind,
        donor_reference=contribution.donor.reference if contribution else "",
        canonical=text,
        prev_hash=prev,
        hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


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
    """Sao Mai's board with a bit of everything: an open campaign with an anonymous and a named donor
    (cash, goods, work), a closed campaign with its settlement waiting for the board, a draft, and
    Hoa Sen's campaign."""
    from types import SimpleNamespace

    school = world.school
    open_campaign = campaign_make(school)
    closed = campaign_make(school, state=CampaignState.CLOSED, title="Trang phục Trung thu", target_amount=None)
    draft = campaign_make(school, state=CampaignState.DRAFT, title="Kế hoạch nháp sân chơi")
    foreign = campaign_make(world.other_school, title="Thư viện Hoa Sen")
    secret = donor_make(school)
    named = donor_make(school, name="Công ty Sữa Bình Minh", display=DonorDisplay.NAME, email="lienhe@binhminh.test")
    chosen = donor_make(school, name="Lý Văn Kín", display=DonorDisplay.CHOSEN, display_name="Gia đình bé Na")
    foreign_donor = donor_make(world.other_school, name="Hồ Văn Ngoại", display=DonorDisplay.NAME)
    gifts = [
        gift_make(open_campaign, secret, amount=1_200_000),
        gift_make(open_campaign, secret, kind=ContributionKind.IN_KIND),
        gift_make(open_campaign, named, amount=2_000_000),
        gift_make(open_campaign, chosen, kind=ContributionKind.WORK),
        gift_make(closed, named, amount=5_000_000),
        gift_make(foreign, foreign_donor, amount=7_700_000),
    ]
    # A pledge is nobody's business: it is not a gift yet.
    Contribution.objects.create(
        school=school, campaign=open_campaign, donor=secret, kind=ContributionKind.CASH, amount=9_990_000
    )
    spent = spending_make(closed, amount=4_000_000, description="Vải may trang phục")
    waiting = spending_make(open_campaign, amount=1_000_000, state=SpendingState.RECORDED, description="Khay nướng")
    report = settlement_make(closed, prepared_by=world.principal)
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
