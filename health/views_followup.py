"""Check-ups, follow-up plans, the follow-up list and the nutrition summaries.

- Check-ups, plans, the follow-up list and the school's summary: the nurse and the leaders
  (`policies.can_manage_health`).
- A class's summary: also the class's own teachers (`policies.can_measure_classroom`).
- An authority's page: its officers (`schools.policies.can_view_authority`), school totals only, with
  counts protected by `coordination.lib.disclosure` ("< 5", and "x" where a small one could be worked
  out), with the authority's totals; never a child or a class.

Everyone else gets the 404 of something that does not exist. Every page that shows children's health
data to staff logs one read per child shown (`health_reads_log`), in one query.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from coordination.lib.forms import errors_to_form
from health import selectors_followup as selectors
from health import services_followup as services
from health import summary as summaries
from health.forms_followup import CheckUpPlanForm, CheckUpRecordForm, FollowUpPlanForm
from health.models import HealthRead
from health.policies import can_manage_health
from health.reminders import child_record_path
from health.services import health_reads_log
from mediafiles.models import MediaFile
from schools.models import Classroom

# --- Check-ups -----------------------------------------------------------------------------------


@login_required
@require_safe
def checkups(request, slug: str):
    """The school's planned check-ups, soonest first, and those recorded lately."""
    school = selectors.school_for_health(user=request.user, slug=slug)
    planned, recent = selectors.school_checkups(school=school, today=timezone.localdate())
    children = {c.child_id: c.child for c in [*planned, *recent]}
    health_reads_log(request.user, children.values(), HealthRead.Page.CHECKUP)
    return render(
        request,
        "health/followup/checkups.html",
        {"school": school, "planned": planned, "recent": recent, "record_path": child_record_path},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkups_plan(request, slug: str):
    """Plan a check-up day for some classes, or the whole school: one planned check-up per child."""
    school = selectors.school_for_health(user=request.user, slug=slug)
    year = summaries.current_year(school)
    classrooms = Classroom.objects.filter(school=school, school_year=year).order_by("age_group", "name")
    form = CheckUpPlanForm(request.POST or None, classrooms=classrooms)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.checkups_plan(
                by=request.user,
                school=school,
                on=form.cleaned_data["on"],
                provider=form.cleaned_data["provider"],
                classrooms=form.chosen_classrooms(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s check-up is planned on %(date)s.",
                    "%(count)s check-ups are planned on %(date)s.",
                    count,
                )
                % {"count": count, "date": form.cleaned_data["on"].strftime("%d/%m/%Y")},
            )
            return redirect("health:checkups", school.slug)
    return render(
        request,
        "health/followup/checkups_plan.html",
        {"school": school, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkup(request, checkup_id: int):
    """One child's check-up: record the findings and advice, the files, the next date."""
    checkup = selectors.checkup_for_managing(user=request.user, checkup_id=checkup_id)
    child = checkup.child
    initial = {"on": checkup.on, "findings": checkup.findings, "advice": checkup.advice, "next_on": checkup.next_on}
    form = CheckUpRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkup_record(
                by=request.user,
                checkup=checkup,
                add_media=request.POST.getlist("attachments"),
                remove_attachments=[p for p in request.POST.getlist("remove_attachment") if p.isdigit()],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The check-up is recorded."))
            return redirect("health:checkup", checkup.pk)
    health_reads_log(request.user, [child], HealthRead.Page.CHECKUP)
    added = []
    if request.method == "POST":
        values = [v for v in request.POST.getlist("attachments") if _is_uuid(v)]
        added = [
            str(pk)
            for pk in MediaFile.objects.filter(pk__in=values, uploaded_by=request.user).values_list("pk", flat=True)
        ]
    return render(
        request,
        "health/followup/checkup.html",
        {
            "checkup": checkup,
            "child": child,
            "school": checkup.school,
            "form": form,
            "attachments": selectors.checkup_attachments(checkup=checkup),
            "added_ids": added,
            "record_path": child_record_path(child.pk),
        },
        status=400 if request.method == "POST" else 200,
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --- Follow-up --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_plan(request, child_id: int):
    """A child's follow-up plan: open it, update it, close it."""
    child = selectors.child_for_managing(user=request.user, child_id=child_id)
    plan = selectors.open_plan(child=child)
    initial = {"notes": plan.notes, "next_measurement_on": plan.next_measurement_on} if plan else {}
    form = FollowUpPlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "close":
            if services.follow_up_plan_close(by=request.user, child=child):
                messages.success(request, _("The follow-up plan is closed."))
            return redirect("health:follow_up_plan", child.pk)
        if form.is_valid():
            try:
                services.follow_up_plan_save(by=request.user, child=child, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("The follow-up plan is saved."))
                return redirect("health:follow_up_plan", child.pk)
    health_reads_log(request.user, [child], HealthRead.Page.FOLLOW_UP)
    return render(
        request,
        "health/followup/plan.html",
        {
            "child": child,
            "plan": plan,
            "form": form,
            "closed": selectors.closed_plans(child=child),
            "latest": selectors.latest_measurement(child=child),
            "record_path": child_record_path(child.pk),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def follow_up(request, slug: str):
    """The children needing follow-up, the most severe first."""
    school = selectors.school_for_health(user=request.user, slug=slug)
    rows = selectors.follow_up_list(school=school)
    health_reads_log(request.user, [r.child for r in rows], HealthRead.Page.FOLLOW_UP)
    for row in rows:
        row.record_path = child_record_path(row.child.pk)
    return render(request, "health/followup/follow_up.html", {"school": school, "rows": rows})


# --- Summaries --------------------------------------------------------------------------------------


def _third_asked(request, thirds):
    asked = request.GET.get("third", "")
    if asked in ("1", "2", "3") and thirds:
        return thirds[int(asked) - 1]
    return summaries.current_third(thirds, timezone.localdate()) if thirds else None


@login_required
@require_safe
def school_summary(request, slug: str):
    """The school's counts per classification in each third of the year, and each class's in one third."""
    school = selectors.school_for_health(user=request.user, slug=slug)
    total, per_class = summaries.school_summary(school=school)
    third = _third_asked(request, total.thirds)
    classes = []
    if third is not None:
        index = third.number - 1
        for item in per_class.values():
            counts = item.counts[index]
            classes.append((item.classroom, item.children, [counts[key] for key in summaries.CATEGORY_KEYS]))
    return render(
        request,
        "health/followup/school_summary.html",
        {
            "school": school,
            "summary": total,
            "third": third,
            "classes": classes,
            "categories": summaries.CATEGORIES,
        },
    )


@login_required
@require_safe
def class_summary(request, classroom_id: int):
    """A class's counts in each third, and its children with their latest levels."""
    classroom = selectors.classroom_for_summary(user=request.user, classroom_id=classroom_id)
    summary = summaries.classroom_summary(classroom=classroom)
    rows = selectors.class_children_levels(classroom=classroom)
    health_reads_log(request.user, [r.child for r in rows], HealthRead.Page.SUMMARY)
    for row in rows:
        row.record_path = child_record_path(row.child.pk)
    return render(
        request,
        "health/followup/class_summary.html",
        {
            "classroom": classroom,
            "school": classroom.school,
            "summary": summary,
            "rows": rows,
            "manages": can_manage_health(request.user, classroom.school_id),
        },
    )


@login_required
@require_safe
def authority_summary(request, slug: str):
    """Per school under the authority: the school's totals, small counts suppressed; no child, no class."""
    authority = selectors.authority_for_viewing(user=request.user, slug=slug)
    found, total = summaries.authority_counts(authority=authority)
    tables = [
        {"school": school, "summary": item, "children": counts.children, "rows": counts.rows if item.year else []}
        for school, item, counts in found
    ]
    return render(
        request,
        "health/followup/authority.html",
        {"authority": authority, "tables": tables, "total": total, "thirds": summaries.THIRD_NAMES},
    )
