"""The health station's exchange, for the nurse and the school's leaders (`policies.can_manage_health`):

- the import of the station's measurements (CSV): the template, the upload, the preview of every row
  with its z-scores and flags, then the confirmation that saves them all;
- a class's measurements of the current school year as an XLSX workbook for the station.

Everyone else gets the 404 of a page that does not exist; anonymous visitors are sent to sign in.

Between the preview and the confirmation the file stays on the server, in the person's session: its
text, the school and its SHA-256 digest, which the confirmation form sends back. Confirming reads and
checks the same text again (the children or their measurements may have changed in between) and saves
only when it is still all right, and only the file that was previewed (a digest that does not match
the session's is refused). Nothing of the file travels back through the browser.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from health import exporting, importing
from health.models import HealthRead
from health.policies import can_manage_health
from health.services import health_reads_log
from schools.models import Classroom, School

SESSION_KEY = "health_station_import"
PREVIEW_ROWS = 500  # a longer file shows its flagged rows and its first rows up to this many


def _school_for_health(user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not can_manage_health(user, school.pk):
        raise Http404
    return school


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@login_required
@require_http_methods(["GET", "HEAD"])
def station_template(request, slug: str):
    """The CSV template, with its header in the reader's language (both are read back)."""
    _school_for_health(request.user, slug)
    response = HttpResponse(importing.template_csv(translation.get_language()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="health-station-measurements.csv"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def station_import(request, slug: str):
    school = _school_for_health(request.user, slug)
    context = {"school": school, "columns": importing.COLUMNS, "classrooms": _classrooms(school)}
    if request.method != "POST":
        return render(request, "health/exchange/import.html", context)

    if "confirm" in request.POST:
        kept = request.session.get(SESSION_KEY) or {}
        if kept.get("school") != school.pk or kept.get("digest") != request.POST.get("digest"):
            messages.error(request, _("This file's preview has expired: send the file again."))
            return redirect("health:station_import", slug=school.slug)
        result = importing.station_import(
            by=request.user, school_id=school.pk, data=kept["text"].encode("utf-8"), name=kept["name"], save=True
        )
        if not result.ok:
            context.update(problems=result.problems, file_name=kept["name"])
            return render(request, "health/exchange/import.html", context, status=400)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            ngettext(
                "%(count)s measurement from the health station saved (%(created)s new, %(updated)s corrected).",
                "%(count)s measurements from the health station saved (%(created)s new, %(updated)s corrected).",
                result.saved,
            )
            % {"count": result.saved, "created": result.created, "updated": result.updated},
        )
        return redirect("health:station_import", slug=school.slug)

    upload = request.FILES.get("file")
    if upload is None:
        context["problems"] = [importing.Problem(None, "", _("Choose the CSV file to import."))]
        return render(request, "health/exchange/import.html", context, status=400)
    if upload.size > importing.MAX_FILE_BYTES:
        data = b""
        problems = [importing.Problem(None, "", _("The file is larger than 2 MB: split it into several files."))]
    else:
        data = upload.read()
        problems = []
    result = (
        importing.ImportResult(problems=problems)
        if problems
        else importing.station_import(by=request.user, school_id=school.pk, data=data, name=upload.name)
    )
    if not result.ok:
        context.update(problems=result.problems, file_name=upload.name)
        return render(request, "health/exchange/import.html", context, status=400)
    text = importing.file_text(data, upload.name)
    request.session[SESSION_KEY] = {"school": school.pk, "digest": _digest(text), "text": text, "name": upload.name}
    flagged = [row for row in result.rows if row.flags]
    shown = {row.number for row in flagged[:PREVIEW_ROWS]}
    for row in result.rows:
        if len(shown) >= PREVIEW_ROWS:
            break
        shown.add(row.number)
    context.update(
        preview=[row for row in result.rows if row.number in shown],
        total=len(result.rows),
        digest=_digest(text),
        file_name=upload.name,
        corrections=sum(1 for row in result.rows if row.corrects is not None),
        flagged=len(flagged),
    )
    return render(request, "health/exchange/preview.html", context)


def _classrooms(school: School) -> list[Classroom]:
    return list(
        Classroom.objects.filter(school=school, school_year__is_current=True).order_by("name").only("pk", "name")
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def class_export(request, classroom_id: int):
    classroom = Classroom.objects.select_related("school", "school_year").filter(pk=classroom_id).first()
    if classroom is None or not can_manage_health(request.user, classroom.school_id):
        raise Http404
    export = exporting.class_export(classroom)
    health_reads_log(request.user, export.children, HealthRead.Page.EXPORT)
    response = HttpResponse(export.content, content_type=exporting.XLSX_TYPE)
    filename = f"measurements-{classroom.school.slug}-class-{classroom.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
