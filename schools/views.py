from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination.lib import fragments
from coordination.lib.offline import offline_page
from coordination.lib.panels import panels_for
from parents import selectors as parent_selectors
from parents import services as parent_services
from parents.letters import invitation_letters_pdf
from parents.models import InvitationCode
from parents.policies import can_decide_guardianship, is_guardian_of
from schools import policies, selectors, services
from schools.caching import classroom_facts, school_by_slug
from schools.forms import StaffMemberForm
from schools.models import ChildRead, StaffMembership, StaffRole

ANNOUNCEMENTS_PER_PAGE = 20


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def teacher_home(request):
    if StaffRole.TEACHER not in policies.user_roles(request.user):
        raise PermissionDenied
    return render(
        request, "schools/teacher_home.html", {"classrooms": selectors.classrooms_of_teacher(user=request.user)}
    )


@login_required
def classroom_detail(request, classroom_id: int):
    # Kept between requests (schools/caching.py); looked for among the person's schools.
    facts = classroom_facts(classroom_id, school_ids=policies.access_for(request.user).roles_by_school)
    if facts is None:
        raise Http404
    school_id, name = facts
    if not (policies.is_leader_of(request.user, school_id) or policies.teaches(request.user, classroom_id)):
        raise Http404
    # The class, its links and its roster, kept until what they show changes (coordination/lib/fragments.py).
    content = fragments.cached(
        request,
        "schools.classroom",
        lambda: _classroom_part(request, classroom_id),
        schools=[school_id],
        extra=str(classroom_id),
    )
    return render(request, "schools/classroom_detail.html", {"name": name, "content": content})


def _classroom_part(request, classroom_id: int) -> str:
    classroom = selectors.classroom_get(user=request.user, classroom_id=classroom_id)
    roster = selectors.classroom_roster(classroom=classroom)
    signed_up = sum(1 for child in roster if child.guardianships.all())
    return fragments.render_part(
        "schools/_classroom.html", {"classroom": classroom, "roster": roster, "signed_up": signed_up}, request
    )


@login_required
@require_POST
def classroom_invitation_letters(request, classroom_id: int):
    """Print letters for a class: one fresh code for each child without an active guardian.

    Never for a child whose family has joined: a second guardian's code is made on purpose, one
    child at a time, on the child's page (child_invitation_create).
    """
    classroom = selectors.classroom_get(user=request.user, classroom_id=classroom_id)
    roster = selectors.classroom_roster(classroom=classroom)
    invitations = []
    for child in roster:
        if not child.guardianships.all():
            invitation = parent_services.invitation_create(child=child, by=request.user)
            invitation.child = child
            child.school = classroom.school
            child.classroom = classroom
            invitations.append(invitation)
    if not invitations:
        messages.info(request, _("Every child in this class already has a family signed up."))
        return redirect("schools:classroom", classroom_id=classroom.pk)
    return _pdf_response(invitation_letters_pdf(invitations=invitations), f"invitations-{classroom.pk}.pdf")


@login_required
@offline_page
def child_detail(request, child_id: int):
    child = selectors.child_get(user=request.user, child_id=child_id)
    guardian_view = is_guardian_of(request.user, child)
    staff_view = policies.staff_can_view_child(request.user, child)
    context = {
        "child": child,
        "guardian_view": guardian_view,
        "staff_view": staff_view,
        **selectors.child_people(child=child),
    }
    if staff_view and context["unconfirmed_guardianships"]:
        context["can_decide_guardianships"] = any(
            can_decide_guardianship(request.user, g) for g in context["unconfirmed_guardianships"]
        )
    context["can_manage_invitations"] = policies.can_manage_invitations(request.user, child)
    if context["can_manage_invitations"]:
        context["invitations"] = parent_selectors.invitations_for_child(child=child)
    if staff_view:
        context["consent_history"] = parent_selectors.consent_history(child=child)
        services.child_read_log(reader=request.user, child=child, area=ChildRead.Area.CONTACTS)
    return render(request, "schools/child_detail.html", context)


@login_required
@require_POST
def child_invitation_create(request, child_id: int):
    child = selectors.child_get(user=request.user, child_id=child_id)
    if not policies.can_manage_invitations(request.user, child):
        raise PermissionDenied
    invitation = parent_services.invitation_create(child=child, by=request.user)
    messages.success(request, _("New code %(code)s created.") % {"code": invitation.code_display})
    return redirect("schools:child", child_id=child.pk)


def _invitation_for_staff(request, invitation_id: int) -> InvitationCode:
    invitation = get_object_or_404(
        InvitationCode.objects.select_related("child__school", "child__classroom"), pk=invitation_id
    )
    if not policies.can_manage_invitations(request.user, invitation.child):
        raise Http404
    return invitation


@login_required
def invitation_letter(request, invitation_id: int):
    invitation = _invitation_for_staff(request, invitation_id)
    return _pdf_response(invitation_letters_pdf(invitations=[invitation]), f"invitation-{invitation.code}.pdf")


@login_required
@require_POST
def invitation_revoke(request, invitation_id: int):
    invitation = _invitation_for_staff(request, invitation_id)
    parent_services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("Code %(code)s no longer works.") % {"code": invitation.code_display})
    return redirect("schools:child", child_id=invitation.child_id)


@login_required
def principal_home(request, slug: str):
    school = school_by_slug(slug)  # kept between requests (schools/caching.py)
    if school is None or not policies.can_manage_school(request.user, school):
        raise Http404
    # The school's figures, classes and links, kept until what they show changes
    # (coordination/lib/fragments.py); the features' panels (a breach's clock) are read every time.
    content = fragments.cached(
        request, "schools.principal_home", lambda: _principal_part(request, school), schools=[school.pk]
    )
    # Each panel comes from a feature's own template, which escaped what it shows.
    panels = "\n".join(panels_for("school", request, school))
    return render(
        request,
        "schools/principal_home.html",
        {"school": school, "content": mark_safe(content.replace(PANELS, panels))},  # noqa: S308
    )


# Where the features' panels go in a leader's kept home page.
PANELS = "<!-- the features' panels -->"


def _principal_part(request, school) -> str:
    context = {
        "school": school,
        "overview": selectors.school_overview(school=school),
        "guardianships_awaiting": parent_selectors.guardianships_awaiting_count(school=school),
        "panels": mark_safe(PANELS),  # noqa: S308 - a constant
    }
    return fragments.render_part("schools/_principal_home.html", context, request)


@login_required
def staff_list(request, slug: str):
    school = selectors.school_get_managed(user=request.user, slug=slug)
    form = StaffMemberForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.staff_member_create(
                school=school,
                by=request.user,
                full_name=data["full_name"],
                role=data["role"],
                email=data["email"],
                phone=data["phone"],
                classrooms=list(data["classrooms"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s was added to the staff.") % {"name": membership.user})
            return redirect("schools:staff", slug=school.slug)
    return render(
        request,
        "schools/staff_list.html",
        {"school": school, "form": form, "staff": selectors.school_staff(school=school)},
    )


@login_required
@require_POST
def staff_deactivate(request, slug: str, membership_id: int):
    school = selectors.school_get_managed(user=request.user, slug=slug)
    membership = get_object_or_404(
        StaffMembership.objects.select_related("user", "school"), pk=membership_id, school=school
    )
    try:
        services.staff_member_deactivate(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer on the staff.") % {"name": membership.user})
    return redirect("schools:staff", slug=school.slug)


@login_required
def authority_home(request, slug: str):
    authority = selectors.authority_get(user=request.user, slug=slug)
    schools, totals = selectors.authority_overview_protected(authority=authority)
    return render(
        request, "schools/authority_home.html", {"authority": authority, "schools": schools, "totals": totals}
    )


def district_moved(request, slug: str):
    """The districts' pages of before July 2025 live on as their authorities' pages."""
    return redirect("schools:authority_home", slug=slug, permanent=True)


def school_public(request, slug: str):
    return render(request, "schools/school_public.html", {"school": selectors.public_school_get(slug=slug)})
