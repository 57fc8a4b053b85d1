from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parents import selectors, services
from parents.forms import ConsentForm, JoinForm
from parents.policies import can_claim_children, can_manage_pickup_persons, can_record_consent
from schools import selectors as school_selectors
from schools import services as school_services
from schools.forms import PickupPersonForm
from schools.models import PickupPerson

# A code has 40 bits; with this limit guessing one takes longer than its life.
JOIN_ATTEMPTS_PER_HOUR = 10
PENDING_CODE_KEY = "pending_join_code"


@login_required
def family_home(request):
    children = school_selectors.children_of_guardian(user=request.user)
    return render(request, "parents/family_home.html", {"children": children})


def _join_attempts_exceeded(user) -> bool:
    key = f"join-attempts:{user.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        attempts = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        attempts = 1
    return attempts > JOIN_ATTEMPTS_PER_HOUR


@login_required
def join(request):
    """A parent enters (or scans) the code from the school's letter and becomes a guardian."""
    # The code from the letter's QR link is kept through sign-up and e-mail
    # verification, so the parent does not have to scan it again.
    if request.GET.get("code"):
        request.session[PENDING_CODE_KEY] = request.GET["code"][:20]
    initial = {"code": request.GET.get("code") or request.session.get(PENDING_CODE_KEY, "")}
    form = JoinForm(request.POST or None, initial=initial)
    verified = can_claim_children(request.user)
    if request.method == "POST" and not verified:
        form.is_valid()
        form.add_error(None, _("Verify your e-mail address or phone number first, then enter the code."))
    elif request.method == "POST" and form.is_valid():
        if _join_attempts_exceeded(request.user):
            form.add_error(None, _("Too many attempts. Wait an hour and try again, or ask the school."))
        else:
            try:
                guardianship = services.invitation_claim(
                    code=form.cleaned_data["code"],
                    user=request.user,
                    relationship=form.cleaned_data["relationship"],
                )
            except services.InvitationError as exc:
                form.add_error("code", str(exc))
            else:
                request.session.pop(PENDING_CODE_KEY, None)
                messages.success(
                    request,
                    _("Welcome! You are now linked to %(child)s.") % {"child": guardianship.child.full_name},
                )
                return redirect("parents:consents", child_id=guardianship.child_id)
    return render(request, "parents/join.html", {"form": form, "verified": verified})


def _child_for_guardian(request, child_id, check):
    child = school_selectors.child_get(user=request.user, child_id=child_id)
    if not check(request.user, child):
        raise Http404
    return child


@login_required
def consents(request, child_id: int):
    child = _child_for_guardian(request, child_id, can_record_consent)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            granted = form.cleaned_data["decision"] == "grant"
            services.consent_record(
                guardian=request.user, child=child, purpose=form.cleaned_data["purpose"], granted=granted
            )
            messages.success(request, _("Your choice was saved.") if granted else _("Your consent was withdrawn."))
            return redirect("parents:consents", child_id=child.pk)
        messages.error(request, _("Choose a purpose and a decision."))
    return render(
        request,
        "parents/consents.html",
        {
            "child": child,
            "states": selectors.consent_states(guardian=request.user, child=child),
            "history": selectors.consent_history(child=child, guardian=request.user),
        },
    )


@login_required
def pickup_persons(request, child_id: int):
    child = _child_for_guardian(request, child_id, can_manage_pickup_persons)
    form = PickupPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school_services.pickup_person_add(child=child, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s was added.") % {"name": form.cleaned_data["full_name"]})
        return redirect("parents:pickup", child_id=child.pk)
    people = school_selectors.child_people(child=child)
    return render(request, "parents/pickup_persons.html", {"child": child, "form": form, **people})


@login_required
@require_POST
def pickup_person_remove(request, child_id: int, person_id: int):
    child = _child_for_guardian(request, child_id, can_manage_pickup_persons)
    person = get_object_or_404(PickupPerson, pk=person_id, child=child)
    school_services.pickup_person_remove(person=person, by=request.user)
    messages.success(request, _("%(name)s was removed.") % {"name": person.full_name})
    return redirect("parents:pickup", child_id=child.pk)
