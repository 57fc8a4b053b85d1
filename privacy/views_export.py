"""The family's copy of its data: ask for it, see when it is ready, download it before the link expires."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from privacy import selectors_export, services_export
from privacy.exporting import family_child_ids
from privacy.models import Export


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def exports(request):
    if request.method == "POST":
        services_export.export_request(user=request.user)
        messages.success(request, _("We are preparing the copy. You will be told when it is ready to download."))
        return redirect("privacy:exports")
    context = {
        "exports": selectors_export.exports_of(user=request.user),
        "children": selectors_export.export_children(child_ids=family_child_ids(user=request.user)),
        "now": timezone.now(),
        "Status": Export.Status,
        "keep_days": settings.PRIVACY_EXPORT_KEEP_DAYS,
    }
    response = render(request, "privacy/exports.html", context)
    if any(export.status in services_export.IN_PROGRESS for export in context["exports"]):
        response["Refresh"] = "10"
    return response


@login_required
@require_safe
def export_download(request, token: str):
    export = selectors_export.export_for_download(user=request.user, token=token)
    now = timezone.now()
    if services_export.export_expired(export, now=now):
        return render(request, "privacy/export_expired.html", {"export": export}, status=410)
    if export.status != Export.Status.READY or not export.file:
        return redirect("privacy:exports")
    try:
        handle = default_storage.open(export.file.name, "rb")
    except OSError:
        raise Http404 from None
    services_export.export_downloaded(export=export, now=now)
    filename = f"du-lieu-gia-dinh-{timezone.localtime(export.finished_at or now):%Y%m%d}.zip"
    response = FileResponse(handle, content_type="application/zip", as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie"])
    return response
