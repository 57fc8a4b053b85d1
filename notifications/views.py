import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import selectors, services, zalo
from notifications.forms import PreferenceForm

NOTICES_PER_PAGE = 20


@login_required
def notice_list(request):
    page = Paginator(selectors.notices_for(user=request.user), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notice_list.html", {"page": page})


def _list_page(request) -> str:
    page = request.POST.get("page", "")
    url = reverse("notifications:list")
    return f"{url}?page={page}" if page.isdigit() else url


@login_required
@require_POST
def notice_read(request, notice_id: int):
    """Mark a notice read; with `open`, go on to what it is about."""
    notice = get_object_or_404(selectors.notices_for(user=request.user), pk=notice_id)
    services.notice_mark_read(notice=notice, user=request.user)
    if request.POST.get("open") and notice.url:
        allowed = {request.get_host(), settings.SITE_URL.split("://", 1)[-1]}
        if url_has_allowed_host_and_scheme(notice.url, allowed_hosts=allowed, require_https=request.is_secure()):
            return redirect(notice.url)
    return redirect(_list_page(request))


@login_required
@require_POST
def notices_read_all(request):
    count = services.notices_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notice marked as read.", "%(count)d notices marked as read.", count) % {"count": count},
        )
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference = selectors.preference_for(user=request.user)
    zalo_categories = frozenset(zalo.categories_approved())
    form = PreferenceForm(
        request.POST or None, preference=preference, language=request.user.language, zalo_categories=zalo_categories
    )
    if request.method == "POST":
        if form.is_valid():
            arguments = form.service_arguments()
            try:
                services.preference_update(user=request.user, **arguments)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your choices were saved."))
                response = redirect("notifications:preferences")
                # The language switch's cookie would otherwise keep the old language.
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    arguments["language"],
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                )
                return response
        messages.error(request, _("Nothing was changed: correct what is marked below."))
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "has_email": bool(request.user.email),
            "has_phone": bool(request.user.phone and request.user.phone_verified),
            "preference": preference,
        },
    )


@login_required
def notice_detail(request, notice_id: int):
    """One notice, whole: where a Zalo message's button (and an e-mail's link) lands. Opening it reads it."""
    notice = get_object_or_404(selectors.notices_for(user=request.user).select_related("school"), pk=notice_id)
    services.notice_mark_read(notice=notice, user=request.user)
    return render(request, "notifications/notice_detail.html", {"notice": notice})


@csrf_exempt
@require_POST
def zalo_webhook(request):
    """Zalo's reports (delivered, read, not delivered, a template's approval), served only with ZALO_OA_SECRET_KEY.

    Every call is kept (ZaloEvent) for the superuser; one without a valid
    signature changes nothing and is answered 403.
    """
    raw = request.body[: 64 * 1024]
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        services.zalo_event_record(payload={}, signature_valid=False)
        return JsonResponse({"error": "not a JSON object"}, status=400)
    valid = zalo.signature_valid(
        raw, request.headers.get("X-ZEvent-Signature", ""), timestamp=str(payload.get("timestamp", ""))
    )
    services.zalo_event_record(payload=payload, signature_valid=valid)
    if not valid:
        return JsonResponse({"error": "bad signature"}, status=403)
    return JsonResponse({"ok": True})
