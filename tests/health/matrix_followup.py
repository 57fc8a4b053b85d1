"""Health and growth: check-ups, follow-up plans, the follow-up list and the summaries (merged into
tests/test_authorization_matrix.py).

The school's health work is the nurse's and the leaders'; a class's summary is also its teachers';
an authority's counts are its officers' (a provincial officer's for every commune of the province).
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix_kit import Entry, expect

HEALTH_STAFF = expect(nurse=200, leaders=200)
HEALTH_STAFF_POST = expect(nurse="redirect", leaders="redirect")
CLASS_SUMMARY = expect(nurse=200, leaders=200, teacher=200)
PROVIDER = "Trạm Y tế phường Bến Nghé"


def _checkup(w: World):
    from health.models import CheckUp

    return CheckUp.objects.create(school=w.school, child=w.child, on=datetime.date(2026, 11, 20), provider=PROVIDER)


def _checkup_state(w: World):
    from health.models import CheckUp

    return CheckUp.objects.filter(pk=w.made.pk).values_list("done", "findings").get()


def _checkups_count(w: World):
    from health.models import CheckUp

    return CheckUp.objects.filter(school=w.school).count()


def _plans(w: World):
    from health.models import FollowUpPlan

    return list(FollowUpPlan.objects.filter(child=w.child).values_list("notes", "closed_at"))


def _in_a_week(w: World) -> dict:
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=7)
    return {"on": day.isoformat(), "provider": PROVIDER, "classrooms": [w.classroom.pk]}


MATRIX: dict[str, Entry | list[Entry]] = {
    "health/schools/<slug:slug>/checkups/": Entry("/health/schools/sao-mai/checkups/", HEALTH_STAFF),
    "health/schools/<slug:slug>/checkups/plan/": [
        Entry("/health/schools/sao-mai/checkups/plan/", HEALTH_STAFF, shows="Lá 1"),
        Entry(
            "/health/schools/sao-mai/checkups/plan/",
            HEALTH_STAFF_POST,
            method="post",
            data=_in_a_week,
            effect=_checkups_count,
        ),
    ],
    "health/checkups/<int:checkup_id>/": [
        Entry(lambda w: f"/health/checkups/{w.made.pk}/", HEALTH_STAFF, setup=_checkup, shows=PROVIDER),
        Entry(
            lambda w: f"/health/checkups/{w.made.pk}/",
            HEALTH_STAFF_POST,
            method="post",
            setup=_checkup,
            data=lambda w: {"on": "2026-11-20", "findings": "Răng sâu nhẹ", "advice": "Đánh răng", "next_on": ""},
            effect=_checkup_state,
        ),
    ],
    "health/children/<int:child_id>/follow-up/": [
        Entry(lambda w: f"/health/children/{w.child.pk}/follow-up/", HEALTH_STAFF, shows="Nguyễn Minh Khôi"),
        Entry(
            lambda w: f"/health/children/{w.child.pk}/follow-up/",
            HEALTH_STAFF_POST,
            method="post",
            data=lambda w: {"action": "save", "notes": "Cân lại sau một tháng", "next_measurement_on": ""},
            effect=_plans,
        ),
    ],
    "health/schools/<slug:slug>/follow-up/": Entry("/health/schools/sao-mai/follow-up/", HEALTH_STAFF),
    "health/schools/<slug:slug>/summary/": Entry("/health/schools/sao-mai/summary/", HEALTH_STAFF, shows="Lá 1"),
    "health/classes/<int:classroom_id>/summary/": Entry(
        lambda w: f"/health/classes/{w.classroom.pk}/summary/", CLASS_SUMMARY, shows="Lá 1"
    ),
    "health/authorities/<slug:slug>/": [
        Entry("/health/authorities/thuy-nguyen/", expect(officers=200, superuser=200), shows="Sao Mai"),
        Entry("/health/authorities/hai-phong/", expect(province_officer=200, superuser=200), shows="Sao Mai"),
    ],
}
ADMIN_MODELS: dict = {}
