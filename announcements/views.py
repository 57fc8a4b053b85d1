import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from announcements import policies, selectors, services
from announcements.forms import AnnouncementForm, PickupNoticeForm
from schools import policies as school_policies
from schools import selectors as school_selectors
from schools.models import school_today

ANNOUNCEMENTS_PER_PAGE = 20


@login_required
def announcement_list(request):
    """The announcements for the person's children."""
    page = Paginator(selectors.announcements_for_guardian(user=request.user), ANNOUNCEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "announcements/announcement_list.html",
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
        "announcements/announcement_detail.html",
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
    return redirect("announcements:announcement", announcement_id=announcement.pk)


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
    return redirect("announcements:announcement", announcement_id=announcement.pk)


@login_required
def announcement_receipts(request, announcement_id: int):
    announcement = selectors.announcement_get(user=request.user, announcement_id=announcement_id)
    if not policies.can_see_receipts(request.user, announcement):
        raise Http404
    report = selectors.announcement_receipts(user=request.user, announcement=announcement)
    return render(request, "announcements/announcement_receipts.html", {"announcement": announcement, "report": report})


@login_required
def school_announcements(request, slug: str):
    school = selectors.school_get_for_announcements(user=request.user, slug=slug)
    page = Paginator(
        selectors.announcements_for_staff(user=request.user, school=school), ANNOUNCEMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "announcements/school_announcements.html", {"school": school, "page": page})


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
                return redirect("announcements:announcement", announcement_id=announcement.pk)
        messages.error(request, _("Nothing was posted: correct what is marked below."))
    return render(
        request,
        "announcements/announcement_form.html",
        {"school": school, "form": form, "whole_school": whole_school, "has_classes": classrooms.exists()},
    )


# --- Pick-up notices ----------------------------------------------------------------------------


@login_required
def pickup_notice_create(request, child_id: int):
    """A guardian tells the class teachers about today's (or a later day's) pick-up or absence."""
    child = school_selectors.child_get(user=request.user, child_id=child_id)
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
                return redirect("announcements:pickup_notices", child_id=child.pk)
        messages.error(request, _("Nothing was sent: correct what is marked below."))
    notices = selectors.pickup_notices_of_child(child=child, from_date=today)
    for notice in notices:
        notice.can_cancel = policies.can_cancel_pickup_notice(request.user, notice, today=today)
    return render(
        request,
        "announcements/pickup_notice_form.html",
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
    return redirect("announcements:pickup_notices", child_id=notice.child_id)


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
        "announcements/pickup_notices_day.html",
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
    access = school_policies.access_for(request.user)
    if not access.taught_classroom_ids and not school_policies.leader_school_ids(request.user):
        raise PermissionDenied
    return _pickup_day_page(request, selectors.classrooms_for_pickup_notices(user=request.user), single=False)


@login_required
def classroom_pickup_notices(request, classroom_id: int):
    classroom = school_selectors.classroom_get(user=request.user, classroom_id=classroom_id)
    if not policies.can_view_pickup_notices(request.user, classroom):
        raise Http404
    return _pickup_day_page(request, [classroom], single=True)
