"""Privacy requests, holds and retention periods: URLs (merged into tests/test_authorization_matrix.py).

The notice is public. Every signed-in person has their own privacy page and may ask about themselves; a
request about Sao Mai's child in Lá 1 succeeds for its guardian only (everyone else is told it is not their
child: 400, nothing made). A request is seen by the person who made it; the queue, paper requests, holds
and retention periods by Sao Mai's leaders (its data protection contacts) and the superuser.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import EVERYONE_200, SIGNED_IN_200, Entry, expect

CONTACTS = expect(leaders=200, superuser=200)
CONTACTS_CHANGE = expect(leaders="redirect", superuser="redirect")
QUEUE = "/privacy/schools/sao-mai/requests/"


def _request(w: World):
    from privacy import services

    return services.request_make(user=w.parent, kind="correction", child=w.child, details="Sai ngày sinh.")


def _hold(w: World):
    from privacy.models import LegalHold

    return LegalHold.objects.create(school=w.school, child=w.child, reason="Thanh tra", placed_by=w.principal)


def _requests(w: World):
    from privacy.models import PrivacyRequest

    return sorted(PrivacyRequest.objects.values_list("pk", "status", "requester_name"))


def _events(w: World):
    from privacy.models import RequestEvent

    return sorted(RequestEvent.objects.values_list("pk", "action"))


def _holds(w: World):
    from privacy.models import LegalHold

    return sorted(LegalHold.objects.values_list("pk", "reason", "lifted_at"))


def _periods(w: World):
    from privacy.models import RetentionPeriod

    return sorted(RetentionPeriod.objects.values_list("school_id", "key", "days"))


MATRIX: dict[str, Entry | list[Entry]] = {
    "privacy/": Entry("/privacy/", EVERYONE_200),
    "privacy/my/": [
        Entry("/privacy/my/", SIGNED_IN_200),
        Entry(
            "/privacy/my/",
            expect(others=400, parent="redirect"),
            method="post",
            data=lambda w: {"kind": "correction", "child": w.child.pk, "details": "Sai tên."},
            effect=_requests,
        ),
    ],
    "privacy/requests/<int:request_id>/": Entry(
        lambda w: f"/privacy/requests/{w.made.pk}/", expect(parent=200), setup=_request, shows="Sai ngày sinh."
    ),
    "privacy/requests/<int:request_id>/cancel/": Entry(
        lambda w: f"/privacy/requests/{w.made.pk}/cancel/",
        expect(parent="redirect"),
        method="post",
        setup=_request,
        effect=_requests,
    ),
    "privacy/schools/<slug:slug>/requests/": Entry(QUEUE, CONTACTS, setup=_request, shows="Sao Mai"),
    "privacy/schools/<slug:slug>/requests/paper/": [
        Entry(f"{QUEUE}paper/", CONTACTS),
        Entry(
            f"{QUEUE}paper/",
            CONTACTS_CHANGE,
            method="post",
            data=lambda w: {"kind": "erasure", "requester_name": "Bà Năm", "child": w.child.pk},
            effect=_requests,
        ),
    ],
    "privacy/schools/<slug:slug>/requests/<int:request_id>/": [
        Entry(lambda w: f"{QUEUE}{w.made.pk}/", CONTACTS, setup=_request, shows="Sai ngày sinh."),
        Entry(
            lambda w: f"{QUEUE}{w.made.pk}/",
            CONTACTS_CHANGE,
            method="post",
            setup=_request,
            data=lambda w: {"action": "note", "note-note": "Đã gọi điện."},
            effect=_events,
        ),
    ],
    "privacy/schools/<slug:slug>/holds/": [
        Entry("/privacy/schools/sao-mai/holds/", CONTACTS, setup=_hold, shows="Thanh tra"),
        Entry(
            "/privacy/schools/sao-mai/holds/",
            CONTACTS_CHANGE,
            method="post",
            data=lambda w: {"child": w.child.pk, "reason": "Khiếu nại"},
            effect=_holds,
        ),
    ],
    "privacy/schools/<slug:slug>/holds/<int:hold_id>/lift/": Entry(
        lambda w: f"/privacy/schools/sao-mai/holds/{w.made.pk}/lift/",
        CONTACTS_CHANGE,
        method="post",
        setup=_hold,
        effect=_holds,
    ),
    "privacy/schools/<slug:slug>/retention/": [
        Entry("/privacy/schools/sao-mai/retention/", CONTACTS),
        Entry(
            "/privacy/schools/sao-mai/retention/",
            CONTACTS_CHANGE,
            method="post",
            data=lambda w: {"privacy.left_children": 45},
            effect=_periods,
        ),
    ],
}
