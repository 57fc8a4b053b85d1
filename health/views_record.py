"""A child's health record: the nurse's note, the explanation, the growth charts, the measurements,
allergies and dietary needs, check-ups and, for the guardians, who looked at the record.

- `/health/children/<id>/`: for whoever `health.policies.can_view_health` allows; every staff read is
  logged (`health_reads_log`), a guardian's is not. Everyone else gets the 404 of a child that does
  not exist.
- The nurse's and the leaders' changes on the page (a note to the family, an allergy, a dietary
  need): POST, then back to the record; bad input shows the record again with the errors, nothing
  saved.
- `/health/schools/<slug>/reads/`: the log of staff reads, for the school's leaders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from health import charts, policies, services_record
from health import selectors_record as selectors
from health.forms_record import AllergyForm, DietaryNeedForm, FamilyNoteForm
from health.models import Allergy, DietaryNeed, HealthRead
from health.services import health_reads_log
from parents.policies import guardian_child_ids, is_guardian_of
from schools.policies import access_for, role_at

READS_PER_PAGE = 50


def _record_page(request, child, *, forms: dict | None = None, status: int = 200):
    user = request.user
    staff = role_at(user, child.school_id) is not None and policies.staff_can_view_health(user, child)
    guardian = is_guardian_of(user, child)
    if staff:
        health_reads_log(user, [child], HealthRead.Page.RECORD)
    record = selectors.record_for(child=child, with_reads=guardian)
    manages = policies.can_manage_health(user, child.school_id)
    forms = forms or {}
    context = {
        "child": child,
        "record": record,
        "charts": charts.child_charts(child, record.measurements),
        "guardian": guardian,
        "manages": manages,
        "reads": [{"read": read, "role": selectors.role_words(read.reader_role)} for read in record.reads],
    }
    if manages:
        context["note_form"] = forms.get("note") or FamilyNoteForm()
        context["allergy_form"] = forms.get("allergy") or AllergyForm()
        context["dietary_form"] = forms.get("dietary") or DietaryNeedForm()
    return render(request, "health/record/child.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
@never_cache
def child_record(request, child_id: int):
    access_for(request.user)
    guardian_child_ids(request.user)
    child = selectors.child_for_record(user=request.user, child_id=child_id)
    return _record_page(request, child)


@login_required
@require_POST
def family_note_write(request, child_id: int):
    child = selectors.child_for_managing(user=request.user, child_id=child_id)
    form = FamilyNoteForm(request.POST)
    if not form.is_valid():
        return _record_page(request, child, forms={"note": form}, status=400)
    services_record.family_note_write(by=request.user, child=child, text=form.cleaned_data["text"])
    messages.success(request, _("The note to the family is saved: it is shown first on the record."))
    return redirect("health:child", child.pk)


@login_required
@require_POST
def allergy_add(request, child_id: int):
    child = selectors.child_for_managing(user=request.user, child_id=child_id)
    form = AllergyForm(request.POST, child=child)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                allergy = services_record.allergy_add(
                    by=request.user,
                    child=child,
                    allergen=data["allergen"],
                    severity=data["severity"],
                    note=data["note"],
                )
        except IntegrityError:
            form.add_error("allergen", _("This allergy is already recorded."))
        else:
            messages.success(
                request, _("Allergy recorded: %(allergen)s.") % {"allergen": allergy.get_allergen_display()}
            )
            return redirect("health:child", child.pk)
    return _record_page(request, child, forms={"allergy": form}, status=400)


@login_required
@require_POST
def allergy_remove(request, child_id: int, allergy_id: int):
    child = selectors.child_for_managing(user=request.user, child_id=child_id)
    allergy = get_object_or_404(Allergy.objects.select_related("child"), pk=allergy_id, child=child)
    label = allergy.get_allergen_display()
    services_record.allergy_remove(by=request.user, allergy=allergy)
    messages.success(request, _("Allergy removed: %(allergen)s.") % {"allergen": label})
    return redirect("health:child", child.pk)


@login_required
@require_POST
def dietary_need_add(request, child_id: int):
    child = selectors.child_for_managing(user=request.user, child_id=child_id)
    form = DietaryNeedForm(request.POST, child=child)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                need = services_record.dietary_need_add(
                    by=request.user, child=child, kind=data["kind"], note=data["note"]
                )
        except IntegrityError:
            form.add_error("kind", _("This need is already recorded."))
        else:
            messages.success(request, _("Dietary need recorded: %(need)s.") % {"need": need.get_kind_display()})
            return redirect("health:child", child.pk)
    return _record_page(request, child, forms={"dietary": form}, status=400)


@login_required
@require_POST
def dietary_need_remove(request, child_id: int, need_id: int):
    child = selectors.child_for_managing(user=request.user, child_id=child_id)
    need = get_object_or_404(DietaryNeed.objects.select_related("child"), pk=need_id, child=child)
    label = need.get_kind_display()
    services_record.dietary_need_remove(by=request.user, need=need)
    messages.success(request, _("Dietary need removed: %(need)s.") % {"need": label})
    return redirect("health:child", child.pk)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@login_required
@require_http_methods(["GET", "HEAD"])
@never_cache
def read_log(request, slug: str):
    school = selectors.school_for_read_log(user=request.user, slug=slug)
    child_id, reader_id = _int(request.GET.get("child")), _int(request.GET.get("reader"))
    reads = selectors.read_log(school=school, child_id=child_id, reader_id=reader_id)
    page = Paginator(reads, READS_PER_PAGE).get_page(request.GET.get("page"))
    children, readers = selectors.read_log_choices(school=school)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "health/record/reads.html",
        {
            "school": school,
            "page": page,
            "rows": [{"read": read, "role": selectors.role_words(read.reader_role)} for read in page.object_list],
            "children": children,
            "readers": readers,
            "child_id": child_id,
            "reader_id": reader_id,
            "query": query.urlencode(),
        },
    )
