"""Donors, campaigns and received contributions made with the models directly (for the honour tests)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from donations.models import Campaign, CampaignState, Contribution, ContributionState, Donor, DonorDisplay, DonorKind

_numbers = itertools.count(1)


def campaign_make(*, school, title: str = "Lò nướng cho bếp ăn", state: str = CampaignState.OPEN) -> Campaign:
    return Campaign.objects.create(
        school=school,
        title=title,
        purpose="Mua lò nướng và dụng cụ nhà bếp cho bếp ăn bán trú.",
        beneficiaries="Tất cả các lớp",
        use_plan="Mua một lò nướng công nghiệp.",
        uses=["equipment"],
        state=state,
    )


def donor_make(*, school, name: str, display: str = DonorDisplay.ANONYMOUS, **fields) -> Donor:
    values = {"kind": DonorKind.PERSON, "display": display, **fields}
    return Donor.objects.create(school=school, name=name, **values)


def received_make(
    *, campaign: Campaign, donor: Donor, kind: str = "cash", received_on: datetime.date, **fields
) -> Contribution:
    values = dict(fields)
    if kind == "cash":
        values.setdefault("amount", 1_500_000)
    elif kind == "in_kind":
        values.setdefault("items", "Lò nướng điện")
        values.setdefault("quantity", 1)
        values.setdefault("estimated_value", 8_000_000)
    elif kind == "work":
        values.setdefault("hours", Decimal("6"))
        values.setdefault("work_description", "Dựng sân khấu Trung thu")
    number = next(_numbers)
    return Contribution.objects.create(
        school=campaign.school,
        campaign=campaign,
        donor=donor,
        kind=kind,
        state=ContributionState.RECEIVED,
        received_on=received_on,
        received_at=timezone.now(),
        receipt_year=received_on.year if kind == "cash" else None,
        receipt_number=number if kind == "cash" else None,
        **values,
    )
