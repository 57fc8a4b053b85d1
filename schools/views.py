import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parents import selectors as parent_selectors
from parents import services as parent_services
from parents.letters import invitation_letters_pdf
from parents.models import InvitationCode
from parents.policies import is_guardian_of
from schools import policies, selectors, services
from schools.forms import AnnouncementForm, PickupNoticeForm, StaffMemberForm
from schools.models import StaffMembership, StaffRole, school_today

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
    classroom = selectors.classroom_get(user=request.user, classroom_id=classroom_id)
    roster = selectors.classroom_roster(classroom=classroom)
    signed_up = sum(1 for child in roster if child.guardianships.all())
    return render(
        request,
        "schools/classroom_detail.html",
        {"classroom": classroom, "roster": roster, "signed_up": signed_up, "now": timezone.now()},
    )


@login_required
@require_POST
def classroom_invitation_letters(request, classroom_id: int):
    """Print letters for a class: one fresh code per child who has no family signed up yet.

    With `everyone`, every child gets a letter (for a second parent, say).
    """
    classroom = selectors.classroom_get(user=request.user, classroom_id=classroom_id)
    roster = selectors.classroom_roster(classroom=classroom)
    everyone = request.POST.get("everyone") == "1"
    invitations = []
    for child in roster:
        if everyone or not child.guardianships.all():
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
    context["can_manage_invitations"] = policies.can_manage_invitations(request.user, child)
    if context["can_manage_invitations"]:
        context["invitations"] = parent_selectors.invitations_for_child(child=child)
    if staff_view:
        context["consent_history"] = parent_selectors.consent_history(child=child)
    context["can_send_pickup_notice"] = policies.can_send_pickup_notice(request.user, child)
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
    school = selectors.school_get_managed(user=request.user, slug=slug)
    return render(
        request,
        "schools/principal_home.html",
        {"school": school, "overview": selectors.school_overview(school=school)},
    )


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
def district_home(request, slug: str):
    district = selectors.district_get(user=request.user, slug=slug)
    schools = selectors.district_overview(district=district)
    totals = {
        "children": sum(s.children_count for s in schools),
        "signed_up": sum(s.signed_up_count for s in schools),
        "classrooms": sum(s.classroom_count for s in schools),
    }
    return render(request, "schools/district_home.html", {"district": district, "schools": schools, "totals": totals})


def school_public(request, slug: str):
    return render(request, "schools/school_public.html", {"school": selectors.public_school_get(slug=slug)})


# --- Announcements ------------------------------------------------------------------------------


@login_required
def announcement_list(request):
    """The announcements for the person's children."""
    page = Paginator(selectors.announcements_for_guardian(user=request.user), ANNOUNCEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "schools/announcement_list.html",
        {"page": page, "staff_schools": selectors.schools_with_announcements_for_staff(user=request.user)},
    )


@login_required
def announcement_detail(request, announcement_id: int):
    announcement = selectors.announcement_get(user=request.user, announcement_id=announcement_id)
    children = policies.announcement_children(request.user, announcement)
    receipt = None
    if children:
        receipt = services.announcement_mark_read(announcement=announcement, guardian=request.user)
    return render(
        request,
        "schools/announcement_detail.html",
        {
            "announcement": announcement,
            "children": children,
            "receipt": receipt,
            "staff_view": policies.staff_can_view_announcement(request.user, announcement),
            "can_publish": policies.can_publish_announcement(request.user, announcement),
            "can_acknowledge": policies.can_acknowledge_announcement(request.user, announcement),
        },
    )


@login_required
@require_POST
def announcement_acknowledge(request, announcement_id: int):
    announcement = selectors.announcement_get(user=request.user, announcement_id=announcement_id)
    if not policies.can_acknowledge_announcement(request.user, announcement):
        raise Http404
    if services.announcement_acknowledge(announcement=announcement, guardian=request.user):
        messages.success(request, _("Thank you: the school knows you have read and understood it."))
    else:
        messages.info(request, _("You had already confirmed this announcement."))
    return redirect("schools:announcement", announcement_id=announcement.pk)


@login_required
@require_POST
def announcement_publish(request, announcement_id: int):
    announcement = selectors.announcement_get(user=request.user, announcement_id=announcement_id)
    if announcement.is_published:
        messages.info(request, _("This announcement is already published."))
    elif not policies.can_publish_announcement(request.user, announcement):
        raise Http404
    else:
        services.announcement_publish(announcement=announcement, by=request.user)
        messages.success(request, _("The announcement is published: the families are being told."))
    return redirect("schools:announcement", announcement_id=announcement.pk)


@login_required
def announcement_receipts(request, announcement_id: int):
    announcement = selectors.announcement_get(user=request.user, announcement_id=announcement_id)
    if not policies.can_see_receipts(request.user, announcement):
        raise Http404
    report = selectors.announcement_receipts(user=request.user, announcement=announcement)
    return render(request, "schools/announcement_receipts.html", {"announcement": announcement, "report": report})


@login_required
def school_announcements(request, slug: str):
    school = selectors.school_get_for_announcements(user=request.user, slug=slug)
    page = Paginator(
        selectors.announcements_for_staff(user=request.user, school=school), ANNOUNCEMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "schools/school_announcements.html", {"school": school, "page": page})


@login_required
def announcement_create(request, slug: str):
    school = selectors.school_get_for_announcements(user=request.user, slug=slug)
    classrooms = selectors.classrooms_for_announcement(user=request.user, school=school)
    whole_school = policies.can_post_announcement(request.user, school)
    initial = {}
    if request.GET.get("classroom", "").isdigit():
        initial["classrooms"] = [int(request.GET["classroom"])]
    form = AnnouncementForm(request.POST or None, classrooms=classrooms, whole_school=whole_school, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            publish = "draft" not in request.POST
            try:
                announcement = services.announcement_post(
                    school=school,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    kind=data["kind"],
                    classrooms=form.chosen_classrooms(),
                    requires_acknowledgement=data["requires_acknowledgement"],
                    urgent=data["urgent"],
                    publish=publish,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if publish:
                    messages.success(request, _("The announcement is published: the families are being told."))
                else:
                    messages.success(request, _("The draft is saved. Nobody is told until you publish it."))
                return redirect("schools:announcement", announcement_id=announcement.pk)
        messages.error(request, _("Nothing was posted: correct what is marked below."))
    return render(
        request,
        "schools/announcement_form.html",
        {"school": school, "form": form, "whole_school": whole_school, "has_classes": classrooms.exists()},
    )


# --- Pick-up notices ----------------------------------------------------------------------------


@login_required
def pickup_notice_create(request, child_id: int):
    """A guardian tells the class teachers about today's (or a later day's) pick-up or absence."""
    child = selectors.child_get(user=request.user, child_id=child_id)
    if not policies.can_send_pickup_notice(request.user, child):
        raise Http404
    today = school_today()
    persons = selectors.approved_pickup_persons(child=child)
    form = PickupNoticeForm(request.POST or None, pickup_persons=persons, today=today)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.pickup_notice_send(
                    child=child,
                    by=request.user,
                    kind=data["kind"],
                    date=data["date"],
                    time=data["time"],
                    reason=data["reason"],
                    pickup_person=data["pickup_person"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Sent: the class teachers have been told."))
                return redirect("schools:pickup_notices", child_id=child.pk)
        messages.error(request, _("Nothing was sent: correct what is marked below."))
    notices = selectors.pickup_notices_of_child(child=child, from_date=today)
    for notice in notices:
        notice.can_cancel = policies.can_cancel_pickup_notice(request.user, notice, today=today)
    return render(
        request,
        "schools/pickup_notice_form.html",
        {"child": child, "form": form, "notices": notices, "has_persons": bool(form.fields["pickup_person"].choices)},
    )


@login_required
@require_POST
def pickup_notice_cancel(request, notice_id: int):
    notice = selectors.pickup_notice_get_for_sender(user=request.user, notice_id=notice_id)
    if notice.cancelled_at:
        messages.info(request, _("This notice was already cancelled."))
    elif not policies.can_cancel_pickup_notice(request.user, notice, today=school_today()):
        raise Http404
    else:
        services.pickup_notice_cancel(notice=notice, by=request.user)
        messages.success(request, _("The notice is cancelled and the teachers have been told."))
    return redirect("schools:pickup_notices", child_id=notice.child_id)


def _day_from(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return school_today()


def _pickup_day_page(request, classrooms, *, single: bool):
    day = _day_from(request)
    today = school_today()
    return render(
        request,
        "schools/pickup_notices_day.html",
        {
            "classrooms": selectors.pickup_notices_by_class(classrooms=classrooms, date=day),
            "day": day,
            "is_today": day == today,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "single": single,
        },
    )


@login_required
def pickup_notices_today(request):
    """Every class the person teaches (or every class of the school they lead) on one screen."""
    access = policies.access_for(request.user)
    if not access.taught_classroom_ids and not policies.leader_school_ids(request.user):
        raise PermissionDenied
    return _pickup_day_page(request, selectors.classrooms_for_pickup_notices(user=request.user), single=False)


@login_required
def classroom_pickup_notices(request, classroom_id: int):
    classroom = selectors.classroom_get(user=request.user, classroom_id=classroom_id)
    if not policies.can_view_pickup_notices(request.user, classroom):
        raise Http404
    return _pickup_day_page(request, [classroom], single=True)
