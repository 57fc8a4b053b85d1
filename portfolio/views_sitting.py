"""The pages where teachers record children's works: a class's works, a sitting (many photos at once,
each given to a child with one tap), a work's edit page, deleting a work and replacing its code.

For the class's teachers and the school's leaders (policies.can_record_works); everyone else gets
the 404 of something that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coordination.lib.forms import errors_to_form
from mediafiles.forms import MediaTextsForm
from mediafiles.models import Kind, State
from portfolio import selectors_sitting as selectors
from portfolio import services
from portfolio.forms import SittingForm, WorkEditForm, WorksFilterForm

WORKS_PER_PAGE = 60


@login_required
@require_http_methods(["GET", "HEAD"])
def my_classes_works(request):
    """From a teacher's home: the works of their class, or the choice of their classes."""
    classrooms = selectors.classrooms_for_recording(user=request.user)
    if not classrooms:
        raise Http404
    if len(classrooms) == 1:
        return redirect("portfolio:class_works", classrooms[0].pk)
    return render(request, "portfolio/sitting/my_classes.html", {"classrooms": classrooms})


@login_required
@require_http_methods(["GET", "HEAD"])
def class_works(request, classroom_id: int):
    """The class's works, newest day first, with whether the family opened each."""
    classroom = selectors.classroom_for_recording(user=request.user, classroom_id=classroom_id)
    asked = {"date_from", "date_to"} & set(request.GET)
    filters = WorksFilterForm(request.GET if asked else None)
    period = filters.cleaned_data if filters.is_valid() else {}
    works = selectors.class_works(classroom=classroom, date_from=period.get("date_from"), date_to=period.get("date_to"))
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portfolio/sitting/class_works.html",
        {
            "classroom": classroom,
            "filters": filters,
            "page": page,
            "rows": selectors.work_rows(page.object_list),
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sitting(request, classroom_id: int):
    """Record a sitting's works: the shared fields, the photos, and the class grid to give each photo a child."""
    classroom = selectors.classroom_for_recording(user=request.user, classroom_id=classroom_id)
    grid = selectors.class_grid(classroom=classroom)
    photos = selectors.photos_chosen(user=request.user, values=request.POST.getlist("photos"))
    form = SittingForm(request.POST or None, photos=photos, grid=grid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.works_record(
                classroom=classroom,
                by=request.user,
                photos_by_child=data["photos_by_child"],
                children_without_photo=data["children_without_photo"],
                **form.values(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            count = len(recorded.works)
            text = ngettext("%(count)s work recorded.", "%(count)s works recorded.", count) % {"count": count}
            if recorded.duplicates:
                text += " " + ngettext(
                    "%(count)s photo was already among the child's works and was not stored twice.",
                    "%(count)s photos were already among the child's works and were not stored twice.",
                    recorded.duplicates,
                ) % {"count": recorded.duplicates}
            messages.success(request, text)
            return redirect("portfolio:class_works", classroom.pk)
    status = 400 if request.method == "POST" else 200
    assigned = form.assigned()
    return render(
        request,
        "portfolio/sitting/sitting.html",
        {
            "classroom": classroom,
            "school": classroom.school,
            "form": form,
            "grid": grid,
            "photo_ids": [str(m.pk) for m in form.photos],
            "cards": [{"media": m, "id": str(m.pk), "child": assigned.get(str(m.pk), "")} for m in form.photos],
            "ticked": form.ticked(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def work_edit(request, work_id: int):
    """Change a work: its fields, its photos, the child's voice note."""
    work = selectors.work_for_managing(user=request.user, work_id=work_id)
    initial = {
        "title": work.title,
        "domain": work.domain,
        "made_on": work.made_on,
        "description": work.description,
        "teacher_note": work.teacher_note,
    }
    form = WorkEditForm(request.POST or None, initial=initial)
    voice_allowed = selectors.voice_allowed(work=work)
    if request.method == "POST" and form.is_valid():
        try:
            attached = services.work_update(
                work=work,
                by=request.user,
                add_photos=request.POST.getlist("add_photos"),
                remove_photos=[p for p in request.POST.getlist("remove_photo") if p.isdigit()],
                voice=(request.POST.get("voice") or None),
                remove_voice=form.cleaned_data.get("remove_voice", False),
                **form.values(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            text = _("The work is saved.")
            if attached.duplicates:
                text += " " + ngettext(
                    "%(count)s photo was already among the child's works and was not stored twice.",
                    "%(count)s photos were already among the child's works and were not stored twice.",
                    len(attached.duplicates),
                ) % {"count": len(attached.duplicates)}
            messages.success(request, text)
            return redirect("portfolio:work_edit", work.pk)
    added = selectors.photos_chosen(user=request.user, values=request.POST.getlist("add_photos"))
    return render(
        request,
        "portfolio/sitting/work_edit.html",
        {
            "work": work,
            "school": work.school,
            "form": form,
            "photos": selectors.work_photos(work=work),
            "photos_allowed": selectors.photos_allowed(work=work),
            "voice_allowed": voice_allowed,
            "added_ids": [str(m.pk) for m in added if m.kind == Kind.IMAGE and m.state != State.FAILED],
            "voice_value": request.POST.get("voice", "") if request.method == "POST" else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def work_transcript(request, work_id: int):
    """What the child says in the work's voice note, for families who cannot listen to it."""
    work = selectors.work_for_managing(user=request.user, work_id=work_id)
    if work.voice is None:
        raise Http404
    form = MediaTextsForm(request.POST or None, video=None, voice=work.voice)
    form.fields["transcript"].label = _("What the child says in the recording")
    if request.method == "POST" and form.is_valid():
        try:
            services.work_transcript_set(work=work, text=form.cleaned_data["transcript"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The transcript of the voice note is saved."))
            return redirect("portfolio:work_edit", work.pk)
    return render(
        request,
        "portfolio/sitting/work_transcript.html",
        {"work": work, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def work_delete(request, work_id: int):
    """Ask, then delete the work (its photos and voice note go with it)."""
    work = selectors.work_for_managing(user=request.user, work_id=work_id)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that the work is to be deleted."))
            return render(request, "portfolio/sitting/work_delete.html", {"work": work}, status=400)
        classroom_id = work.classroom_id
        title, name = work.title, work.child.given_name
        services.work_delete(work=work, by=request.user)
        messages.success(request, _("The work “%(title)s” of %(name)s is deleted.") % {"title": title, "name": name})
        return redirect("portfolio:class_works", classroom_id)
    return render(request, "portfolio/sitting/work_delete.html", {"work": work})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def work_replace_code(request, work_id: int):
    """Ask, then revoke the work's code and give it a new one (a lost label, one on the wrong work)."""
    work = selectors.work_for_managing(user=request.user, work_id=work_id)
    if request.method == "POST":
        services.work_code_replace(work=work, by=request.user)
        messages.success(
            request,
            _(
                "The code is replaced. The old label no longer opens the work, except for the guardians of %(name)s, "
                "who are told that it was replaced. Print a new label for this work."
            )
            % {"name": work.child.given_name},
        )
        return redirect(reverse("portfolio:work_edit", args=[work.pk]))
    return render(request, "portfolio/sitting/work_replace_code.html", {"work": work})
