"""The pages of the journeys ask for school data by its school (ready for Citus, docs/scaling.md).

Each persona opens the pages of its everyday journey (JOURNEYS: routes of the authorisation matrix,
whose paths and setups are reused) with the queries captured. A query that reads or changes a table
distributed by school_id must filter it by school_id, or make one of the allowed lookups of
tests/coordination/tenant_sql.py: by the person, or by an unguessable token or code. The officers'
dashboards read many schools on purpose and are not among the journeys.

Pages that cannot pass yet are listed in tenant_pending.txt. The list only shrinks: a listed page that
passes fails the test until it is taken off.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from coordination.lib.tenancy import distributed_tables
from tests.coordination.tenant_sql import judge
from tests.test_authorization_matrix import _entries

pytestmark = pytest.mark.django_db

PENDING_FILE = Path(__file__).with_name("tenant_pending.txt")

CHILD = "children/<int:child_id>/"
SCHOOL = "schools/<slug:slug>/"
JOURNEYS: dict[str, list[str]] = {
    "parent": [
        "family/",
        CHILD,
        CHILD + "activities/",
        CHILD + "portfolio/",
        CHILD + "pickup/",
        CHILD + "consents/",
        "health/children/<int:child_id>/",
        "announcements/",
        "notifications/",
        "events/",
        "menus/",
        "polls/",
        "feedback/",
        "library/",
        "privacy/my/",
        "join/",
        "w/<str:token>",
        "follow/<str:token>/",
        SCHOOL,
        SCHOOL + "campaigns/",
    ],
    "family_viewer": ["family/", "w/<str:token>"],
    "teacher": [
        "teacher/",
        "classes/<int:classroom_id>/",
        "classes/<int:classroom_id>/works/",
        "pickup-notices/today/",
        "health/classes/<int:classroom_id>/measure/",
        "activities/<int:activity_id>/participation/",
    ],
    "principal": [
        SCHOOL + "manage/",
        SCHOOL + "manage/staff/",
        SCHOOL + "transparency/",
        "health/schools/<slug:slug>/summary/",
        "reports/schools/<slug:slug>/",
        "announcements/<int:announcement_id>/receipts/",
    ],
    "nurse": ["health/"],
    "kitchen": ["menus/school/<int:school_id>/week/"],
}


def pending() -> set[str]:
    lines = PENDING_FILE.read_text().splitlines() if PENDING_FILE.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def journey_pages():
    """(name, entry, persona) for each page of the journeys: the route's first GET the persona gets."""
    for persona, routes in JOURNEYS.items():
        for route in routes:
            entry = next((e for e in _entries(route) if e.method == "get" and e.expect[persona] == 200), None)
            assert entry is not None, f"the matrix has no page {route!r} that {persona} may open"
            yield f"{persona} {route}", entry, persona


def offending_queries(client, world, entry, persona: str, distributed: set[str]) -> list[str]:
    with transaction.atomic():
        if entry.setup is not None:
            world.made = entry.setup(world)
        client.logout()
        person = world.persona(persona)
        if person is not None:
            client.force_login(person)
        path = entry.path(world) if callable(entry.path) else entry.path
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        transaction.set_rollback(True)
    assert response.status_code == 200, f"{path} as {persona}: {response.status_code}"
    return [query["sql"] for query in captured.captured_queries if not judge(query["sql"], distributed).ok]


def test_every_journey_page_asks_for_school_data_by_school(world, client):
    distributed = distributed_tables()
    failing: dict[str, list[str]] = {}
    for name, entry, persona in journey_pages():
        bad = offending_queries(client, world, entry, persona, distributed)
        if bad:
            failing[name] = bad
    listed = pending()
    new = {name: queries for name, queries in failing.items() if name not in listed}
    fixed = sorted(listed - set(failing))
    message = [
        f"{name}: {len(queries)} queries without school_id, e.g. {queries[0][:400]}" for name, queries in new.items()
    ]
    if fixed:
        message.append(f"these pages pass now: take them off {PENDING_FILE.name}: {fixed}")
    assert not message, "\n".join(message)
