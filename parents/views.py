import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.adapter import client_ip
from coordination.lib import fragments
from coordination.lib.offline import offline_page
from parents import selectors, services
from parents.forms import ConsentForm, FamilyViewerInviteForm, JoinForm
from parents.models import Guardianship, GuardianshipStatus
from parents.policies import (
    can_claim_children,
    can_decide_guardianship,
    can_invite_family_viewers,
    can_manage_pickup_persons,
    can_record_consent,
    can_see_family_viewers,
    family_school_ids,
    guardian_child_ids,
)
from schools import policies as school_policies
from schools import selectors as school_selectors
from schools import services as school_services
from schools.forms import PickupPersonForm
from schools.models import PickupPerson, School

# A code has 40 bits; with this limit guessing one takes longer than its life.
JOIN_ATTEMPTS_PER_HOUR = 10
PENDING_CODE_KEY = "pending_join_code"


@login_required
@offline_page
def family_home(request):
    """A family's home: the children they look after, and the children they follow as a family viewer."""
    user = request.user
    has_children = bool(guardian_child_ids(user))  # known from the person's cached values
    children_part = ""
    if has_children:
        # The children's cards, kept until something they show changes (coordination/lib/fragments.py).
        children_part = fragments.cached(
            request,
            "parents.family_children",
            lambda: _family_children_part(request),
            schools=family_school_ids(user) or (),
        )
    waiting = selectors.guardianships_waiting_of(user=user)
    followed = selectors.children_followed_by(user=user)
    return render(
        request,
        "parents/family_home.html",
        {"has_children": has_children, "children_part": children_part, "waiting": waiting, "followed": followed},
    )


def _family_children_part(request) -> str:
    children = school_selectors.children_of_guardian(user=request.user)
    viewers = selectors.viewer_names_by_child(
        child_ids=[c.pk for c in children], school_ids={c.school_id for c in children}
    )
    for child in children:
        child.current_viewers = viewers.get(child.pk, [])
    return fragments.render_part("parents/_family_children.html", {"children": children}, request)


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
                if guardianship.status == GuardianshipStatus.PENDING:
                    messages.info(
                        request,
                        _(
                            "Your request to be a guardian of %(child)s is waiting for confirmation. You work at "
                            "the school, so a leader (or, without one, another member of the staff) must confirm "
                            "it first. Until then you cannot see the child as a guardian; you will be told."
                        )
                        % {"child": guardianship.child.full_name},
                    )
                    return redirect("parents:home")
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


# --- Confirming, questioning and deciding about guardianships


@login_required
def school_guardianships(request, slug: str):
    """A leader's list of staff members' claims to confirm and suspended guardians to decide about."""
    school = get_object_or_404(School, slug=slug)
    data = selectors.guardianships_to_decide(user=request.user, school=school)
    return render(
        request,
        "parents/school_guardianships.html",
        {"school": school, "awaiting": data.awaiting, "recent": data.recent, "Status": GuardianshipStatus},
    )


DECIDED_MESSAGES = {
    "confirm": _lazy("%(person)s is now a guardian of %(child)s. The family and the class teachers were told."),
    "refuse": _lazy("The request of %(person)s for %(child)s was refused."),
    "restore": _lazy("%(person)s is a guardian of %(child)s again."),
    "end": _lazy("%(person)s is no longer a guardian of %(child)s."),
}


@login_required
@require_POST
def guardianship_decide(request, guardianship_id: int):
    guardianship = get_object_or_404(
        Guardianship.objects.select_related("school", "child", "guardian"), pk=guardianship_id
    )
    own = guardianship.guardian_id == request.user.pk
    if not own and not can_decide_guardianship(request.user, guardianship):
        raise Http404
    decision = request.POST.get("decision", "")
    try:
        services.guardianship_decide(guardianship=guardianship, by=request.user, decision=decision)
    except services.GuardianshipError as exc:
        messages.error(request, str(exc))
    else:
        names = {"person": guardianship.guardian, "child": guardianship.child.full_name}
        messages.success(request, DECIDED_MESSAGES[decision] % names)
    if school_policies.is_leader_of(request.user, guardianship.school_id) or request.user.is_superuser:
        return redirect("parents:school_guardianships", slug=guardianship.school.slug)
    return redirect("home")


@login_required
def guardianship_check(request, guardianship_id: int):
    """From the message about a new guardian: "Do you know this person?" Saying no suspends them at once."""
    guardianship = selectors.guardianship_for_check(user=request.user, guardianship_id=guardianship_id)
    if request.method == "POST":
        answer = request.POST.get("answer")
        names = {"person": guardianship.guardian, "child": guardianship.child.full_name}
        if answer == "unknown":
            try:
                services.guardianship_question(guardianship=guardianship, by=request.user)
            except services.GuardianshipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "%(person)s can no longer see %(child)s. The school's leaders were told and will decide; "
                        "you will hear from them."
                    )
                    % names,
                )
            return redirect("parents:guardianship_check", guardianship_id=guardianship.pk)
        if answer == "known":
            messages.success(request, _("Thank you. Nothing changes."))
            return redirect("schools:child", child_id=guardianship.child_id)
        messages.error(request, _("Choose one of the two answers."))
    return render(request, "parents/guardianship_check.html", {"guardianship": guardianship})


# --- Family viewers: a guardian invites family members to follow a child, read-only

# secrets.token_urlsafe: letters, digits, "-" and "_".
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


@login_required
def family_viewers(request, child_id: int):
    """The child's guardians see who follows the child, invite someone new, and revoke any of them."""
    child = _child_for_guardian(request, child_id, can_see_family_viewers)
    can_invite = can_invite_family_viewers(request.user, child)
    form = FamilyViewerInviteForm(request.POST or None)
    if request.method == "POST":
        if not can_invite:
            raise Http404
        if form.is_valid():
            try:
                sent = services.family_viewer_invite(
                    child=child, by=request.user, client_ip=client_ip(request), **form.cleaned_data
                )
            except services.FamilyViewerError as exc:
                form.add_error(None, str(exc))
            else:
                _say_invited(request, sent, form.cleaned_data)
                url = reverse("parents:viewers", args=[child.pk])
                return redirect(f"{url}?new={sent.viewer.pk}#invitation-{sent.viewer.pk}")
        else:
            messages.error(request, _("Nothing was made: correct what is marked below."))
    data = selectors.family_viewers_of(user=request.user, child=child)
    for row in data.open:
        row.link = services.family_viewer_url(row)
    new = request.GET.get("new", "")
    return render(
        request,
        "parents/family_viewers.html",
        {
            "child": child,
            "form": form,
            "can_invite": can_invite,
            "current": data.current,
            "open": data.open,
            "ended": data.ended,
            "new": int(new) if new.isdigit() else None,
            "valid_days": settings.FAMILY_VIEWER_INVITATION_DAYS,
        },
    )


def _say_invited(request, sent, data) -> None:
    names = {
        "name": data["name"],
        "date": date_format(timezone.localtime(sent.viewer.expires_at), "SHORT_DATE_FORMAT"),
    }
    messages.success(
        request,
        _(
            "The invitation for %(name)s is ready. Copy the link below and send it to them, for example in "
            "Zalo. It works once, until %(date)s."
        )
        % names,
    )
    if sent.refused:
        messages.error(request, _("No text message was sent: %(reason)s") % {"reason": sent.refused})
    elif data["send_to"]:
        messages.info(
            request,
            _(
                "If %(address)s belongs to an account on the portal, the link was sent there too. The portal "
                "writes to no one else, so send the link yourself as well if you are not sure."
            )
            % {"address": data["send_to"]},
        )


@login_required
@require_POST
def family_viewer_revoke(request, viewer_id: int):
    """A guardian revokes a viewer (or cancels an invitation); a viewer stops following the child."""
    viewer = selectors.family_viewer_for_revoking(user=request.user, viewer_id=viewer_id)
    guardian = can_see_family_viewers(request.user, viewer.child)
    services.family_viewer_revoke(viewer=viewer, by=request.user)
    if guardian:
        if viewer.accepted_at:
            messages.success(
                request,
                _("%(name)s no longer follows %(child)s.") % {"name": viewer.name, "child": viewer.child.given_name},
            )
        else:
            messages.success(request, _("The invitation for %(name)s was cancelled.") % {"name": viewer.name})
        return redirect("parents:viewers", child_id=viewer.child_id)
    messages.success(request, _("You no longer follow %(child)s.") % {"child": viewer.child.given_name})
    return redirect("parents:home")


def follow(request, token: str):
    """The invitation's link: the invited person signs in (or signs up) and accepts it with their own account."""
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    if not request.user.is_authenticated:
        # Nothing about the child before the person signs in: the link may have been passed on.
        here = request.get_full_path()
        return render(
            request,
            "parents/follow_sign_in.html",
            {
                "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
                "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
            },
        )
    viewer = selectors.family_viewer_by_token(token=token)
    if viewer is None:
        raise Http404
    if request.method == "POST":
        try:
            services.family_viewer_accept(token=token, user=request.user)
        except services.FamilyViewerError as exc:
            messages.error(request, str(exc))
            return redirect("parents:follow", token=token)
        messages.success(
            request,
            _("You now follow %(child)s. You will find them here, under “Children I follow”.")
            % {"child": viewer.child.given_name},
        )
        return redirect("parents:home")
    problem = services.family_viewer_refusal(viewer=viewer, user=request.user)
    return render(request, "parents/follow.html", {"viewer": viewer, "problem": problem})
