"""Campaigns in each state, made through the services, for the donations tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from donations import services
from donations.models import Donor, SchoolAccount, TeamMember
from parents.models import BoardMember

PLAN = {
    "title": "Lò nướng và dụng cụ nhà bếp",
    "purpose": "Bếp ăn của trường cần một lò nướng và dụng cụ mới.",
    "beneficiaries": "Tất cả các lớp của trường.",
    "use_plan": "Mua lò nướng, nồi và dao thớt cho bếp ăn.",
    "uses": ["equipment", "facilities"],
}


def board_member(world, guardian=None):
    """Seat a guardian (the other parent by default) on the board and on the sponsorship team."""
    guardian = guardian or world.other_parent
    BoardMember.objects.get_or_create(school=world.school, school_year=world.classroom.school_year, guardian=guardian)
    TeamMember.objects.get_or_create(school=world.school, user=guardian)
    guardian.__dict__.pop("_board_school_ids", None)
    return guardian


def bank_account(world):
    return SchoolAccount.objects.get_or_create(
        school=world.school,
        defaults={
            "bank_name": "VietinBank",
            "bank_bin": "970415",
            "account_number": "0011001932418",
            "account_name": "TRUONG MAM NON SAO MAI",
        },
    )[0]


def draft(world, *, wishes=(("Lò nướng", 1, True), ("Bộ dao thớt", 5, True)), **plan):
    return services.campaign_create(
        school=world.school, by=world.principal, wishes=wishes, **{**PLAN, "target_amount": 20_000_000, **plan}
    )


def published(world, **plan):
    board_member(world)
    campaign = draft(world, **plan)
    return services.campaign_publish(campaign=campaign, by=world.principal, confirmed=set(services.CHECKLIST))


def opened(world, **plan):
    campaign = published(world, **plan)
    return services.campaign_open(
        campaign=campaign, by=world.principal, today=campaign.comment_until + datetime.timedelta(days=1)
    )


def donor(world, name="Công ty TNHH Bánh Mì Vàng", **fields):
    return Donor.objects.create(school=world.school, kind=fields.pop("kind", "business"), name=name, **fields)


def cash(world, campaign, amount=500_000, *, who=None, received=True):
    who = who or donor(world)
    make = services.contribution_record if received else services.contribution_pledge
    return make(campaign=campaign, donor=who, by=world.accountant, kind="cash", amount=amount)


def today():
    return timezone.localdate()
