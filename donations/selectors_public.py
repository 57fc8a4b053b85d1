"""What the public transparency board reads, and the signed-in "books" of the board and the managers.

Public reads show campaigns once published (never a draft), received contributions with the donor
only as they chose to be shown, approved spending with the evidence that holds no personal data, and
the school's ledger in its canonical form. Each page costs a fixed number of queries whatever the
number of campaigns, gifts or entries: lists are paged and their figures are summed in the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from donations.ledger import GENESIS
from donations.models import (
    Campaign,
    CampaignState,
    Contribution,
    ContributionState,
    LedgerEntry,
    Spending,
    SpendingEvidence,
    SpendingState,
    WishItem,
)
from donations.selectors import Figures, campaign_figures, wish_progress
from schools.caching import school_by_slug
from schools.models import School

__all__ = ["GENESIS", "Figures", "campaign_figures"]


def school_get(*, slug: str) -> School:
    school = school_by_slug(slug)  # kept between requests (schools/caching.py)
    if school is None:
        raise Http404
    return school


# --- Campaigns and their figures (donations.selectors.campaign_figures: a fixed number of queries)


def _with_plan(campaigns: QuerySet, *, school: School) -> QuerySet:
    return campaigns.select_related("settlement").prefetch_related(
        Prefetch("wishes", queryset=WishItem.objects.filter(school=school).order_by("position", "pk"))
    )


def public_campaigns(*, school: School) -> QuerySet:
    """The school's campaigns that were published (a draft is nobody's business yet), newest first."""
    return _with_plan(
        Campaign.objects.filter(school=school).exclude(state=CampaignState.DRAFT), school=school
    ).order_by("-created_at", "-pk")


def public_campaigns_version(*, school: School) -> str:
    """What the board's list of campaigns depends on besides the ledger: which campaigns are public, in
    which state, with or without a settlement report (one small query)."""
    rows = (
        Campaign.objects.filter(school=school)
        .exclude(state=CampaignState.DRAFT)
        .order_by("pk")
        .values_list("pk", "state", "settlement__pk", "settlement__cosigned_at")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:24]


def public_campaign_get(*, school: School, pk: int) -> Campaign:
    campaign = public_campaigns(school=school).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def settlement_figures(settlement) -> Figures:
    """The figures frozen when the report was prepared: what the board member signs."""
    frozen = settlement.figures or {}
    return Figures(
        cash_received=frozen.get("cash_received", 0),
        goods_value=frozen.get("goods_value", 0),
        work_hours=Decimal(frozen.get("work_hours") or 0),
        contributions=frozen.get("contributions", 0),
        spent=frozen.get("spent", 0),
    )


# Every change to what the board shows of a campaign's figures (a receipt of cash, goods or work, a
# correction, approved spending) is an entry of the school's ledger: figures read at one ledger length
# stay right until the next entry, so they are kept under that length.
FIGURES_SECONDS = 600


def public_figures(*, school: School, campaigns, ledger_length: int) -> dict[int, Figures]:
    """campaign_figures for a page of the school's campaigns, kept until the school's ledger grows."""
    campaigns = list(campaigns)
    ids = sorted(campaign.pk for campaign in campaigns)
    key = f"donations:public-figures:{school.pk}:{ledger_length}:" + ",".join(map(str, ids))
    figures = cache.get(key)
    if figures is None:
        figures = campaign_figures(campaigns=campaigns)
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def with_figures(campaigns, *, figures: dict[int, Figures] | None = None) -> list[Campaign]:
    """The campaigns (a page of them), each with `.figures` and `.wish_rows` (received against needed)."""
    campaigns = list(campaigns)
    if figures is None:
        figures = campaign_figures(campaigns=campaigns)
    for campaign in campaigns:
        campaign.figures = figures[campaign.pk]
        campaign.wish_rows = wish_progress(campaign=campaign, figures=campaign.figures)
    return campaigns


# --- Contributions and spending


# What a public page may read of a donor: how they chose to be shown, never their contacts.
DONOR_PUBLIC_FIELDS = ("donor__display", "donor__display_name", "donor__name")
CONTRIBUTION_PUBLIC_FIELDS = (
    "pk",
    "campaign_id",
    "kind",
    "amount",
    "items",
    "quantity",
    "estimated_value",
    "condition",
    "hours",
    "work_description",
    "received_on",
    "wish__name",
)


def public_contributions(*, campaign: Campaign) -> QuerySet:
    """The campaign's received contributions, newest first."""
    return (
        Contribution.objects.filter(campaign=campaign, state=ContributionState.RECEIVED)
        .select_related("donor", "wish")
        .only(*CONTRIBUTION_PUBLIC_FIELDS, *DONOR_PUBLIC_FIELDS)
        .order_by("-received_on", "-pk")
    )


def _evidence(*, public: bool) -> Prefetch:
    evidence = SpendingEvidence.objects.select_related("media").order_by("pk")
    if public:
        evidence = evidence.filter(personal=False)
    return Prefetch("evidence", queryset=evidence)


def public_spending(*, campaign: Campaign) -> QuerySet:
    """The campaign's approved spending with its public evidence, newest first."""
    return (
        Spending.objects.filter(campaign=campaign, state=SpendingState.APPROVED)
        .prefetch_related(_evidence(public=True))
        .order_by("-spent_on", "-pk")
    )


def public_evidence_get(*, school: School, pk: int) -> SpendingEvidence:
    """A piece of evidence that anyone may see: not personal, of approved spending of a published campaign."""
    evidence = (
        SpendingEvidence.objects.select_related("media")
        .filter(
            pk=pk,
            personal=False,
            spending__state=SpendingState.APPROVED,
            spending__campaign__school=school,
        )
        .exclude(spending__campaign__state=CampaignState.DRAFT)
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


# --- The ledger


def latest_entry(*, school: School) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(school=school).order_by("-seq").only("seq", "hash").first()


@dataclass(frozen=True)
class LedgerPage:
    """A page of the ledger, newest first. Entries are numbered 1..last without gaps, so a page is a
    range of numbers: no count over the whole ledger, however long it is."""

    entries: list
    number: int
    per_page: int
    last_seq: int

    class _Paginator:
        def __init__(self, num_pages):
            self.num_pages = num_pages

    @property
    def paginator(self):
        return self._Paginator(max(1, -(-self.last_seq // self.per_page)))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def ledger_page(*, school: School, last_seq: int, page: str | None, per_page: int) -> LedgerPage:
    try:
        number = max(1, int(page or 1))
    except ValueError:
        number = 1
    pages = max(1, -(-last_seq // per_page))
    number = min(number, pages)
    top = last_seq - (number - 1) * per_page
    entries = list(
        LedgerEntry.objects.filter(school=school, seq__lte=top, seq__gt=top - per_page)
        .only("seq", "kind", "canonical", "hash", "recorded_at", "campaign_id")
        .order_by("-seq")
    )
    return LedgerPage(entries=entries, number=number, per_page=per_page, last_seq=last_seq)


def campaign_ledger(*, campaign: Campaign) -> QuerySet:
    """One campaign's entries of the school's chain, newest first."""
    return (
        LedgerEntry.objects.filter(campaign=campaign)
        .only("seq", "kind", "canonical", "hash", "recorded_at", "campaign_id")
        .order_by("-seq")
    )


def ledger_rows(*, school: School, batch: int = 2000) -> Iterator[tuple[int, str, str]]:
    """(seq, canonical, hash) of every entry in order, read in keyset batches: bounded memory."""
    after = 0
    while True:
        chunk = list(
            LedgerEntry.objects.filter(school=school, seq__gt=after)
            .order_by("seq")
            .values_list("seq", "canonical", "hash")[:batch]
        )
        if not chunk:
            return
        yield from chunk
        after = chunk[-1][0]


# --- The books: for the parents' board, the sponsorship team and the managers


def books_campaigns(*, school: School) -> QuerySet:
    """Every campaign of the school, drafts included."""
    return _with_plan(Campaign.objects.filter(school=school), school=school).order_by("-created_at", "-pk")


def books_spending(*, school: School) -> QuerySet:
    """All the school's spending, whatever its state, with all its evidence (personal data included)."""
    return (
        Spending.objects.filter(campaign__school=school)
        .select_related("campaign")
        .only(
            "pk",
            "use",
            "description",
            "amount",
            "spent_on",
            "state",
            "rejection_reason",
            "over_balance_reason",
            "campaign__id",
            "campaign__title",
        )
        .prefetch_related(_evidence(public=False))
        .order_by("-spent_on", "-pk")
    )


def books_evidence_get(*, school: School, pk: int) -> SpendingEvidence:
    evidence = SpendingEvidence.objects.select_related("media").filter(pk=pk, spending__campaign__school=school).first()
    if evidence is None:
        raise Http404
    return evidence
