"""What the campaign pages and a donor's own page read, scoped by who asks.

Public pages show totals only: nobody's contribution, and nobody who did not give. A donor's page
shows that donor's own records and nothing of anyone else's.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from donations import policies_campaigns
from donations.models import (
    Campaign,
    CampaignState,
    Comment,
    Contribution,
    Donor,
    DonorInvitation,
    Letter,
    SchoolAccount,
    WishItem,
)
from schools.caching import school_by_slug
from schools.models import School

# The states a family sees on the school's list of campaigns.
LISTED_STATES = (CampaignState.COMMENT, CampaignState.OPEN)


def school_for_campaigns(*, slug: str) -> School:
    """The school of the address, its row kept between requests (its bank account is read by its id
    where a page shows it)."""
    school = school_by_slug(slug)
    if school is None:
        raise Http404
    return school


def school_account(*, school: School) -> SchoolAccount | None:
    return SchoolAccount.objects.filter(school_id=school.pk).first()


def campaigns_listed(*, user, school: School) -> list[Campaign]:
    """The school's campaigns published for comment or open; its managers see the drafts too."""
    states = list(LISTED_STATES)
    if policies_campaigns.can_see_drafts(user, school):
        states.append(CampaignState.DRAFT)
    return list(Campaign.objects.filter(school=school, state__in=states).order_by("-created_at", "-pk"))


def campaign_for_page(*, user, school: School, pk: int) -> Campaign:
    """A published campaign of the school; a draft only for the school's managers (404 for everyone else)."""
    campaign = (
        Campaign.objects.filter(school=school, pk=pk)
        .prefetch_related(
            Prefetch("wishes", queryset=WishItem.objects.filter(school=school)),
            Prefetch("comments", queryset=Comment.objects.filter(school=school).order_by("created_at", "pk")),
        )
        .first()
    )
    if campaign is None:
        raise Http404
    campaign.school = school
    if not campaign.is_public and not policies_campaigns.can_see_drafts(user, school):
        raise Http404
    return campaign


def donor_records(*, user) -> list[Donor]:
    """The person's own donor records, at every school."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Donor.objects.filter(user=user).select_related("school").order_by("school__name", "pk"))


def has_donor_records(*, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Donor.objects.filter(user=user).exists()


def own_contributions(*, user) -> list[Contribution]:
    """Everything the person gave or pledged through their own donor records, newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Contribution.objects.filter(donor__user=user)
        .select_related("campaign", "school", "donor", "wish")
        .order_by("-pledged_at", "-pk")
    )


def own_contribution(*, user, pk: int) -> Contribution:
    """One of the person's own contributions (404 for anyone else's)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    contribution = (
        Contribution.objects.filter(pk=pk, donor__user=user)
        .select_related("campaign", "school__donation_account", "donor", "wish")
        .first()
    )
    if contribution is None:
        raise Http404
    return contribution


def own_letters(*, user) -> list[Letter]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        # A letter reaches its donor when it is sent; drafts stay with the school.
        Letter.objects.filter(donor__user=user, sent_at__isnull=False)
        .select_related("school", "contribution__campaign")
        .order_by("-created_at")
    )


def own_donor(*, user, pk: int) -> Donor:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    donor = Donor.objects.filter(pk=pk, user=user).first()
    if donor is None:
        raise Http404
    return donor


def invitation_by_token(*, token: str) -> DonorInvitation | None:
    return DonorInvitation.objects.select_related("donor__school").filter(token=token).first()
