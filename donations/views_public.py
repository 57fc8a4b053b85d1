"""The school's public transparency board (/schools/<slug>/transparency/, no sign-in), and the books
that the parents' board, the sponsorship team and the managers read signed in.

Public pages show every published campaign's plan and figures, the received contributions with each
donor only as they chose to be shown (never a contact), the approved spending with its public
evidence, the settlement report (a page and a PDF) and the ledger in the canonical form that anyone
can check. Every page and download costs a fixed number of queries whatever the data's size.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from coordination.lib.fragments import kept
from donations import policies, selectors_public, services
from donations.hooks_public import board_topic
from donations.models import CampaignState, ContributionKind
from donations.settlement_pdf import settlement_pdf
from schools.caching import school_by_slug

CAMPAIGNS_PER_PAGE = 10
BOARD_SECONDS = 600
ITEMS_PER_PAGE = 25
LEDGER_PER_PAGE = 50
# The small images of a piece of evidence (made without the original's metadata) and their type.
EVIDENCE_VARIANTS = {
    "thumb": ("thumbnail", "image/jpeg"),
    "thumb-webp": ("thumbnail_webp", "image/webp"),
    "preview": ("preview", "image/jpeg"),
    "preview-webp": ("preview_webp", "image/webp"),
}
# Short: evidence later marked as personal must leave shared caches soon.
PUBLIC_FILE_SECONDS = 300


def _page(queryset, request, per_page: int, name: str = "page"):
    return Paginator(queryset, per_page).get_page(request.GET.get(name))


# --- The board and a campaign


def _with_public_figures(school, campaigns: list, latest) -> list:
    figures = selectors_public.public_figures(
        school=school, campaigns=campaigns, ledger_length=latest.seq if latest else 0
    )
    return selectors_public.with_figures(campaigns, figures=figures)


@require_safe
def board(request, slug: str):
    school = school_by_slug(slug)  # kept between requests (schools/caching.py)
    if school is None:
        raise Http404
    number = request.GET.get("page") or "1"

    def make() -> tuple[str, str]:
        latest = selectors_public.latest_entry(school=school)
        page = _page(selectors_public.public_campaigns(school=school), request, CAMPAIGNS_PER_PAGE)
        page.object_list = _with_public_figures(school, list(page.object_list), latest)
        html = render_to_string(
            "donations/public/_board_campaigns.html",
            {"school": school, "page": page, "voluntary_statement": services.VOLUNTARY_STATEMENT},
            request=request,
        )
        return (latest.hash if latest else ""), html

    # The ledger's latest hash and the campaigns with their figures are the same for everyone: kept per
    # page and language until the ledger, a campaign, its wishes or its settlement change (a topic of the
    # school's own: donations/hooks_public.py), and never longer than BOARD_SECONDS.
    latest_hash, campaigns_html = kept(
        None, "donations.board", make, schools=(), topics=[board_topic(school.pk)], extra=number[:12],
        timeout=BOARD_SECONDS,
    )  # fmt: skip
    return render(
        request,
        "donations/public/board.html",
        {
            "school": school,
            "campaigns_html": mark_safe(campaigns_html),  # noqa: S308 (rendered from our own template)
            "latest_hash": latest_hash,
            "voluntary_statement": services.VOLUNTARY_STATEMENT,
            "sees_books": policies.can_see_books(request.user, school),
        },
    )


@require_safe
def campaign(request, slug: str, pk: int):
    school = selectors_public.school_get(slug=slug)
    shown = selectors_public.public_campaign_get(school=school, pk=pk)
    shown = _with_public_figures(school, [shown], selectors_public.latest_entry(school=school))[0]
    contributions = _page(selectors_public.public_contributions(campaign=shown), request, ITEMS_PER_PAGE)
    spending = _page(selectors_public.public_spending(campaign=shown), request, ITEMS_PER_PAGE, "spending_page")
    return render(
        request,
        "donations/public/campaign.html",
        {
            "school": school,
            "campaign": shown,
            "contributions": contributions,
            "spending": spending,
            "voluntary_statement": services.VOLUNTARY_STATEMENT,
            "settlement": getattr(shown, "settlement", None),
        },
    )


# --- The settlement report and the board's co-signature


class CosignForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have read this report and its figures, and I sign it for the parents' board."),
        required=True,
    )


def _settled_campaign(slug: str, pk: int):
    school = selectors_public.school_get(slug=slug)
    shown = selectors_public.public_campaign_get(school=school, pk=pk)
    settlement = getattr(shown, "settlement", None)
    if settlement is None:
        raise Http404
    shown.figures = selectors_public.settlement_figures(settlement)
    return school, shown, settlement


@require_safe
def settlement(request, slug: str, pk: int):
    school, shown, report = _settled_campaign(slug, pk)
    can_cosign = not report.cosigned_at and policies.can_cosign_settlement(request.user, school)
    return render(
        request,
        "donations/public/settlement.html",
        {
            "school": school,
            "campaign": shown,
            "settlement": report,
            "form": CosignForm() if can_cosign else None,
        },
    )


@require_safe
def settlement_download(request, slug: str, pk: int):
    _school, shown, report = _settled_campaign(slug, pk)
    response = HttpResponse(settlement_pdf(settlement=report, figures=shown.figures), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="settlement-{shown.pk}.pdf"'
    return response


@login_required
@require_POST
def settlement_cosign(request, slug: str, pk: int):
    school, shown, report = _settled_campaign(slug, pk)
    if not policies.can_cosign_settlement(request.user, school):
        raise PermissionDenied
    form = CosignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you sign the report for the parents' board."))
    else:
        try:
            services.settlement_cosign(settlement=report, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: the settlement report carries the board's signature."))
    return redirect("donations:transparency_settlement", slug=school.slug, pk=shown.pk)


# --- Downloads


class _Echo:
    def write(self, value):
        return value


def _csv_response(filename: str, header: list, rows: Iterable[list], *, bom: bool = False) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        if bom:
            yield "\ufeff"  # spreadsheet programs then read the Vietnamese letters right
        yield writer.writerow([str(column) for column in header])
        for row in rows:
            yield writer.writerow(row)

    return _download(lines(), filename, "text/csv; charset=utf-8")


def _download(content: Iterator[str], filename: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _hours(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


@require_safe
def contributions_csv(request, slug: str, pk: int):
    school = selectors_public.school_get(slug=slug)
    shown = selectors_public.public_campaign_get(school=school, pk=pk)
    kinds = dict(ContributionKind.choices)

    def rows():
        for gift in selectors_public.public_contributions(campaign=shown).iterator(chunk_size=2000):
            yield [
                gift.received_on.isoformat() if gift.received_on else "",
                kinds.get(gift.kind, gift.kind),
                gift.amount if gift.kind == ContributionKind.CASH else "",
                gift.items,
                gift.quantity or "",
                gift.estimated_value if gift.kind == ContributionKind.IN_KIND else "",
                _hours(gift.hours),
                gift.work_description,
                gift.donor.public_name,
            ]

    header = [
        _("Date"),
        _("Kind"),
        _("Cash (đồng)"),
        _("Goods"),
        _("Quantity"),
        _("Estimated value (đồng)"),
        _("Hours"),
        _("Work"),
        _("Given by"),
    ]
    return _csv_response(f"{school.slug}-{shown.pk}-contributions.csv", header, rows(), bom=True)


@require_safe
def spending_csv(request, slug: str, pk: int):
    school = selectors_public.school_get(slug=slug)
    shown = selectors_public.public_campaign_get(school=school, pk=pk)

    def rows():
        for spent in selectors_public.public_spending(campaign=shown).prefetch_related(None).iterator(chunk_size=2000):
            yield [spent.spent_on.isoformat(), spent.get_use_display(), spent.description, spent.amount]

    header = [_("Date"), _("Purpose"), _("What was bought or paid"), _("Amount (đồng)")]
    return _csv_response(f"{school.slug}-{shown.pk}-spending.csv", header, rows(), bom=True)


# --- Evidence images


def _evidence_file(evidence, variant: str, *, public: bool):
    if variant not in EVIDENCE_VARIANTS:
        raise Http404
    field, content_type = EVIDENCE_VARIANTS[variant]
    name = getattr(evidence.media, field).name
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}-{variant}"'
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_FILE_SECONDS}"
    else:
        response["Cache-Control"] = "private, no-store"
    # The image is shown inside our pages only, never as a page of its own.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def evidence_file(request, slug: str, pk: int, variant: str):
    """A small image of public evidence (never the original, which may carry metadata)."""
    school = selectors_public.school_get(slug=slug)
    return _evidence_file(selectors_public.public_evidence_get(school=school, pk=pk), variant, public=True)


# --- The ledger


@require_safe
def ledger(request, slug: str):
    """The school's entries, newest first; with ?campaign=<pk>, one published campaign's entries."""
    school = selectors_public.school_get(slug=slug)
    latest = selectors_public.latest_entry(school=school)
    campaign_pk = request.GET.get("campaign", "")
    shown = None
    if campaign_pk:
        if not campaign_pk.isdigit():
            raise Http404
        shown = selectors_public.public_campaign_get(school=school, pk=int(campaign_pk))
        page = _page(selectors_public.campaign_ledger(campaign=shown), request, LEDGER_PER_PAGE)
    else:
        page = selectors_public.ledger_page(
            school=school, last_seq=latest.seq if latest else 0, page=request.GET.get("page"), per_page=LEDGER_PER_PAGE
        )
    return render(
        request,
        "donations/public/ledger.html",
        {
            "school": school,
            "latest": latest,
            "page": page,
            "entries": page.entries if shown is None else page.object_list,
            "campaign": shown,
            "campaign_query": f"campaign={shown.pk}&" if shown else "",
            "genesis": selectors_public.GENESIS,
        },
    )


@require_safe
def ledger_jsonl(request, slug: str):
    school = selectors_public.school_get(slug=slug)

    def lines():
        for seq, text, digest in selectors_public.ledger_rows(school=school):
            yield json.dumps({"seq": seq, "canonical": text, "hash": digest}, ensure_ascii=False) + "\n"

    return _download(lines(), f"{school.slug}-ledger.jsonl", "application/jsonl; charset=utf-8")


@require_safe
def ledger_csv(request, slug: str):
    school = selectors_public.school_get(slug=slug)
    return _csv_response(
        f"{school.slug}-ledger.csv", ["seq", "canonical", "hash"], selectors_public.ledger_rows(school=school)
    )


# --- The books (signed in)


def _books_school(request, slug: str):
    school = selectors_public.school_get(slug=slug)
    if not policies.can_see_books(request.user, school):
        raise Http404
    return school


@login_required
@require_safe
def books(request, slug: str):
    school = _books_school(request, slug)
    campaigns = _page(selectors_public.books_campaigns(school=school), request, CAMPAIGNS_PER_PAGE)
    campaigns.object_list = selectors_public.with_figures(campaigns.object_list)
    spending = _page(selectors_public.books_spending(school=school), request, ITEMS_PER_PAGE, "spending_page")
    return render(
        request,
        "donations/public/books.html",
        {
            "school": school,
            "campaigns": campaigns,
            "spending": spending,
            "latest": selectors_public.latest_entry(school=school),
            "draft": CampaignState.DRAFT,
        },
    )


@login_required
@require_safe
def books_evidence_file(request, slug: str, pk: int, variant: str):
    school = _books_school(request, slug)
    return _evidence_file(selectors_public.books_evidence_get(school=school, pk=pk), variant, public=False)
