"""The breach register: record a breach, follow its 72-hour clock, draft the notification, take the steps."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from privacy import policies, selectors_breaches, services_breaches
from privacy.forms_breaches import BreachForm, CloseForm, StepNoteForm, TellFamiliesForm
from privacy.services_breaches import STEP_LABELS


def _register_user(request):
    if not policies.can_use_breach_register(request.user):
        raise Http404


@login_required
def breach_list(request):
    _register_user(request)
    now = timezone.now()
    breaches = list(selectors_breaches.breaches_for(user=request.user))
    for breach in breaches:
        breach.clock = selectors_breaches.breach_clock(breach, now=now)
    return render(request, "privacy/breach_list.html", {"breaches": breaches})


@login_required
def breach_new(request):
    _register_user(request)
    schools = selectors_breaches.breach_schools(user=request.user)
    form = BreachForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        school, children = data.pop("school"), data.pop("children")
        try:
            breach = services_breaches.breach_record(by=request.user, school=school, children=children, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The breach was recorded. The authority must be notified in time."))
            return redirect("privacy:breach", breach_id=breach.pk)
    return render(request, "privacy/breach_form.html", {"form": form})


@login_required
def breach_detail(request, breach_id: int):
    breach = selectors_breaches.breach_get(user=request.user, breach_id=breach_id)
    breach.clock = selectors_breaches.breach_clock(breach, now=timezone.now())
    events = list(breach.events.select_related("by"))
    for event in events:
        event.label = STEP_LABELS.get(event.action, event.action)
    return render(
        request,
        "privacy/breach_detail.html",
        {
            "breach": breach,
            "children": list(breach.children.select_related("classroom").order_by("full_name")),
            "events": events,
            "now": timezone.now(),
            "hours": settings.PRIVACY_BREACH_NOTIFY_HOURS,
            "notify_form": StepNoteForm(prefix="notify"),
            "tell_form": TellFamiliesForm(prefix="tell"),
            "close_form": CloseForm(prefix="close"),
        },
    )


@login_required
def breach_draft(request, breach_id: int):
    breach = selectors_breaches.breach_get(user=request.user, breach_id=breach_id)
    return render(
        request,
        "privacy/breach_draft.html",
        {
            "breach": breach,
            "school": breach.school,
            "children_count": breach.children.count(),
            "reporter": breach.reported_by,
            "now": timezone.now(),
        },
    )


def _step(request, breach_id: int, form_class, prefix: str, act) -> object:
    breach = selectors_breaches.breach_get(user=request.user, breach_id=breach_id)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("privacy:breach", breach_id=breach.pk)
    try:
        message = act(breach, form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("privacy:breach", breach_id=breach.pk)


@login_required
@require_POST
def breach_notified(request, breach_id: int):
    def act(breach, data):
        services_breaches.breach_authority_notified(breach=breach, by=request.user, note=data["note"])
        return _("Marked: the authority was notified.")

    return _step(request, breach_id, StepNoteForm, "notify", act)


@login_required
@require_POST
def breach_tell(request, breach_id: int):
    def act(breach, data):
        sent = services_breaches.breach_families_tell(breach=breach, by=request.user, message=data["message"])
        return ngettext("%(count)d guardian was told.", "%(count)d guardians were told.", sent) % {"count": sent}

    return _step(request, breach_id, TellFamiliesForm, "tell", act)


@login_required
@require_POST
def breach_close(request, breach_id: int):
    def act(breach, data):
        services_breaches.breach_close(breach=breach, by=request.user, note=data["note"])
        return _("The breach is closed.")

    return _step(request, breach_id, CloseForm, "close", act)
