"""The lending library's pages: the families' shelf, the staff's desk, histories and copy labels.

Thin views: reads through community.selectors_library (which refuse with a 404), writes through
community.services_library. Every form works without JavaScript; the desk's scan box takes a
barcode/QR scanner, which types the copy's code and Enter.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import selectors_library as selectors
from community import services_library as services
from community.forms_library import CheckInForm, CheckOutForm
from community.labels_library import copy_labels_pdf
from community.models import Condition, ItemCategory
from schools.models import school_today


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _school_arg(request) -> int | None:
    value = request.GET.get("school") or request.POST.get("school")
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "HEAD"])
def browse(request):
    """A family's library: what their child's school lends, what is free, their reservations and loans."""
    category = request.GET.get("category", "")
    if category not in ItemCategory.values:
        category = ""
    q = request.GET.get("q", "").strip()[:100]
    library = selectors.family_library(user=request.user, category=category, q=q)
    return render(
        request,
        "community/library/browse.html",
        {
            "library": library,
            "categories": ItemCategory.choices,
            "category": category,
            "q": q,
            "today": school_today(),
        },
    )


@login_required
@require_POST
def reserve(request, item_id: int):
    item = selectors.item_for_family(user=request.user, item_id=item_id)
    child = selectors.child_for_family(user=request.user, item=item, child_id=request.POST.get("child"))
    try:
        reservation = services.reservation_create(item=item, child=child, guardian=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if reservation.status == "ready":
            messages.success(
                request,
                _("%(item)s is set aside for %(name)s: collect it at the lending desk.")
                % {"item": item.name, "name": child.given_name},
            )
        else:
            messages.success(
                request,
                _(
                    "%(name)s is on the waiting list for %(item)s (number %(position)s). "
                    "You will be told when it is back."
                )
                % {
                    "item": item.name,
                    "name": child.given_name,
                    "position": selectors.waiting_position(reservation=reservation),
                },
            )
    return redirect("community:library_browse")


@login_required
@require_POST
def reservation_cancel(request, reservation_id: int):
    reservation = selectors.reservation_for_cancelling(user=request.user, reservation_id=reservation_id)
    try:
        services.reservation_cancel(reservation=reservation, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The reservation of %(item)s is cancelled.") % {"item": reservation.item.name})
    back = request.POST.get("next", "")
    if back == "desk":
        school_id = _school_arg(request)
        return redirect(reverse("community:library_desk") + (f"?school={school_id}" if school_id else ""))
    return redirect("community:library_browse")


@login_required
@require_http_methods(["GET", "HEAD"])
def desk(request):
    """The lending desk: scan or search, lend, take back; loans out, holds to collect, waiting lists."""
    school = selectors.desk_school(user=request.user, school_id=_school_arg(request))
    q = request.GET.get("q", "").strip()[:100]
    code = request.GET.get("code", "").strip()[:20]
    view = selectors.desk_view(user=request.user, school=school, q=q, code=code)
    if code and view.scanned is None:
        messages.error(request, _("No copy has the label %(code)s at this school.") % {"code": code})
    return render(
        request,
        "community/library/desk.html",
        {
            "desk": view,
            "q": q,
            "code": code,
            "conditions": Condition.choices,
            "default_due": view.today + _days(view.scanned.copy.item.loan_days if view.scanned else 7),
        },
    )


def _days(n: int):
    import datetime

    return datetime.timedelta(days=n)


def _desk_url(school, **params) -> str:
    params = {k: v for k, v in {"school": school.pk, **params}.items() if v}
    url = reverse("community:library_desk")
    return f"{url}?{urlencode(params)}" if params else url


@login_required
@require_POST
def check_out(request):
    school = selectors.desk_school(user=request.user, school_id=_school_arg(request))
    form = CheckOutForm(request.POST)
    code = request.POST.get("code", "").strip()[:20]
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_desk_url(school, code=code))
    data = form.cleaned_data
    child = selectors.child_at_desk(school=school, child_id=data["child"])
    if child is None:
        messages.error(request, _("Choose a child of this school."))
        return redirect(_desk_url(school, code=code))
    try:
        if data["code"]:
            copy = selectors.copy_by_code(school=school, code=data["code"])
            if copy is None:
                raise ValidationError(_("No copy has the label %(code)s at this school.") % {"code": data["code"]})
            loan = services.loan_check_out(
                copy=copy, child=child, due_on=data["due_on"], by=request.user, condition=data["condition"]
            )
        else:
            item = selectors.item_at_desk(school=school, item_id=data["item"])
            loan = services.loan_check_out_item(
                item=item, child=child, due_on=data["due_on"], by=request.user, condition=data["condition"]
            )
    except ValidationError as exc:
        _error(request, exc)
        return redirect(_desk_url(school, code=code))
    messages.success(
        request,
        _("%(code)s lent to the family of %(name)s until %(due)s.")
        % {"code": loan.copy.code, "name": child.full_name, "due": loan.due_on.strftime("%d/%m/%Y")},
    )
    return redirect(_desk_url(school))


@login_required
@require_POST
def check_in(request):
    school = selectors.desk_school(user=request.user, school_id=_school_arg(request))
    form = CheckInForm(request.POST)
    code = request.POST.get("code", "").strip()[:20]
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_desk_url(school, code=code))
    copy = selectors.copy_by_code(school=school, code=form.cleaned_data["code"])
    try:
        if copy is None:
            raise ValidationError(_("No copy has the label %(code)s at this school.") % {"code": code})
        loan, ready = services.loan_check_in(
            copy=copy, by=request.user, condition=form.cleaned_data["condition"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect(_desk_url(school, code=code))
    messages.success(request, _("%(code)s is back.") % {"code": copy.code})
    if ready is not None:
        messages.info(
            request,
            _("Set it aside for the family of %(name)s: they reserved it and have been told.")
            % {"name": ready.child.full_name},
        )
    return redirect(_desk_url(school))


@login_required
@require_POST
def desk_reserve(request):
    """The desk puts a family on an item's waiting list (a family that does not use the portal asks in person)."""
    school = selectors.desk_school(user=request.user, school_id=_school_arg(request))
    code = request.POST.get("code", "").strip()[:20]
    item = selectors.item_at_desk(school=school, item_id=request.POST.get("item"))
    child = selectors.child_at_desk(school=school, child_id=request.POST.get("child"))
    if child is None:
        messages.error(request, _("Choose a child of this school."))
        return redirect(_desk_url(school, code=code))
    try:
        guardian = services.guardian_for_reservation(child=child)
        reservation = services.reservation_create(item=item, child=child, guardian=guardian)
    except ValidationError as exc:
        _error(request, exc)
        return redirect(_desk_url(school, code=code))
    if reservation.status == "ready":
        messages.success(
            request,
            _("A copy of %(item)s is free: it is set aside for the family of %(name)s.")
            % {"item": item.name, "name": child.full_name},
        )
    else:
        messages.success(
            request,
            _("The family of %(name)s is number %(position)s on the waiting list for %(item)s.")
            % {
                "item": item.name,
                "name": child.full_name,
                "position": selectors.waiting_position(reservation=reservation),
            },
        )
    return redirect(_desk_url(school, code=code))


@login_required
@require_http_methods(["GET", "HEAD"])
def labels(request):
    school = selectors.desk_school(user=request.user, school_id=_school_arg(request))
    try:
        item_id = int(request.GET["item"]) if request.GET.get("item") else None
    except ValueError:
        raise Http404 from None
    copies = selectors.label_copies(user=request.user, school=school, item_id=item_id)
    pdf = copy_labels_pdf(school=school, copies=copies)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="library-labels.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def item_history(request, item_id: int):
    history = selectors.item_history(user=request.user, item_id=item_id)
    return render(request, "community/library/item.html", {"history": history})


@login_required
@require_POST
def item_photo(request, item_id: int):
    """The desk staff give an item its photo (a plain file upload: the photo is small)."""
    item = selectors.item_history(user=request.user, item_id=item_id).item
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError(_("Choose a photo to upload."))
        services.item_photo_set(item=item, by=request.user, upload=upload)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The photo of %(item)s is saved.") % {"item": item.name})
    return redirect("community:library_item", item.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def family_history(request, child_id: int):
    history = selectors.family_history(user=request.user, child_id=child_id)
    return render(request, "community/library/family.html", {"history": history})
