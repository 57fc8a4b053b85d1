"""Every URL pattern of the project, asked by every persona, gets the declared answer.

A pattern without an entry in MATRIX (or ADMIN_MODELS) fails the suite: whoever adds a URL
decides here who may use it. Beyond the status:
- a 200 page shows its own object (`shows`) and never a child of a school the persona does not
  belong to (World.names_hidden_from);
- a request that changes something (`effect`) changes it for those allowed and for nobody else.

Object URLs use objects of the first school (Sao Mai): the parent's child in the teacher's class
(`child`), and the other parent's child in the other teacher's class (`other_class_child`, the
one with the invitation code). The personas are in tests/conftest.py, the vocabulary in
tests/matrix_kit.py; apps keep their tables in tests/<app>/matrix.py.
"""

from __future__ import annotations

import datetime
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
    AUTHORITY_VIEWERS,
    CHILD_VIEWERS,
    CLASS_VIEWERS,
    EVERYONE_200,
    GUARDIAN_ONLY,
    LOGIN_ELSE_REDIRECT,
    OUT,
    READ_ONLY,
    REDIRECTED,
    SCHOOL_LEADERS,
    SCOPED,
    SCOPED_NO_ADD,
    SIGNED_IN_200,
    SUPERUSER_ONLY,
    SUPERUSER_READS,
    TEACHERS_ONLY,
    Entry,
    admin_answers,
    expect,
)

pytestmark = pytest.mark.django_db


def child_url(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/children/{w.child.pk}/{suffix}"


def child_name(w: World) -> str:
    return w.child.full_name


def pickup_remove(w: World) -> str:
    person = f.PickupPersonFactory(child=w.child)
    return f"/children/{w.child.pk}/pickup/{person.pk}/remove/"


def pickup_persons(w: World) -> int:
    from schools.models import PickupPerson

    return PickupPerson.objects.filter(child=w.child).count()


def staff_deactivate(w: World) -> str:
    membership = w.other_teacher.staff_memberships.get()
    return f"/schools/{w.school.slug}/manage/staff/{membership.pk}/deactivate/"


def other_teacher_active(w: World) -> bool:
    return w.other_teacher.staff_memberships.get().is_active


def invitations_of(child_attr: str) -> Callable[[World], list]:
    def snapshot(w: World) -> list:
        from parents.models import InvitationCode

        child = getattr(w, child_attr)
        return list(InvitationCode.objects.filter(child=child).values_list("pk", "revoked_at").order_by("pk"))

    return snapshot


def _newcomer_in_class(w: World):
    return f.ChildFactory(classroom=w.classroom, full_name="Đặng Gia Bảo")


def _class_invitations(w: World) -> list:
    from parents.models import InvitationCode

    return list(InvitationCode.objects.filter(child__classroom=w.classroom).values_list("child_id", flat=True))


def _parent_notice(w: World):
    from notifications.models import Notice

    return Notice.objects.create(
        recipient=w.parent, school=w.school, category="activity", title="Hoạt động mới", dedupe_key="matrix"
    )


def _parent_notice_read(w: World) -> list:
    from notifications.models import Notice

    return list(Notice.objects.filter(recipient=w.parent, dedupe_key="matrix").values_list("read_at", flat=True))


def _languages(w: World) -> list:
    from accounts.models import User

    return list(User.objects.order_by("pk").values_list("pk", "language"))


def _parent_delivery(w: World):
    from notifications.models import Delivery

    return Delivery.objects.create(notice=_parent_notice(w), channel="email", state="given_up", last_error="550")


def admin_app_index_route() -> str:
    from django.contrib import admin

    labels = dict.fromkeys(model._meta.app_label for model in admin.site._registry)
    return "admin/^(?P<app_label>" + "|".join(labels) + ")/$"


# The staff of the first school who may print and revoke the other class's codes.
OTHER_CLASS_STAFF_PDF = expect(other_teacher=200, leaders=200)

MATRIX: dict[str, Entry | list[Entry]] = {
    # --- the portal's own pages
    "": Entry("/", REDIRECTED),
    "healthz": Entry("/healthz", EVERYONE_200),
    # Answered by network, not by person: the test client's 127.0.0.1 is a staff network.
    "metrics": Entry("/metrics", EVERYONE_200),
    "sw.js": Entry("/sw.js", EVERYONE_200),
    "i18n/setlang/": Entry(
        "/i18n/setlang/",
        ALL_REDIRECT,
        method="post",
        data=lambda w: {"language": "en"},
        effect=_languages,
        changes_for=frozenset(PERSONAS) - {"anonymous"},  # the choice is kept on the account too
    ),
    # A family viewer's home too: the children they follow.
    "family/": Entry(
        "/family/",
        SIGNED_IN_200,
        shows={"parent": child_name, "other_parent": "Phạm Khánh Linh", "family_viewer": child_name},
    ),
    "join/": Entry("/join/", SIGNED_IN_200),
    "children/<int:child_id>/consents/": Entry(child_url("consents/"), GUARDIAN_ONLY, shows=child_name),
    "children/<int:child_id>/pickup/": Entry(child_url("pickup/"), GUARDIAN_ONLY, shows=child_name),
    "children/<int:child_id>/pickup/<int:person_id>/remove/": Entry(
        pickup_remove, expect(parent="redirect"), method="post", effect=pickup_persons
    ),
    "teacher/": Entry("/teacher/", TEACHERS_ONLY, shows={"teacher": "Lá 1", "other_teacher": "Chồi 1"}),
    "classes/<int:classroom_id>/": Entry(lambda w: f"/classes/{w.classroom.pk}/", CLASS_VIEWERS, shows=child_name),
    # Letters for a class: only for its children without a guardian (here a newcomer, not Khôi).
    "classes/<int:classroom_id>/invitation-letters/": Entry(
        lambda w: _newcomer_in_class(w) and f"/classes/{w.classroom.pk}/invitation-letters/",
        expect(teacher=200, leaders=200),
        method="post",
        data=lambda w: {"everyone": "1"},
        effect=_class_invitations,
    ),
    "children/<int:child_id>/": Entry(child_url(), CHILD_VIEWERS, shows=child_name),
    "children/<int:child_id>/invitations/": Entry(
        child_url("invitations/"),
        expect(parent=403, nurse=403, teacher="redirect", leaders="redirect"),
        method="post",
        effect=invitations_of("child"),
    ),
    "invitations/<int:invitation_id>/letter.pdf": Entry(
        lambda w: f"/invitations/{w.invitation.pk}/letter.pdf", OTHER_CLASS_STAFF_PDF
    ),
    "invitations/<int:invitation_id>/revoke/": Entry(
        lambda w: f"/invitations/{w.invitation.pk}/revoke/",
        expect(other_teacher="redirect", leaders="redirect"),
        method="post",
        effect=invitations_of("other_class_child"),
    ),
    "schools/<slug:slug>/": Entry(lambda w: f"/schools/{w.school.slug}/", EVERYONE_200, shows="Sao Mai"),
    "schools/<slug:slug>/manage/": Entry(lambda w: f"/schools/{w.school.slug}/manage/", SCHOOL_LEADERS, shows="Lá 1"),
    "schools/<slug:slug>/manage/staff/": Entry(
        lambda w: f"/schools/{w.school.slug}/manage/staff/", SCHOOL_LEADERS, shows=lambda w: w.teacher.email
    ),
    "schools/<slug:slug>/manage/staff/<int:membership_id>/deactivate/": Entry(
        staff_deactivate, expect(leaders="redirect"), method="post", effect=other_teacher_active
    ),
    "authorities/<slug:slug>/": Entry(
        lambda w: f"/authorities/{w.school.authority.slug}/", AUTHORITY_VIEWERS, shows="Sao Mai"
    ),
    "districts/<slug:slug>/": Entry(
        lambda w: f"/districts/{w.school.authority.slug}/", expect(anonymous="redirect", others="redirect")
    ),
    # --- notifications: each person's own notices and choices, nobody else's
    "notifications/": Entry("/notifications/", SIGNED_IN_200),
    "notifications/<int:notice_id>/read/": Entry(
        lambda w: f"/notifications/{_parent_notice(w).pk}/read/",
        expect(parent="redirect"),
        method="post",
        effect=_parent_notice_read,
    ),
    # The notice whole, where a Zalo message's button lands: its recipient's alone (opening it reads it).
    "notifications/<int:notice_id>/": Entry(
        lambda w: f"/notifications/{_parent_notice(w).pk}/",
        GUARDIAN_ONLY,
        shows="Hoạt động mới",
        effect=_parent_notice_read,
        changes_for=frozenset({"parent"}),
    ),
    "notifications/read-all/": Entry(
        lambda w: _parent_notice(w) and "/notifications/read-all/",
        LOGIN_ELSE_REDIRECT,
        method="post",
        effect=_parent_notice_read,
        changes_for=frozenset({"parent"}),
    ),
    "notifications/preferences/": Entry("/notifications/preferences/", SIGNED_IN_200),
    # --- sign-in and account pages (allauth): only ever about the person's own account
    "accounts/login/": Entry("/accounts/login/", ANON_200_ELSE_REDIRECT),
    "accounts/logout/": Entry("/accounts/logout/", expect(anonymous="redirect", others=200)),
    "accounts/inactive/": Entry("/accounts/inactive/", EVERYONE_200),
    "accounts/signup/": Entry("/accounts/signup/", ANON_200_ELSE_REDIRECT),
    "accounts/reauthenticate/": Entry("/accounts/reauthenticate/", SIGNED_IN_200),
    "accounts/email/": Entry("/accounts/email/", SIGNED_IN_200),
    "accounts/confirm-email/": Entry("/accounts/confirm-email/", EVERYONE_200),
    "accounts/password/change/": Entry("/accounts/password/change/", SIGNED_IN_200),
    "accounts/password/set/": Entry("/accounts/password/set/", expect(others="redirect")),
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
    "accounts/2fa/totp/activate/": Entry("/accounts/2fa/totp/activate/", expect(others="redirect")),
    "accounts/2fa/totp/deactivate/": Entry("/accounts/2fa/totp/deactivate/", expect()),
    "accounts/2fa/recovery-codes/": Entry("/accounts/2fa/recovery-codes/", expect()),
    "accounts/2fa/recovery-codes/generate/": Entry("/accounts/2fa/recovery-codes/generate/", LOGIN_ELSE_REDIRECT),
    "accounts/2fa/recovery-codes/download/": Entry("/accounts/2fa/recovery-codes/download/", expect()),
    # --- the admin's own pages
    "admin/": Entry("/admin/", admin_answers(200, 200, accountant=200)),
    "admin/login/": Entry(
        "/admin/login/",
        expect(others=403, leaders="redirect", other_principal="redirect", superuser="redirect", accountant="redirect"),
    ),
    # Logging out of the admin is a POST; a GET is refused or sent on, never served.
    "admin/logout/": Entry(
        "/admin/logout/",
        expect(
            anonymous="redirect", others="redirect", leaders=405, other_principal=405, superuser=405, accountant=405
        ),
    ),
    "admin/accounts/user/<id>/password/": Entry(
        lambda w: f"/admin/accounts/user/{w.parent.pk}/password/", admin_answers(403, 403)
    ),
    "admin/password_change/": Entry("/admin/password_change/", admin_answers(200, 200, accountant=200)),
    "admin/password_change/done/": Entry("/admin/password_change/done/", admin_answers(200, 200, accountant=200)),
    # The search behind autocomplete fields: only a field a form of the person's offers (what it lists:
    # tests/schools/test_admin_autocomplete.py); a malformed search is refused to everyone.
    "admin/autocomplete/": [
        Entry("/admin/autocomplete/", admin_answers(403, 403, superuser=403)),
        Entry(
            "/admin/autocomplete/?app_label=schools&model_name=pickupperson&field_name=child&term=",
            admin_answers(200, 200),
        ),
        Entry(
            "/admin/autocomplete/?app_label=schools&model_name=authorityofficer&field_name=user&term=",
            admin_answers(403, 403),
        ),
    ],
    "admin/jsi18n/": Entry("/admin/jsi18n/", admin_answers(200, 200, accountant=200)),
    "admin/r/<path:content_type_id>/<path:object_id>/": Entry(
        "/admin/r/1/1/", admin_answers(404, 404, 404, accountant=404)
    ),
    # The admin's app index lists every app with a registered model (the accountant's admin: donations only).
    admin_app_index_route(): [
        Entry("/admin/schools/", admin_answers(200, 200, accountant=404)),
        Entry("/admin/donations/", admin_answers(200, 200, accountant=200)),
    ],
    "admin/(?P<url>.*)$": Entry("/admin/no-such-page/", admin_answers(404, 404, 404, accountant=404)),
}


def _days_off(w: World, **owner):
    from schools.models import AuthorityDaysOff, SchoolDaysOff

    model = SchoolDaysOff if "school" in owner else AuthorityDaysOff
    return model.objects.create(
        starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2027, 2, 12), name="Nghỉ Tết 2027", **owner
    )


def _board_member(w: World):
    from parents.models import BoardMember

    return BoardMember.objects.create(school=w.school, school_year=w.classroom.school_year, guardian=w.parent)


ADMIN_MODELS: dict[str, tuple[dict, Callable[[World], object]]] = {
    "auth/group": (SUPERUSER_ONLY, lambda w: _group()),
    "account/emailaddress": (SUPERUSER_ONLY, lambda w: w.parent.emailaddress_set.get()),
    "mfa/authenticator": (SUPERUSER_ONLY, lambda w: _authenticator(w)),
    # Accounts are for superusers; a leader's admin knows only the accounts linked to their school, so
    # another school's principal is told the parent's account does not exist.
    "accounts/user": (
        {**SUPERUSER_ONLY, "history": admin_answers(403, "redirect", accountant="redirect")},
        lambda w: w.parent,
    ),
    "schools/authority": (SUPERUSER_ONLY, lambda w: w.school.authority),
    "schools/school": (
        {**SCOPED_NO_ADD, "add": SUPERUSER_ONLY["add"], "delete": SUPERUSER_ONLY["delete"]},
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
    # Days off: a principal adds the school's; an authority's (a province's Tết break) are the superuser's.
    "schools/schooldaysoff": (SCOPED, lambda w: _days_off(w, school=w.school)),
    "schools/authoritydaysoff": (SUPERUSER_ONLY, lambda w: _days_off(w, authority=w.school.authority)),
    # Guardians are made with codes, never added here; their record is kept (superusers only delete).
    "parents/guardianship": (
        {**SCOPED_NO_ADD, "delete": admin_answers(403, 403)},
        lambda w: w.child.guardianships.first(),
    ),
    "parents/invitationcode": (SCOPED_NO_ADD, lambda w: w.invitation),
    "parents/boardmember": (SCOPED, lambda w: _board_member(w)),
    "parents/consentrecord": (READ_ONLY, lambda w: f.ConsentFactory(child=w.child, guardian=w.parent)),
    "notifications/notice": (READ_ONLY, _parent_notice),
    "notifications/delivery": (READ_ONLY, _parent_delivery),
    "notifications/smscount": (SUPERUSER_READS, lambda w: _sms_count()),
}


# Apps keep their own tables in tests/<app>/matrix.py; they are merged here. A table that cannot be
# imported fails the whole suite: a skipped table would leave its URLs unchecked.
APP_TABLES = (
    "tests.notifications.matrix_admin",
    "tests.parents.matrix",
    "tests.announcements.matrix",
    "tests.mediafiles.matrix",
    "tests.activities.matrix",
    "tests.activities.matrix_library",
    "tests.privacy.matrix_requests",
    "tests.privacy.matrix_export",
    "tests.portfolio.matrix",
    "tests.portfolio.matrix_printing",
    "tests.portfolio.matrix_works",
    "tests.portfolio.matrix_sitting",
    "tests.portfolio.matrix_timeline",
    "tests.donations.matrix",
    "tests.donations.matrix_public",
    "tests.donations.matrix_campaigns",
    "tests.donations.matrix_admin",
    "tests.donations.matrix_bank",
    "tests.donations.matrix_honour",
    "tests.health.matrix",
    "tests.health.matrix_grid",
    "tests.health.matrix_record",
    "tests.health.matrix_followup",
    "tests.health.matrix_exchange",
    "tests.community.matrix",
    "tests.community.matrix_library",
    "tests.community.matrix_events",
    "tests.community.matrix_menus",
    "tests.feedback.matrix",
    "tests.reports.matrix_area",
    "tests.reports.matrix_school",
    "tests.privacy.matrix_breaches",
    "tests.privacy.matrix_reads",
)
for _module_name in APP_TABLES:
    _module = importlib.import_module(_module_name)
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


def test_every_app_with_urls_has_its_table():
    """A new app's URLs are declared in its own table, which is listed in APP_TABLES."""
    from django.apps import apps

    local = {app.label for app in apps.get_app_configs() if not app.name.startswith(("django.", "allauth", "anymail"))}
    with_urls = {label for label in local if importlib.util.find_spec(f"{label}.urls") is not None}
    in_main_table = {"coordination", "schools", "parents", "notifications"}
    tables = {name.split(".")[1] for name in APP_TABLES}
    missing = sorted(with_urls - in_main_table - tables)
    assert not missing, f"list these apps' tests/<app>/matrix.py in APP_TABLES: {missing}"


def answer_of(response) -> int | str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
        return "redirect"
    return response.status_code


def _shown_text(entry: Entry, world: World, persona: str) -> str | None:
    shows = entry.shows
    if isinstance(shows, dict):
        shows = shows.get(persona)
    if shows is None:
        return None
    return shows(world) if callable(shows) else shows


def ask(client, world: World, persona: str, entry: Entry) -> tuple[int | str, list[str]]:
    """Ask once, in a savepoint that is rolled back, so one persona's POST cannot change another's answer.

    Returns the answer and what is wrong beyond it (a leak, a missing object, an effect).
    """
    problems = []
    with transaction.atomic():
        client.logout()
        person = world.persona(persona)
        if person is not None:
            client.force_login(person)
            for cached in ("_portal_access", "_guardian_child_ids", "_guardian_children"):
                person.__dict__.pop(cached, None)
        path = entry.path(world) if callable(entry.path) else entry.path
        data = entry.data(world) if entry.data else {}
        before = entry.effect(world) if entry.effect else None
        response = getattr(client, entry.method)(path, data, **(entry.headers or {}))
        answer = answer_of(response)
        if entry.effect is not None:
            changed = entry.effect(world) != before
            should = persona in entry.changers()
            if changed != should:
                problems.append("changed what it may not change" if changed else "did not change anything")
        content_type = response.get("Content-Type", "")
        if answer == 200 and content_type.startswith("text/html") and not getattr(response, "streaming", False):
            page = response.content.decode()
            for name in world.names_hidden_from(persona):
                if name in page:
                    problems.append(f"shows {name!r}")
            wanted = _shown_text(entry, world, persona)
            if wanted and wanted not in page:
                problems.append(f"does not show {wanted!r}")
        transaction.set_rollback(True)
    return answer, problems


def check(client, world, entry: Entry, made: dict | None = None) -> list[str]:
    """Ask every persona. `made`: what the setups of a route's earlier entries made, by setup, so that
    entries sharing a setup (every variant of the same files) make it once; the asks are rolled back,
    so it is the same as making it again."""
    problems = []
    if entry.setup is not None:
        if made is not None and entry.setup in made:
            world.made = made[entry.setup]
        else:
            world.made = entry.setup(world)
            if made is not None:
                made[entry.setup] = world.made
    for persona in PERSONAS:
        expected = entry.expect[persona]
        got, more = ask(client, world, persona, entry)
        if got != expected:
            problems.append(f"{persona}: expected {expected}, got {got}")
        problems += [f"{persona}: {p}" for p in more]
    return problems


def _entries(route: str) -> list[Entry]:
    entry = MATRIX[route]
    return entry if isinstance(entry, list) else [entry]


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_matrix(route, world, client):
    problems = []
    made: dict = {}
    for entry in _entries(route):
        problems += check(client, world, entry, made)
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


def test_the_matrix_catches_a_leak(world, client, monkeypatch):
    """The checks can fail: a page that shows another school's child is caught."""
    from schools import selectors

    real = selectors.public_school_get

    def leaky(*, slug):
        school = real(slug=slug)
        school.about = "Ngô Bảo Ngọc"
        return school

    monkeypatch.setattr(selectors, "public_school_get", leaky)
    problems = check(client, world, MATRIX["schools/<slug:slug>/"])
    assert "parent: shows 'Ngô Bảo Ngọc'" in problems
    assert not any(p.startswith("foreign_parent:") for p in problems)


def test_the_matrix_catches_a_post_that_changes_nothing(world, client):
    entry = Entry(pickup_remove, expect(parent="redirect"), method="post", effect=lambda w: "always the same")
    assert "parent: did not change anything" in check(client, world, entry)


CHANGES = {"post", "patch", "put", "delete"}


def test_every_request_that_changes_something_says_what_it_changes():
    """A POST or PATCH row without `effect` would prove only a status code."""
    missing = [
        route for route in MATRIX for entry in _entries(route) if entry.method in CHANGES and entry.effect is None
    ]
    assert not missing, f"declare the effect of these rows: {missing}"


def test_nothing_leaks_into_the_pages_of_other_families(world, client):
    """The names of other families' children never appear on a parent's pages."""
    client.force_login(world.parent)
    for url in ("/family/", f"/children/{world.child.pk}/", f"/children/{world.sibling.pk}/", "/join/"):
        page = client.get(url).content.decode()
        assert "Phạm Khánh Linh" not in page and "Ngô Bảo Ngọc" not in page, url


def test_admin_answers_name_every_persona():
    assert set(admin_answers(200, 200)) == set(PERSONAS)
    assert OUT in admin_answers(200, 200).values()
