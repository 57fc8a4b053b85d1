"""Every URL pattern of the project, asked by every persona, gets the declared answer.

A pattern without an entry in MATRIX (or ADMIN_MODELS) fails the suite: whoever
adds a URL decides here who may use it.

Answers: a status code, "login" (sent to the sign-in page), "admin-login" (sent
to the admin's sign-in, which refuses non-leaders), or "redirect" (elsewhere).
Object URLs use objects of the first school: the parent's child in the
teacher's class (`child`), and the other parent's child in the other teacher's
class (`other_class_child`, the one with the invitation code).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories as f
from tests.conftest import PERSONAS, World
from tests.matrix_kit import (
    ADMIN_VIEW_SUFFIXES,
    ALL_REDIRECT,
    ANON_200_ELSE_REDIRECT,
    CHILD_VIEWERS,
    CLASS_VIEWERS,
    DISTRICT_ONLY,
    EVERYONE_200,
    GUARDIAN_ONLY,
    LOGIN_ELSE_REDIRECT,
    READ_ONLY,
    REDIRECTED,
    SCHOOL_LEADERS,
    SCOPED,
    SCOPED_NO_ADD,
    SIGNED_IN_200,
    SUPERUSER_ONLY,
    TEACHERS_ONLY,
    Entry,
    admin_answers,
    answers,
)

pytestmark = pytest.mark.django_db


def child_url(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/children/{w.child.pk}/{suffix}"


def pickup_remove(w: World) -> str:
    person = f.PickupPersonFactory(child=w.child)
    return f"/children/{w.child.pk}/pickup/{person.pk}/remove/"


def staff_deactivate(w: World) -> str:
    membership = w.other_teacher.staff_memberships.get()
    return f"/schools/{w.school.slug}/manage/staff/{membership.pk}/deactivate/"


def _parent_notice(w: World):
    from notifications.models import Notice

    return Notice.objects.create(
        recipient=w.parent, school=w.school, category="activity", title="Hoạt động mới", dedupe_key="matrix"
    )


def _parent_delivery(w: World):
    from notifications.models import Delivery

    return Delivery.objects.create(notice=_parent_notice(w), channel="email", state="given_up", last_error="550")


def _announcement(w: World, **extra):
    """Posted by the teacher to the parent's child's class (Lá 1), asking for acknowledgement."""
    from tests.schools.makers import announcement_make

    return announcement_make(school=w.school, by=w.teacher, classrooms=[w.classroom], **extra)


def _announcement_receipt(w: World):
    from schools.models import AnnouncementReceipt

    return AnnouncementReceipt.objects.create(school=w.school, announcement=_announcement(w), guardian=w.parent)


def _pickup_notice(w: World):
    """Sent today by the parent for their child in the teacher's class."""
    from tests.schools.makers import pickup_notice_make

    return pickup_notice_make(child=w.child, by=w.parent)


def admin_app_index_route() -> str:
    from django.contrib import admin

    labels = dict.fromkeys(model._meta.app_label for model in admin.site._registry)
    return "admin/^(?P<app_label>" + "|".join(labels) + ")/$"


MATRIX: dict[str, Entry] = {
    # --- the portal's own pages
    "": Entry("/", REDIRECTED),
    "healthz": Entry("/healthz", EVERYONE_200),
    "i18n/setlang/": Entry("/i18n/setlang/", ALL_REDIRECT, method="post", data=lambda w: {"language": "en"}),
    "family/": Entry("/family/", SIGNED_IN_200),
    "join/": Entry("/join/", SIGNED_IN_200),
    "children/<int:child_id>/consents/": Entry(child_url("consents/"), GUARDIAN_ONLY),
    "children/<int:child_id>/pickup/": Entry(child_url("pickup/"), GUARDIAN_ONLY),
    "children/<int:child_id>/pickup/<int:person_id>/remove/": Entry(
        pickup_remove,
        answers("login  redirect 404   404     404     404    404      404    404     404"),
        method="post",
    ),
    "teacher/": Entry("/teacher/", TEACHERS_ONLY),
    "classes/<int:classroom_id>/": Entry(lambda w: f"/classes/{w.classroom.pk}/", CLASS_VIEWERS),
    "classes/<int:classroom_id>/invitation-letters/": Entry(
        lambda w: f"/classes/{w.classroom.pk}/invitation-letters/",
        answers("login  404    404     200     404     200    404      404    404     404"),
        method="post",
        data=lambda w: {"everyone": "1"},
    ),
    "children/<int:child_id>/": Entry(child_url(), CHILD_VIEWERS),
    "children/<int:child_id>/invitations/": Entry(
        child_url("invitations/"),
        answers("login  403    404     redirect 404    redirect 404     403    404     404"),
        method="post",
    ),
    "invitations/<int:invitation_id>/letter.pdf": Entry(
        lambda w: f"/invitations/{w.invitation.pk}/letter.pdf",
        answers("login  404    404     404     200     200    404      404    404     404"),
    ),
    "invitations/<int:invitation_id>/revoke/": Entry(
        lambda w: f"/invitations/{w.invitation.pk}/revoke/",
        answers("login  404    404     404     redirect redirect 404    404    404     404"),
        method="post",
    ),
    "schools/<slug:slug>/": Entry(lambda w: f"/schools/{w.school.slug}/", EVERYONE_200),
    "schools/<slug:slug>/manage/": Entry(lambda w: f"/schools/{w.school.slug}/manage/", SCHOOL_LEADERS),
    "schools/<slug:slug>/manage/staff/": Entry(lambda w: f"/schools/{w.school.slug}/manage/staff/", SCHOOL_LEADERS),
    "schools/<slug:slug>/manage/staff/<int:membership_id>/deactivate/": Entry(
        staff_deactivate,
        answers("login  404    404     404     404     redirect 404    404    404     404"),
        method="post",
    ),
    "districts/<slug:slug>/": Entry(lambda w: f"/districts/{w.school.district.slug}/", DISTRICT_ONLY),
    # --- announcements: the families they are for, their author, the school's leaders, the classes' teachers
    "announcements/": Entry("/announcements/", SIGNED_IN_200),
    "announcements/<int:announcement_id>/": Entry(
        lambda w: f"/announcements/{_announcement(w).pk}/",
        answers("login  200    404     200     404     200    404      404    404     404"),
    ),
    "announcements/<int:announcement_id>/acknowledge/": Entry(
        lambda w: f"/announcements/{_announcement(w).pk}/acknowledge/",
        answers("login  redirect 404   404     404     404    404      404    404     404"),
        method="post",
    ),
    "announcements/<int:announcement_id>/publish/": Entry(
        lambda w: f"/announcements/{_announcement(w, published=False).pk}/publish/",
        answers("login  404    404     redirect 404    redirect 404     404    404     404"),
        method="post",
    ),
    "announcements/<int:announcement_id>/receipts/": Entry(
        lambda w: f"/announcements/{_announcement(w).pk}/receipts/", CLASS_VIEWERS
    ),
    "schools/<slug:slug>/announcements/": Entry(
        lambda w: f"/schools/{w.school.slug}/announcements/",
        answers("login  404    404     200     200     200    404      404    404     404"),
    ),
    "schools/<slug:slug>/announcements/new/": Entry(
        lambda w: f"/schools/{w.school.slug}/announcements/new/",
        answers("login  404    404     200     200     200    404      404    404     404"),
    ),
    # --- pick-up notices: a guardian for their own child; the class teachers and leaders read them
    "children/<int:child_id>/pickup-notices/": Entry(child_url("pickup-notices/"), GUARDIAN_ONLY),
    "pickup-notices/<int:notice_id>/cancel/": Entry(
        lambda w: f"/pickup-notices/{_pickup_notice(w).pk}/cancel/",
        answers("login  redirect 404   404     404     404    404      404    404     404"),
        method="post",
    ),
    "pickup-notices/today/": Entry(
        "/pickup-notices/today/",
        answers("login  403    403     200     200     200    200      403    403     403"),
    ),
    "classes/<int:classroom_id>/pickup-notices/": Entry(
        lambda w: f"/classes/{w.classroom.pk}/pickup-notices/", CLASS_VIEWERS
    ),
    # --- notifications: each person's own notices and choices, nobody else's
    "notifications/": Entry("/notifications/", SIGNED_IN_200),
    "notifications/<int:notice_id>/read/": Entry(
        lambda w: f"/notifications/{_parent_notice(w).pk}/read/",
        answers("login  redirect 404   404     404     404    404      404    404     404"),
        method="post",
    ),
    "notifications/read-all/": Entry("/notifications/read-all/", LOGIN_ELSE_REDIRECT, method="post"),
    "notifications/preferences/": Entry("/notifications/preferences/", SIGNED_IN_200),
    # --- sign-in and account pages (allauth): only ever about the person's own account
    "accounts/login/": Entry("/accounts/login/", ANON_200_ELSE_REDIRECT),
    "accounts/logout/": Entry("/accounts/logout/", answers("redirect 200 200 200 200 200 200 200 200 200")),
    "accounts/inactive/": Entry("/accounts/inactive/", EVERYONE_200),
    "accounts/signup/": Entry("/accounts/signup/", ANON_200_ELSE_REDIRECT),
    "accounts/reauthenticate/": Entry("/accounts/reauthenticate/", SIGNED_IN_200),
    "accounts/email/": Entry("/accounts/email/", SIGNED_IN_200),
    "accounts/confirm-email/": Entry("/accounts/confirm-email/", EVERYONE_200),
    "accounts/password/change/": Entry("/accounts/password/change/", SIGNED_IN_200),
    "accounts/password/set/": Entry(
        "/accounts/password/set/",
        answers("login redirect redirect redirect redirect redirect redirect redirect redirect redirect"),
    ),
    "accounts/password/reset/": Entry("/accounts/password/reset/", EVERYONE_200),
    "accounts/login/code/": Entry("/accounts/login/code/", ANON_200_ELSE_REDIRECT),
    "accounts/login/code/confirm/": Entry("/accounts/login/code/confirm/", LOGIN_ELSE_REDIRECT),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Entry("/accounts/confirm-email/not-a-key/", EVERYONE_200),
    "accounts/phone/verify/": Entry("/accounts/phone/verify/", LOGIN_ELSE_REDIRECT),
    "accounts/phone/change/": Entry("/accounts/phone/change/", SIGNED_IN_200),
    "accounts/password/reset/key/done/": Entry("/accounts/password/reset/key/done/", EVERYONE_200),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Entry(
        "/accounts/password/reset/key/1-bad-key/", EVERYONE_200
    ),
    "accounts/password/reset/done/": Entry("/accounts/password/reset/done/", EVERYONE_200),
    "accounts/2fa/": Entry("/accounts/2fa/", SIGNED_IN_200),
    "accounts/2fa/authenticate/": Entry("/accounts/2fa/authenticate/", LOGIN_ELSE_REDIRECT),
    "accounts/2fa/reauthenticate/": Entry("/accounts/2fa/reauthenticate/", LOGIN_ELSE_REDIRECT),
    "accounts/2fa/totp/activate/": Entry(
        "/accounts/2fa/totp/activate/",
        answers("login redirect redirect redirect redirect redirect redirect redirect redirect redirect"),
    ),
    "accounts/2fa/totp/deactivate/": Entry(
        "/accounts/2fa/totp/deactivate/", answers("login 404 404 404 404 404 404 404 404 404")
    ),
    "accounts/2fa/recovery-codes/": Entry(
        "/accounts/2fa/recovery-codes/", answers("login 404 404 404 404 404 404 404 404 404")
    ),
    "accounts/2fa/recovery-codes/generate/": Entry("/accounts/2fa/recovery-codes/generate/", LOGIN_ELSE_REDIRECT),
    "accounts/2fa/recovery-codes/download/": Entry(
        "/accounts/2fa/recovery-codes/download/", answers("login 404 404 404 404 404 404 404 404 404")
    ),
    # --- the admin's own pages
    "admin/": Entry("/admin/", admin_answers(200, 200)),
    "admin/login/": Entry("/admin/login/", answers("login 403 403 403 403 redirect redirect 403 403 403")),
    # Logging out of the admin is a POST; a GET is refused or sent on, never served.
    "admin/logout/": Entry(
        "/admin/logout/", answers("redirect redirect redirect redirect redirect 405 405 redirect redirect redirect")
    ),
    "admin/accounts/user/<id>/password/": Entry(
        lambda w: f"/admin/accounts/user/{w.parent.pk}/password/",
        admin_answers(403, 403),
    ),
    "admin/password_change/": Entry(
        "/admin/password_change/",
        admin_answers(200, 200),
    ),
    "admin/password_change/done/": Entry(
        "/admin/password_change/done/",
        admin_answers(200, 200),
    ),
    "admin/autocomplete/": Entry("/admin/autocomplete/", admin_answers(403, 403)),
    "admin/jsi18n/": Entry("/admin/jsi18n/", admin_answers(200, 200)),
    "admin/r/<path:content_type_id>/<path:object_id>/": Entry("/admin/r/1/1/", admin_answers(404, 404)),
    # The admin's app index lists every app with a registered model.
    admin_app_index_route(): Entry("/admin/schools/", admin_answers(200, 200)),
    "admin/(?P<url>.*)$": Entry("/admin/no-such-page/", admin_answers(404, 404)),
}

ADMIN_MODELS: dict[str, tuple[dict, Callable[[World], object]]] = {
    "auth/group": (SUPERUSER_ONLY, lambda w: _group()),
    "account/emailaddress": (SUPERUSER_ONLY, lambda w: w.parent.emailaddress_set.get()),
    "mfa/authenticator": (SUPERUSER_ONLY, lambda w: _authenticator(w)),
    "accounts/user": (SUPERUSER_ONLY, lambda w: w.parent),
    "schools/district": (SUPERUSER_ONLY, lambda w: w.school.district),
    "schools/school": (
        {**SCOPED_NO_ADD, "delete": SUPERUSER_ONLY["delete"]},
        lambda w: w.school,
    ),
    "schools/schoolyear": (SCOPED, lambda w: w.classroom.school_year),
    "schools/classroom": (SCOPED, lambda w: w.classroom),
    "schools/staffmembership": (SCOPED, lambda w: w.teacher.staff_memberships.get()),
    "schools/child": (SCOPED, lambda w: w.child),
    "schools/enrolment": (
        {**SCOPED, "delete": admin_answers(403, 403)},
        lambda w: w.child.enrolments.get(),
    ),
    "schools/pickupperson": (SCOPED, lambda w: f.PickupPersonFactory(child=w.child)),
    "parents/guardianship": (SCOPED, lambda w: w.child.guardianships.first()),
    "parents/invitationcode": (SCOPED_NO_ADD, lambda w: w.invitation),
    "parents/consentrecord": (READ_ONLY, lambda w: f.ConsentFactory(child=w.child, guardian=w.parent)),
    "schools/announcement": (SCOPED_NO_ADD, _announcement),
    "schools/announcementreceipt": (READ_ONLY, _announcement_receipt),
    "schools/pickupnotice": (READ_ONLY, _pickup_notice),
    "notifications/notice": (READ_ONLY, _parent_notice),
    "notifications/delivery": (READ_ONLY, _parent_delivery),
    "notifications/smscount": (SUPERUSER_ONLY, lambda w: _sms_count()),
}


# Apps keep their own tables in tests/<app>/matrix.py; they are merged here.
APP_TABLES = ("tests.mediafiles.matrix", "tests.activities.matrix")
for _module_name in APP_TABLES:
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as error:
        if not (error.name and _module_name.startswith(error.name)):
            raise
        continue
    _clash = (set(_module.MATRIX) & set(MATRIX)) | (set(getattr(_module, "ADMIN_MODELS", {})) & set(ADMIN_MODELS))
    assert not _clash, f"{_module_name} declares entries twice: {_clash}"
    MATRIX.update(_module.MATRIX)
    ADMIN_MODELS.update(getattr(_module, "ADMIN_MODELS", {}))


def _sms_count():
    from django.utils import timezone

    from notifications.models import SmsCount

    return SmsCount.objects.create(kind="account", scope="all", period_start=timezone.now(), sent=3, refused=1)


def _group():
    from django.contrib.auth.models import Group

    return Group.objects.create(name="Ban giám hiệu")


def _authenticator(w: World):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(user=w.parent, type=Authenticator.Type.TOTP, data={"secret": "x"})


def all_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def admin_model_routes() -> set[str]:
    routes = set()
    for model in ADMIN_MODELS:
        routes |= {
            f"admin/{model}/",
            f"admin/{model}/add/",
            f"admin/{model}/<path:object_id>/history/",
            f"admin/{model}/<path:object_id>/delete/",
            f"admin/{model}/<path:object_id>/change/",
            f"admin/{model}/<path:object_id>/",
        }
    return routes


def test_every_url_pattern_has_an_entry():
    declared = set(MATRIX) | admin_model_routes()
    missing = [route for route in all_routes() if route not in declared]
    assert not missing, f"add these URL patterns to the authorisation matrix: {missing}"
    stale = sorted(set(MATRIX) - set(all_routes()))
    assert not stale, f"these matrix entries match no URL pattern any more: {stale}"


def answer_of(response) -> int | str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
        return "redirect"
    return response.status_code


def ask(client, world: World, persona: str, entry: Entry) -> int | str:
    """Ask once, in a savepoint that is rolled back, so one persona's POST cannot change another's answer."""
    with transaction.atomic():
        client.logout()
        person = world.persona(persona)
        if person is not None:
            client.force_login(person)
            for cached in ("_portal_access", "_guardian_child_ids"):
                person.__dict__.pop(cached, None)
        path = entry.path(world) if callable(entry.path) else entry.path
        data = entry.data(world) if entry.data else {}
        response = getattr(client, entry.method)(path, data)
        transaction.set_rollback(True)
    return answer_of(response)


def check(client, world, entry: Entry) -> list[str]:
    problems = []
    for persona, expected in zip(PERSONAS, entry.expect, strict=True):
        got = ask(client, world, persona, entry)
        if got != expected:
            problems.append(f"{persona}: expected {expected}, got {got}")
    return problems


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_matrix(route, world, client):
    problems = check(client, world, MATRIX[route])
    assert not problems, f"{route}: " + "; ".join(problems)


@pytest.mark.parametrize("model", sorted(ADMIN_MODELS))
def test_admin_matrix(model, world, client):
    table, make_object = ADMIN_MODELS[model]
    obj = make_object(world)
    problems = []
    for view, suffix in ADMIN_VIEW_SUFFIXES.items():
        entry = Entry(f"/admin/{model}/" + suffix.format(pk=obj.pk), table[view])
        problems += [f"{view} {p}" for p in check(client, world, entry)]
    assert not problems, f"{model}: " + "; ".join(problems)


def test_nothing_leaks_into_the_pages_of_other_families(world, client):
    """The names of other families' children never appear on a parent's pages."""
    client.force_login(world.parent)
    for url in ("/family/", f"/children/{world.child.pk}/", f"/children/{world.sibling.pk}/", "/join/"):
        page = client.get(url).content.decode()
        assert "Phạm Khánh Linh" not in page and "Ngô Bảo Ngọc" not in page, url
