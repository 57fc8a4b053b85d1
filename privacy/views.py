"""The privacy notice, a person's requests, and the school contact's queue, holds and retention periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination.lib.forms import errors_to_form
from privacy import selectors, services
from privacy.forms import (
    ExtendForm,
    HoldForm,
    NoteForm,
    OutcomeForm,
    PaperRequestForm,
    ReasonForm,
    RequestForm,
    RetentionForm,
)
from schools.models import Child

GET = ["GET", "HEAD"]


@require_http_methods(GET)
def notice(request):
    """The privacy notice, generated from the apps' declarations; public."""
    return render(
        request, "privacy/notice.html", {"sections": selectors.privacy_notice(), "grounds": selectors.grounds()}
    )


@login_required
@require_http_methods([*GET, "POST"])
def mine(request):
    children = selectors.family_children(user=request.user)
    form = RequestForm(request.POST or None, children=children)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.request_make(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    child=form.cleaned_data["child"],
                    details=form.cleaned_data["details"],
                    consent_purpose=form.cleaned_data["consent_purpose"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request, _("Your request was sent to the school. It answers within the legal deadlines.")
                )
                return redirect("privacy:request", made.pk)
        status = 400
    context = {
        "form": form,
        "children": children,
        "requests": selectors.requests_of(user=request.user),
        "left_children": selectors.left_children_of(user=request.user, children=children),
    }
    return render(request, "privacy/mine.html", context, status=status)


@login_required
@require_http_methods(GET)
def request_detail(request, request_id: int):
    item = selectors.request_for_requester(user=request.user, request_id=request_id)
    return render(request, "privacy/request.html", {"item": item, "events": list(item.events.all())})


@login_required
@require_POST
def request_cancel(request, request_id: int):
    item = selectors.request_for_requester(user=request.user, request_id=request_id)
    try:
        services.request_cancel(request=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request is cancelled."))
    return redirect("privacy:request", item.pk)


# --- The school's data protection contact.


@login_required
@require_http_methods(GET)
def queue(request, slug: str):
    school = selectors.school_for_contact(user=request.user, slug=slug)
    return render(request, "privacy/queue.html", {"school": school, "queue": selectors.queue_for(school=school)})


def _school_children(school):
    return list(Child.objects.filter(school=school).order_by("full_name"))


@login_required
@require_http_methods([*GET, "POST"])
def paper(request, slug: str):
    school = selectors.school_for_contact(user=request.user, slug=slug)
    form = PaperRequestForm(request.POST or None, children=_school_children(school))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.request_record_paper(school=school, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The request is recorded, with its deadlines."))
                return redirect("privacy:queue_item", school.slug, made.pk)
        status = 400
    return render(request, "privacy/paper.html", {"school": school, "form": form}, status=status)


ACTIONS = ("acknowledge", "extend", "complete", "refuse", "note")


@login_required
@require_http_methods([*GET, "POST"])
def queue_item(request, slug: str, request_id: int):
    school = selectors.school_for_contact(user=request.user, slug=slug)
    item = selectors.queue_item(school=school, request_id=request_id)
    forms = {
        "extend": ExtendForm(prefix="extend"),
        "complete": OutcomeForm(prefix="complete"),
        "refuse": ReasonForm(prefix="refuse"),
        "note": NoteForm(prefix="note"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "acknowledge":
                services.request_acknowledge(request=item, by=request.user)
            elif action in forms:
                form = {"extend": ExtendForm, "complete": OutcomeForm, "refuse": ReasonForm, "note": NoteForm}[action](
                    request.POST, prefix=action
                )
                forms[action] = form
                if not form.is_valid():
                    raise ValidationError(_("Please correct the form below."))
                data = form.cleaned_data
                if action == "extend":
                    services.request_extend(request=item, by=request.user, until=data["until"], reason=data["reason"])
                elif action == "complete":
                    services.request_complete(request=item, by=request.user, outcome=data["outcome"])
                elif action == "refuse":
                    services.request_refuse(request=item, by=request.user, reason=data["reason"])
                else:
                    services.request_note(request=item, by=request.user, note=data["note"])
            else:
                raise ValidationError(_("Choose an action."))
        except ValidationError as error:
            target = forms.get(action)
            if target is not None and hasattr(error, "error_dict"):
                errors_to_form(target, error)
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(request, _("Done."))
            return redirect("privacy:queue_item", school.slug, item.pk)
        item = selectors.queue_item(school=school, request_id=request_id)
    context = {"school": school, "item": item, "events": list(item.events.all()), "forms": forms}
    return render(request, "privacy/queue_item.html", context, status=status)


@login_required
@require_http_methods([*GET, "POST"])
def holds(request, slug: str):
    school = selectors.school_for_contact(user=request.user, slug=slug)
    form = HoldForm(request.POST or None, children=_school_children(school))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.hold_place(school=school, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request, _("The hold is placed: this child's data will not be erased until it is lifted.")
                )
                return redirect("privacy:holds", school.slug)
        status = 400
    return render(
        request,
        "privacy/holds.html",
        {"school": school, "form": form, "holds": selectors.holds_of(school=school)},
        status=status,
    )


@login_required
@require_POST
def hold_lift(request, slug: str, hold_id: int):
    school = selectors.school_for_contact(user=request.user, slug=slug)
    services.hold_lift(hold=selectors.hold_for(school=school, hold_id=hold_id), by=request.user)
    messages.success(request, _("The hold is lifted."))
    return redirect("privacy:holds", school.slug)


@login_required
@require_http_methods([*GET, "POST"])
def retention(request, slug: str):
    school = selectors.school_for_contact(user=request.user, slug=slug)
    lines = selectors.retention_lines(school=school)
    form = RetentionForm(request.POST or None, lines=lines)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.retention_periods_set(
                school=school, days={key: days for key, days in form.cleaned_data.items() if days is not None}
            )
            messages.success(request, _("The retention periods are saved."))
            return redirect("privacy:retention", school.slug)
        status = 400
    context = {"school": school, "form": form, "lines": lines, "runs": selectors.retention_runs(school=school)}
    return render(request, "privacy/retention.html", context, status=status)
