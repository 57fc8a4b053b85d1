import logging
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from coordination.admin_site import OFF_SITE_MESSAGE
from coordination.lib.homes import role_home
from parents.policies import is_family_viewer, is_guardian
from schools import policies
from schools.models import StaffRole

logger = logging.getLogger(__name__)


def home(request):
    """Send each person to the page of their main role; strangers see the welcome page."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    access = policies.access_for(user)
    leader_schools = policies.leader_school_ids(user)
    if leader_schools:
        from schools.models import School

        school = School.objects.filter(pk__in=leader_schools).order_by("name").first()
        return redirect("schools:principal_home", slug=school.slug)
    if StaffRole.TEACHER in access.roles_by_school.values():
        return redirect("schools:teacher_home")
    for role in sorted(set(access.roles_by_school.values())):
        # A role whose daily page a feature provides (the nurse's measuring day), if installed.
        landing = role_home(role, user)
        if landing:
            return redirect(landing)
    if is_guardian(user):
        return redirect("parents:home")
    if StaffRole.ACCOUNTANT in access.roles_by_school.values():
        # The accountant's work (the school's gifts, spending and statements) is in the admin.
        return redirect("admin:index")
    if access.authority_ids:
        from schools.models import Authority

        # A provincial post first: its page covers the communes too.
        authority = Authority.objects.filter(pk__in=access.authority_ids).order_by("-level", "name").first()
        return redirect("schools:authority_home", slug=authority.slug)
    if user.is_superuser:
        return redirect("admin:index")
    if is_family_viewer(user):
        # A grandparent who follows a child: their home is the family page ("Children I follow").
        return redirect("parents:home")
    return redirect("parents:join")


def _check(fn) -> dict:
    started = time.monotonic()
    try:
        fn()
    except Exception as exc:  # a health check reports every failure, whatever it is
        logger.warning("health check failed: %s", exc)
        return {"ok": False, "error": exc.__class__.__name__, "ms": round((time.monotonic() - started) * 1000, 1)}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker():
    from coordination.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _storage():
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


@never_cache
def healthz(request):
    checks = {"database": _check(_database), "storage": _check(_storage)}
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = _check(_broker)
    else:
        checks["broker"] = {"ok": True, "mode": "in-process"}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, from the site's root so that its scope is every page (templates/service_worker.js)."""
    response = render(request, "service_worker.js", content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_POST
def language_set(request):
    """Switch language, and remember the choice on the account for the person's other devices.

    Django's set_language goes back to `next` only on this site (else the
    page the person came from, else home); an address elsewhere is refused
    here too, with a word, before Django's check.
    """
    target = request.POST.get("next", request.GET.get("next", ""))
    language = request.POST.get("language")
    if target and not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Said in the language just chosen: it is read on the next page.
        chosen = language if language in dict(settings.LANGUAGES) else translation.get_language()
        with translation.override(chosen):
            messages.warning(request, str(OFF_SITE_MESSAGE))
    response = set_language(request)
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
