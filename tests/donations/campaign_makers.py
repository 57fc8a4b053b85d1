"""Campaigns, donors and contributions for the campaign pages' tests, made in the state a test needs."""

from __future__ import annotations

import datetime

from django.utils import timezone

from donations.models import (
    Campaign,
    CampaignState,
    Contribution,
    ContributionKind,
    ContributionState,
    Donor,
    DonorKind,
    SchoolAccount,
    WishItem,
)

TITLE = "Lò nướng cho bếp ăn"


def account(school) -> SchoolAccount:
    made, _created = SchoolAccount.objects.get_or_create(
        school=school,
        defaults={
            "bank_name": "VietinBank",
            "bank_bin": "970415",
            "account_number": "0011001932418",
            "account_name": "TRUONG MAM NON SAO MAI",
        },
    )
    return made


def campaign(school, *, state=CampaignState.OPEN, title=TITLE, target=20_000_000, wishes=(("Lò nướng", 1),), **more):
    made = Campaign.objects.create(
        school=school,
        title=title,
        purpose="Mua lò nướng và dụng cụ bếp cho các lớp học làm bánh.",
        beneficiaries="Tất cả các lớp.",
        use_plan="Thiết bị dạy và học: lò nướng, khuôn bánh.",
        uses=["equipment"],
        target_amount=target,
        state=state,
        comment_until=datetime.date(2026, 12, 24) if state != CampaignState.DRAFT else None,
        published_at=timezone.now() if state != CampaignState.DRAFT else None,
        **more,
    )
    for position, (name, quantity) in enumerate(wishes):
        WishItem.objects.create(campaign=made, name=name, quantity=quantity, position=position)
    return made


def donor(school, *, user=None, name="Công ty Bánh Mì Vàng", kind=DonorKind.BUSINESS, **more) -> Donor:
    return Donor.objects.create(school=school, user=user, name=name, kind=kind, **more)


def guardian_donor(school, user, **more) -> Donor:
    return Donor.objects.create(school=school, user=user, name=user.full_name, kind=DonorKind.GUARDIAN, **more)


def contribution(campaign_, donor_, *, amount=500_000, state=ContributionState.PLEDGED, receipt=None, **more):
    """A contribution written straight to the database (the services' own tests check their rules)."""
    values = {"kind": ContributionKind.CASH, "amount": amount, **more}
    if state == ContributionState.RECEIVED:
        values.update(received_on=datetime.date(2026, 12, 1), received_at=timezone.now())
        if values["kind"] == ContributionKind.CASH:
            values.update(receipt_year=2026, receipt_number=receipt or 1)
    return Contribution.objects.create(school=campaign_.school, campaign=campaign_, donor=donor_, state=state, **values)
