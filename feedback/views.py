"""The feedback box and polls pages: thin views over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination.lib.forms import errors_to_form
from feedback import policies, selectors, services
from feedback.forms import AnswerForm, FeedbackForm, PollForm

GET = ["GET", "HEAD"]


@login_required
@require_http_methods(GET)
def feedback_home(request):
    """A family's own items and where to send a new one; links to the inboxes for those who have one."""
    user = request.user
    return render(
        request,
        "feedback/home.html",
        {
            "items": selectors.items_sent_by(user=user),
            "schools": selectors.family_schools(user=user),
            "assigned": selectors.assigned_items(user=user),
            "inboxes": selectors.schools_led(user=user),
            "officer": selectors.is_feedback_officer(user),
        },
    )


@login_required
@require_http_methods([*GET, "POST"])
def feedback_new(request, slug: str):
    school = selectors.school_for_sending(user=request.user, slug=slug)
    form = FeedbackForm(request.POST or None)
    photo_id = request.POST.get("photo", "") if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid():
        try:
            item = services.feedback_send(by=request.user, school=school, photo_id=photo_id, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if item.route == "authority":
                messages.success(request, _("Thank you. Your concern is sent to the commune authority only."))
            else:
                messages.success(request, _("Thank you. Your message is sent to the school."))
            return redirect("feedback:item", item.pk)
    return render(
        request,
        "feedback/new.html",
        {"school": school, "form": form, "photo_id": photo_id},
        status=400 if request.method == "POST" else 200,
    )


def _item_page(request, view, *, answer_form=None, status=200):
    item = view.item
    user = request.user
    context = {"view": view, "item": item, "answer_form": None, "staff": [], "can_publish": False}
    if policies.can_answer(user, item) and (item.route == "authority" or policies.handles_for_school(user, item)):
        context["answer_form"] = answer_form or AnswerForm(initial={"answer": item.answer})
    if policies.can_assign(user, item):
        context["staff"] = selectors.staff_for_assigning(school=item.school)
        context["can_publish"] = item.publish_agreed and item.is_answered
    return render(request, "feedback/item.html", context, status=status)


@login_required
@require_http_methods(GET)
def item_detail(request, item_id: int):
    view = selectors.item_for_viewing(user=request.user, item_id=item_id)
    return _item_page(request, view)


@login_required
@require_POST
def item_answer(request, item_id: int):
    item = selectors.item_for(user=request.user, item_id=item_id, check=policies.can_answer)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_answer(by=request.user, item=item, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your answer is sent. The sender can read it now."))
            return redirect("feedback:item", item.pk)
    view = selectors.item_for_viewing(user=request.user, item_id=item.pk)
    return _item_page(request, view, answer_form=form, status=400)


@login_required
@require_POST
def item_assign(request, item_id: int):
    item = selectors.item_for(user=request.user, item_id=item_id, check=policies.can_assign)
    try:
        staff_id = int(request.POST.get("assigned_to") or 0) or None
    except ValueError:
        staff_id = -1
    try:
        services.feedback_assign(by=request.user, item=item, staff_user_id=staff_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("feedback:item", item.pk)
    messages.success(request, _("Saved."))
    return redirect("feedback:item", item.pk)


@login_required
@require_POST
def item_publish(request, item_id: int):
    item = selectors.item_for(user=request.user, item_id=item_id, check=policies.can_publish)
    publish = request.POST.get("action", "publish") != "unpublish"
    try:
        services.feedback_publish(by=request.user, item=item, publish=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if publish:
            messages.success(request, _("Published on the school's public page, without the sender's name."))
        else:
            messages.success(request, _("Taken off the school's public page."))
    return redirect("feedback:item", item.pk)


@login_required
@require_http_methods(GET)
def school_inbox(request, slug: str):
    school = selectors.school_for_inbox(user=request.user, slug=slug)
    return render(request, "feedback/inbox.html", {"inbox": selectors.school_inbox(user=request.user, school=school)})


@login_required
@require_http_methods(GET)
def authority_inbox(request):
    if not selectors.is_feedback_officer(request.user):
        raise Http404
    return render(request, "feedback/authority.html", {"items": selectors.authority_inbox(user=request.user)})


@require_http_methods(GET)
def published(request, slug: str):
    """“You asked, we answered”: public, no name of anyone."""
    school = selectors.school_public(slug=slug)
    items = selectors.published_items(school=school)
    return render(request, "feedback/published.html", {"school": school, "items": items})


# --- Polls


@login_required
@require_http_methods(GET)
def poll_list(request):
    user = request.user
    polls = selectors.polls_for(user=user)
    schools = selectors.schools_led(user=user)
    return render(
        request,
        "feedback/polls.html",
        {"open": [p for p in polls if not p.closed], "closed": [p for p in polls if p.closed], "schools": schools},
    )


@login_required
@require_http_methods([*GET, "POST"])
def poll_new(request, slug: str):
    school = selectors.school_for_polls(user=request.user, slug=slug)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(
                by=request.user,
                school=school,
                question=form.cleaned_data["question"],
                options=form.cleaned_data["options"].splitlines(),
                closes_at=form.cleaned_data["closes_at"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The poll is open. The families can answer now."))
            return redirect("feedback:poll", poll.pk)
    return render(
        request,
        "feedback/poll_new.html",
        {"school": school, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _poll_page(request, poll_id: int, *, error: str = "", status=200):
    view = selectors.poll_for_viewing(user=request.user, poll_id=poll_id)
    return render(request, "feedback/poll.html", {"view": view, "poll": view.poll, "error": error}, status=status)


@login_required
@require_http_methods(GET)
def poll_detail(request, poll_id: int):
    return _poll_page(request, poll_id)


@login_required
@require_POST
def poll_answer(request, poll_id: int):
    poll = selectors.poll_for(user=request.user, poll_id=poll_id, check=policies.can_answer_poll)
    try:
        services.poll_answer(
            by=request.user, poll=poll, child_id=request.POST.get("child"), option_id=request.POST.get("option")
        )
    except ValidationError as exc:
        return _poll_page(request, poll.pk, error=" ".join(exc.messages), status=400)
    messages.success(request, _("Thank you: your answer is saved. You can change it until the poll closes."))
    return redirect("feedback:poll", poll.pk)


@login_required
@require_POST
def poll_close(request, poll_id: int):
    poll = selectors.poll_for(user=request.user, poll_id=poll_id, check=policies.can_close_poll)
    services.poll_close(by=request.user, poll=poll, now=timezone.now())
    messages.success(request, _("The poll is closed. The families can see the results."))
    return redirect("feedback:poll", poll.pk)
