"""The public campaign pages, comments on a plan, pledges, and a donor's own page.

Public pages show the plan and totals only: no family's contribution, nobody who did not give.
There is never a suggested or preset amount, and the QR codes carry a reference but no amount.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coordination.lib.pdf import qr_svg
from coordination.lib.vietqr import VietQRError, transfer_message, vietqr_payload
from donations import policies_campaigns, selectors, selectors_campaigns, services, services_campaigns
from donations.forms import AnswerForm, CancelForm, CommentForm, DisplayForm, PledgeForm
from donations.hooks_campaigns import donor_mark_remember
from donations.models import CampaignState, Comment, ContributionKind, ContributionState, Donor

# --- Transfers


def transfer_payload(account, message: str) -> str | None:
    """The VietQR payload for a transfer to the school's account with `message`, and NO amount: the giver types it."""
    if account is None:
        return None
    try:
        return vietqr_payload(bin=account.bank_bin, account=account.account_number, message=message)
    except VietQRError:
        return None


def _qr(account, message: str) -> str | None:
    """The VietQR code as an inline SVG: a few kilobytes, sharp on any phone."""
    payload = transfer_payload(account, message)
    if payload is None:
        return None
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", qr_svg(payload).decode())
    label = escape(_("VietQR code for a bank transfer"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr" ', 1))  # noqa: S308


def _account(school):
    return selectors_campaigns.school_account(school=school)


# --- The campaigns of a school, and one campaign's page


@require_safe
def campaign_list(request, slug: str):
    school = selectors_campaigns.school_for_campaigns(slug=slug)
    campaigns = selectors_campaigns.campaigns_listed(user=request.user, school=school)
    figures = selectors.campaign_figures(campaigns=campaigns) if campaigns else {}
    rows = [{"campaign": c, "figures": figures.get(c.pk)} for c in campaigns]
    return render(request, "donations/campaigns/campaign_list.html", {"school": school, "rows": rows})


def _campaign_context(request, school, campaign, *, comment_form=None) -> dict:
    figures = selectors.campaign_figures(campaigns=[campaign])[campaign.pk]
    account = _account(school)
    message = transfer_message(f"{services.campaign_reference(campaign)} {campaign.title}")
    target = campaign.target_amount
    comments = list(campaign.comments.all())
    can_comment = campaign.state == CampaignState.COMMENT and policies_campaigns.can_comment(request.user, school)
    return {
        "school": school,
        "campaign": campaign,
        "statement": services.VOLUNTARY_STATEMENT,
        "figures": figures,
        "target_percent": min(100, round(figures.cash_received * 100 / target)) if target else None,
        "wishes": selectors.wish_progress(campaign=campaign, figures=figures),
        "account": account,
        "transfer_message": message,
        "qr": _qr(account, message) if campaign.state == CampaignState.OPEN else None,
        "comments": comments,
        "can_comment": can_comment,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
        "can_answer": policies_campaigns.can_answer_comments(request.user, school),
        "answer_form": AnswerForm(),
        "can_pledge": campaign.state == CampaignState.OPEN and policies_campaigns.can_pledge(request.user, school),
    }


@require_safe
def campaign_page(request, slug: str, pk: int):
    school = selectors_campaigns.school_for_campaigns(slug=slug)
    campaign = selectors_campaigns.campaign_for_page(user=request.user, school=school, pk=pk)
    return render(request, "donations/campaigns/campaign.html", _campaign_context(request, school, campaign))


# --- Comments on a plan published for comment


@login_required
@require_POST
def comment_add(request, slug: str, pk: int):
    school = selectors_campaigns.school_for_campaigns(slug=slug)
    campaign = selectors_campaigns.campaign_for_page(user=request.user, school=school, pk=pk)
    if not policies_campaigns.can_comment(request.user, school):
        return render(
            request,
            "donations/campaigns/refused.html",
            {
                "school": school,
                "campaign": campaign,
                "reason": _("Only the families and the staff of the school can comment on its plans."),
            },
            status=403,
        )
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(campaign=campaign, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your comment is on the page. The principal will answer it here."))
            return redirect(campaign.get_absolute_url() + "#comments")
    context = _campaign_context(request, school, campaign, comment_form=form)
    return render(request, "donations/campaigns/campaign.html", context, status=400)


@login_required
@require_POST
def comment_answer(request, comment_id: int):
    comment = Comment.objects.select_related("campaign__school").filter(pk=comment_id).first()
    if comment is None or not policies_campaigns.can_answer_comments(request.user, comment.campaign.school):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.comment_answer(comment=comment, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your answer is on the page."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect(comment.campaign.get_absolute_url() + f"#comment-{comment.pk}")


# --- Pledges


def _pledging_donor(*, school, user) -> Donor | None:
    """The donor record a person pledges with: a guardian's (made on the first pledge) or an invited donor's."""
    if policies_campaigns.is_guardian_at(user, school):
        return services.donor_for_guardian(school=school, user=user)
    return Donor.objects.filter(school=school, user=user).first()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pledge(request, slug: str, pk: int):
    school = selectors_campaigns.school_for_campaigns(slug=slug)
    campaign = selectors_campaigns.campaign_for_page(user=request.user, school=school, pk=pk)
    if not policies_campaigns.can_pledge(request.user, school):
        reason = _(
            "Pledges on this page are for the families of the school and the donors it invited. "
            "Anyone can still give by bank transfer with the code on the campaign's page."
        )
        context = {"school": school, "campaign": campaign, "reason": reason}
        return render(request, "donations/campaigns/refused.html", context, status=403)
    wishes = list(campaign.wishes.all())
    existing = Donor.objects.filter(school=school, user=request.user).first()
    initial = (
        {"display": existing.display, "display_name": existing.display_name, "language": existing.language}
        if existing
        else {}
    )
    form = PledgeForm(request.POST or None, wishes=wishes, initial=initial)
    status = 200
    if request.method == "POST":
        if not campaign.accepts_contributions:
            form.is_valid()
            form.add_error(None, _("This campaign is not open for contributions."))
        if form.is_valid():
            try:
                with transaction.atomic():
                    donor = _pledging_donor(school=school, user=request.user)
                    services_campaigns.donor_display_set(
                        donor=donor,
                        by=request.user,
                        display=form.cleaned_data["display"],
                        display_name=form.cleaned_data.get("display_name", ""),
                        language=form.cleaned_data["language"],
                    )
                    contribution = services.contribution_pledge(
                        campaign=campaign, donor=donor, by=request.user, **form.pledge_arguments()
                    )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                donor_mark_remember(request.user)
                messages.success(request, _("Thank you for your pledge."))
                return redirect("donations:contribution", pk=contribution.pk)
        status = 400
    context = {
        "school": school,
        "campaign": campaign,
        "form": form,
        "statement": services.VOLUNTARY_STATEMENT,
        "open": campaign.accepts_contributions,
    }
    return render(request, "donations/campaigns/pledge.html", context, status=status)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- A donor's own page


def letter_pdf_url(letter) -> str | None:
    """The letter's PDF, once the letters' part offers it."""
    try:
        return reverse("donations:letter_pdf", kwargs={"pk": letter.pk})
    except NoReverseMatch:
        return None


@login_required
@require_safe
def donor_page(request):
    donors = selectors_campaigns.donor_records(user=request.user)
    contributions = selectors_campaigns.own_contributions(user=request.user)
    letters = selectors_campaigns.own_letters(user=request.user)
    context = {
        "donors": [{"donor": d, "form": DisplayForm(initial=_display_initial(d), prefix=f"d{d.pk}")} for d in donors],
        "contributions": contributions,
        "letters": [{"letter": letter, "url": letter_pdf_url(letter)} for letter in letters],
    }
    return render(request, "donations/campaigns/donor_page.html", context)


def _display_initial(donor) -> dict:
    return {"display": donor.display, "display_name": donor.display_name, "language": donor.language}


@login_required
@require_safe
def contribution_page(request, pk: int):
    contribution = selectors_campaigns.own_contribution(user=request.user, pk=pk)
    qr = None
    if contribution.kind == ContributionKind.CASH and contribution.state == ContributionState.PLEDGED:
        qr = _qr(_account(contribution.school), contribution.payment_reference)
    context = {
        "contribution": contribution,
        "account": _account(contribution.school),
        "qr": qr,
        "cancel_form": CancelForm(),
    }
    return render(request, "donations/campaigns/contribution.html", context)


@login_required
@require_POST
def contribution_cancel(request, pk: int):
    contribution = selectors_campaigns.own_contribution(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.contribution_cancel(
            contribution=contribution, by=request.user, reason=reason or _("Cancelled by the donor.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your pledge is cancelled. Thank you for thinking of the school."))
    return redirect("donations:mine")


@login_required
@require_POST
def donor_display(request, pk: int):
    donor = selectors_campaigns.own_donor(user=request.user, pk=pk)
    form = DisplayForm(request.POST, prefix=f"d{donor.pk}")
    if form.is_valid():
        try:
            services_campaigns.donor_display_set(donor=donor, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved: this is how you are shown from now on."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("donations:mine")


@login_required
@require_safe
def receipt_pdf(request, pk: int):
    from donations.receipts import receipt_pdf as render_receipt

    contribution = selectors_campaigns.own_contribution(user=request.user, pk=pk)
    if not contribution.receipt_number or contribution.state != ContributionState.RECEIVED:
        raise Http404
    response = HttpResponse(render_receipt(contribution=contribution), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{contribution.receipt_label}.pdf"'
    return response


# --- A donor's invitation from the school


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token: str):
    from donations import services_invitations

    if not request.user.is_authenticated:
        here = request.get_full_path()
        context = {
            "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
            "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
        }
        return render(request, "donations/campaigns/invitation_sign_in.html", context)
    found = selectors_campaigns.invitation_by_token(token=token)
    problem = services_invitations.invitation_problem(invitation=found, user=request.user)
    if request.method == "POST" and problem is None:
        try:
            services_invitations.donor_invitation_accept(invitation=found, user=request.user)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            donor_mark_remember(request.user)
            messages.success(request, _("Welcome: your gifts to the school are on your page."))
            return redirect("donations:mine")
    return render(
        request,
        "donations/campaigns/invitation.html",
        {"invitation": found if problem is None else None, "problem": problem},
        status=200 if problem is None else 410 if found is not None else 404,
    )
