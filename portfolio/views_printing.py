"""Pages and downloads of the printed outputs: a class's QR label sheets (its teachers and the
school's leaders), a child's albums and "ready for school" summary (the child's guardians, and
during the after-leaving period the guardians of a child who left).

Who may do what is decided in portfolio.policies; anyone else gets the same 404 as for
something that does not exist. Files are private: served here after that check, never cached.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from coordination.lib.forms import errors_to_form as _errors_to_form
from coordination.lib.links import PageLink, register
from mediafiles import files as media_files
from portfolio import policies
from portfolio.layouts import DEFAULT_LAYOUT, LAYOUTS, layout_choices
from portfolio.models import AlbumScope, PrintoutState
from portfolio.printing import albums, labels, summary
from portfolio.printing.albums import ascii_slug
from schools.models import school_today

# While something is being made, a page without JavaScript asks for itself again this often (seconds).
REFRESH_SECONDS = 10
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class LabelSheetForm(forms.Form):
    layout = forms.ChoiceField(label=gettext_lazy("Label sheet"), widget=forms.RadioSelect)
    date_from = forms.DateField(label=gettext_lazy("Works from"), input_formats=DATE_FORMATS, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("until"), input_formats=DATE_FORMATS, widget=DateInput())
    skip = forms.IntegerField(
        label=gettext_lazy("Labels already used on the first sheet"),
        help_text=gettext_lazy("Printing starts after them, row by row, so a sheet used before is not wasted."),
        min_value=0,
        initial=0,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = layout_choices()

    def clean_skip(self) -> int:
        return self.cleaned_data.get("skip") or 0


class AlbumForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("What the album holds"), choices=AlbumScope.choices, widget=forms.RadioSelect
    )


def _private_file(name: str, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    """A stored printout for the person just checked: sent by nginx when it serves the media folder,
    else from storage; never kept by a cache."""
    if not name:
        raise Http404
    if settings.MEDIA_ACCEL_REDIRECT_PREFIX and media_files.local_path(name) is not None:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = _disposition("inline" if inline else "attachment", filename)
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie"])
    return response


def _disposition(kind: str, filename: str) -> str:
    """The file's name in the person's language, with a plain-letters name for old browsers."""
    stem, _dot, suffix = filename.rpartition(".")
    return f"{kind}; filename=\"{ascii_slug(stem, limit=80)}.{suffix}\"; filename*=UTF-8''{quote(filename)}"


def _refreshing(response: HttpResponse, pending: bool) -> HttpResponse:
    if pending:
        response["Refresh"] = str(REFRESH_SECONDS)
        response["Cache-Control"] = "no-store"
    return response


def _status(data: dict) -> JsonResponse:
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


# --- Label sheets (staff of the class) ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def class_labels(request, classroom_id: int):
    """Choose a label sheet and a period; the class's recent sheets."""
    classroom = labels.classroom_for_labels(user=request.user, classroom_id=classroom_id)
    today = school_today()
    initial = {"layout": DEFAULT_LAYOUT, "date_from": today - datetime.timedelta(days=6), "date_to": today, "skip": 0}
    form = LabelSheetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                sheet = labels.label_sheet_request(classroom=classroom, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The label sheet is being made."))
                return redirect("portfolio:label_sheet", sheet_id=sheet.pk)
        messages.error(request, _("Nothing was asked for: correct what is marked below."))
    context = {
        "classroom": classroom,
        "form": form,
        "sheets": labels.label_sheets_recent(classroom=classroom),
        "layouts": LAYOUTS,
    }
    return render(request, "portfolio/printing/labels.html", context)


@login_required
@require_safe
def label_sheet(request, sheet_id: int):
    sheet = labels.label_sheet_get(user=request.user, sheet_id=sheet_id)
    context = {
        "sheet": sheet,
        "classroom": sheet.classroom,
        "layout": LAYOUTS.get(sheet.layout),
        "status": labels.label_sheet_status(sheet),
    }
    return _refreshing(render(request, "portfolio/printing/label_sheet.html", context), sheet.is_pending)


@login_required
@require_safe
def label_sheet_status(request, sheet_id: int):
    sheet = labels.label_sheet_get(user=request.user, sheet_id=sheet_id)
    return _status(labels.label_sheet_status(sheet))


@login_required
@require_safe
def label_sheet_pdf(request, sheet_id: int):
    sheet = labels.label_sheet_get(user=request.user, sheet_id=sheet_id)
    if sheet.state != PrintoutState.READY:
        return redirect("portfolio:label_sheet", sheet_id=sheet.pk)
    stem = _("labels")  # the file's name, in the person's language
    filename = f"{stem}-{sheet.classroom.name}-{sheet.date_from:%Y%m%d}-{sheet.date_to:%Y%m%d}.pdf"
    return _private_file(sheet.pdf.name, content_type="application/pdf", filename=filename, inline=True)


# --- Albums (the child's guardians) -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def child_albums(request, child_id: int):
    """Ask for an album of the child; the albums asked for recently."""
    child = albums.child_for_albums(user=request.user, child_id=child_id)
    form = AlbumForm(request.POST or None, initial={"scope": AlbumScope.YEAR})
    if request.method == "POST":
        if form.is_valid():
            try:
                album = albums.album_request(child=child, by=request.user, scope=form.cleaned_data["scope"])
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The album is being made. You will be told when it is ready."))
                return redirect("portfolio:album", album_id=album.pk)
        messages.error(request, _("Nothing was asked for: correct what is marked below."))
    context = {
        "child": child,
        "form": form,
        "albums": albums.albums_of(child=child),
        "access_ends": policies.family_access_ends(child),
    }
    return render(request, "portfolio/printing/albums.html", context)


@login_required
@require_safe
def album(request, album_id: int):
    album = albums.album_get(user=request.user, album_id=album_id)
    withdrawn = album.state == PrintoutState.READY and albums.album_withdrawn(album)
    context = {
        "album": album,
        "child": album.child,
        "status": albums.album_status(album),
        "withdrawn": withdrawn,
        "access_ends": policies.family_access_ends(album.child),
    }
    return _refreshing(render(request, "portfolio/printing/album.html", context), album.is_pending)


@login_required
@require_safe
def album_status(request, album_id: int):
    album = albums.album_get(user=request.user, album_id=album_id)
    return _status(albums.album_status(album))


def _ready_album(request, album_id: int):
    album = albums.album_get(user=request.user, album_id=album_id)
    if album.state != PrintoutState.READY or albums.album_withdrawn(album):
        return album, False
    return album, True


def _album_stem(album) -> str:
    period = album.period_name or _("everything")
    return "-".join([_("album"), album.child.given_name, period])


@login_required
@require_safe
def album_pdf(request, album_id: int):
    album, ready = _ready_album(request, album_id)
    if not ready:
        return redirect("portfolio:album", album_id=album.pk)
    filename = f"{_album_stem(album)}.pdf"
    return _private_file(album.pdf.name, content_type="application/pdf", filename=filename, inline=False)


@login_required
@require_safe
def album_zip(request, album_id: int):
    album, ready = _ready_album(request, album_id)
    if not ready:
        return redirect("portfolio:album", album_id=album.pk)
    filename = f"{_album_stem(album)}.zip"
    return _private_file(album.archive.name, content_type="application/zip", filename=filename, inline=False)


# --- Ready for school (the child's guardians) ------------------------------------------------------------


def _summary_page(request, child, *, chosen=(), error: str = "", status: int = 200):
    context = {
        "child": child,
        "works": summary.summary_works(child=child),
        "chosen": {str(pk) for pk in chosen},
        "error": error,
        "max_works": summary.MAX_WORKS,
    }
    return render(request, "portfolio/printing/ready_for_school.html", context, status=status)


@login_required
@require_safe
def ready_for_school(request, child_id: int):
    """Choose the works to put in the summary."""
    child = albums.child_for_albums(user=request.user, child_id=child_id)
    return _summary_page(request, child)


@login_required
@require_safe
def ready_for_school_pdf(request, child_id: int):
    """The summary of the chosen works, made now and sent to this family only."""
    child = albums.child_for_albums(user=request.user, child_id=child_id)
    chosen = request.GET.getlist("work")
    try:
        content = summary.summary_pdf(child=child, by=request.user, work_ids=chosen)
    except ValidationError as exc:
        return _summary_page(request, child, chosen=chosen, error=" ".join(exc.messages), status=400)
    response = HttpResponse(content, content_type="application/pdf")
    stem = _("ready-for-school")  # the file's name, in the person's language
    filename = f"{stem}-{child.given_name}.pdf"
    response["Content-Disposition"] = _disposition("attachment", filename)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Links on the core's pages -------------------------------------------------------------------------------


def links_install() -> None:
    register(
        "classroom",
        PageLink(
            label=gettext_lazy("Print QR labels"),
            url=lambda classroom: reverse("portfolio:class_labels", args=[classroom.pk]),
            visible=lambda user, classroom: policies.can_print_labels(user, classroom),
            order=60,
        ),
    )
    register(
        "child",
        PageLink(
            label=gettext_lazy("Albums"),
            url=lambda child: reverse("portfolio:child_albums", args=[child.pk]),
            visible=lambda user, child: policies.can_have_albums(user, child),
            order=60,
        ),
    )
    register(
        "child",
        PageLink(
            label=gettext_lazy("Ready for school"),
            url=lambda child: reverse("portfolio:ready_for_school", args=[child.pk]),
            visible=lambda user, child: policies.can_make_summary(user, child),
            order=65,
        ),
    )
