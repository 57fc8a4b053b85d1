"""The events pages: thin views over the events selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from community import exporting_events as exporting
from community import selectors_events as selectors
from community import services_events as services
from community.forms_events import AnswerForm, EventEditForm, EventForm, PhotosForm, RoleForm
from coordination.lib.forms import errors_to_form
from schools.policies import is_leader_of


@login_required
@require_http_methods(["GET", "HEAD"])
def event_list(request):
    """The events a person is invited to, or organises."""
    now = timezone.now()
    events = selectors.events_for(user=request.user, now=now)
    return render(
        request,
        "community/events/list.html",
        {
            "upcoming": [e for e in events if e.ends_at >= now],
            "past": [e for e in reversed(events) if e.ends_at < now],
            "schools": selectors.schools_for_creating(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request, slug: str):
    school = selectors.school_for_creating(user=request.user, slug=slug)
    classrooms = selectors.classrooms_for_creating(user=request.user, school=school)
    chosen = request.GET.get("classroom", "")
    initial = {"classrooms": [c.pk for c in classrooms if str(c.pk) == chosen]}
    form = EventForm(
        request.POST or None,
        initial=initial,
        classrooms=classrooms,
        may_invite_school=is_leader_of(request.user, school.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, school=school, roles=form.roles(), **form.event_data())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The event is planned. The families invited can answer now."))
            return redirect("community:event_detail", event.pk)
    return render(
        request,
        "community/events/create.html",
        {"school": school, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail(request, event, *, answer_form=None, status=200):
    page = selectors.event_page(user=request.user, event=event)
    if answer_form is None:
        initial = {}
        if page.answer is not None:
            initial = {"coming": "yes" if page.answer.coming else "no", "people": page.answer.people or None}
        answer_form = AnswerForm(initial=initial)
    return render(
        request,
        "community/events/detail.html",
        {"page": page, "event": event, "answer_form": answer_form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def event_detail(request, event_id: int):
    """The event: programme, the family's answer and volunteer roles with the places left."""
    event = selectors.event_for_viewing(user=request.user, event_id=event_id)
    return _detail(request, event)


@login_required
@require_POST
def event_answer(request, event_id: int):
    event = selectors.event_for_answering(user=request.user, event_id=event_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.event_answer(
                by=request.user, event=event, coming=form.cleaned_data["coming"], people=form.cleaned_data["people"]
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect("community:event_detail", event.pk)
    return _detail(request, event, answer_form=form, status=400)


@login_required
@require_POST
def event_role_signup(request, role_id: int):
    role = selectors.role_for_signing_up(user=request.user, role_id=role_id)
    try:
        services.volunteer_signup(by=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you: you are signed up as “%(role)s”.") % {"role": role.name})
    return redirect("community:event_detail", role.event_id)


@login_required
@require_POST
def event_role_cancel(request, role_id: int):
    role = selectors.role_for_signing_up(user=request.user, role_id=role_id)
    try:
        services.volunteer_cancel(by=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your sign-up as “%(role)s” is cancelled.") % {"role": role.name})
    return redirect("community:event_detail", role.event_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_organise(request, event_id: int):
    """The organisers' page: answers and sign-ups per role, and a form to add a role."""
    event = selectors.event_for_organising(user=request.user, event_id=event_id)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_role_add(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The role is added."))
            return redirect("community:event_organise", event.pk)
    view = selectors.organiser_view(event=event)
    return render(
        request,
        "community/events/organise.html",
        {"event": event, "view": view, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _filename(event, extension: str) -> str:
    local = timezone.localtime(event.starts_at)
    return f"{local:%Y-%m-%d}-{slugify(event.title) or 'event'}.{extension}"


@login_required
@require_http_methods(["GET", "HEAD"])
def event_export_csv(request, event_id: int):
    event = selectors.event_for_organising(user=request.user, event_id=event_id)
    response = HttpResponse(
        exporting.event_csv(selectors.organiser_view(event=event)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(event, "csv")}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def event_export_xlsx(request, event_id: int):
    event = selectors.event_for_organising(user=request.user, event_id=event_id)
    response = HttpResponse(
        exporting.event_xlsx(selectors.organiser_view(event=event)), content_type=exporting.XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(event, "xlsx")}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_gallery(request, event_id: int):
    """The photos of the event: families see those they may; the event's staff add and tag them."""
    event = selectors.event_for_viewing(user=request.user, event_id=event_id)
    manage = selectors.can_manage_gallery(user=request.user, event=event)
    form = None
    children = []
    if manage:
        children = selectors.gallery_children(event=event)
        form = PhotosForm(request.POST or None, children=children)
    elif request.method == "POST":
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            photos = services.event_photos_add(
                by=request.user,
                event=event,
                media_ids=request.POST.getlist("photos"),
                children=form.cleaned_data["children"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s photo added to the gallery.", "%(count)s photos added to the gallery.", len(photos))
                % {"count": len(photos)},
            )
            return redirect("community:event_gallery", event.pk)
    return render(
        request,
        "community/events/gallery.html",
        {
            "event": event,
            "photos": selectors.gallery_for(user=request.user, event=event),
            "manage": manage,
            "form": form,
            "children": children,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def event_photo(request, photo_id: int):
    """Tag a photo with the children it shows (none: staff only), or remove it."""
    photo = selectors.photo_for_tagging(user=request.user, photo_id=photo_id)
    if request.POST.get("action") == "remove":
        services.event_photo_remove(by=request.user, photo=photo)
        messages.success(request, _("The photo is removed from the gallery."))
        return redirect("community:event_gallery", photo.event_id)
    allowed = {c.pk: c for c in selectors.gallery_children(event=photo.event)}
    wanted = [v for v in request.POST.getlist("children") if v.isdigit()]
    if any(int(v) not in allowed for v in wanted):
        messages.error(request, _("Tag only children of the event's classes."))
    else:
        services.event_photo_tag(
            by=request.user,
            photo=photo,
            children=[allowed[int(v)] for v in wanted],
            caption=request.POST.get("caption"),
        )
        messages.success(request, _("The photo's tags are saved."))
    return redirect("community:event_gallery", photo.event_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, event_id: int):
    """Change an event's title, kind, time, place or programme (the invited and the classes stay)."""
    event = selectors.event_for_organising(user=request.user, event_id=event_id)
    initial = {k: getattr(event, k) for k in ("title", "kind", "place", "programme")}
    initial["starts_at"] = timezone.localtime(event.starts_at)
    initial["ends_at"] = timezone.localtime(event.ends_at)
    form = EventEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The event is changed."))
            return redirect("community:event_detail", event.pk)
    return render(
        request,
        "community/events/edit.html",
        {"event": event, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def event_cancel(request, event_id: int):
    event = selectors.event_for_organising(user=request.user, event_id=event_id)
    try:
        services.event_cancel(by=request.user, event=event, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The event is cancelled. The families and volunteers are told."))
    return redirect("community:event_detail", event.pk)


@login_required
@require_POST
def event_role(request, role_id: int):
    """The organisers change a role's places, or remove a role nobody took."""
    role = selectors.role_for_organising(user=request.user, role_id=role_id)
    try:
        if request.POST.get("action") == "remove":
            services.volunteer_role_remove(by=request.user, role=role)
            messages.success(request, _("The role is removed."))
        else:
            slots = request.POST.get("slots", "").strip()
            services.volunteer_role_change(
                by=request.user, role=role, slots=int(slots) if slots.lstrip("-").isdigit() else None
            )
            messages.success(request, _("The role's places are saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:event_organise", role.event_id)
