"""The health demo step: three measuring days for Sao Mai's children, a few below −2 SD with a plan,
the 5-year-olds crossing 60 months, allergies, a check-up planned for tomorrow and consents both given
and withdrawn. Run twice, it adds nothing."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from coordination.lib import demo as demo_steps
from health import demo
from health.models import Allergy, CheckUp, FollowUpPlan, Measurement, Reference
from parents.models import ConsentPurpose, ConsentRecord
from schools.models import Child

pytestmark = pytest.mark.django_db


def run(*names):
    cache: dict = {}
    for step in demo_steps.steps_in_order():
        if step.name in names:
            step.run(demo_steps.DemoContext(rng=random.Random(f"demo:{step.name}"), log=lambda _m: None, cache=cache))


def counts():
    return Measurement.objects.count(), CheckUp.objects.count(), FollowUpPlan.objects.count(), Allergy.objects.count()


def test_the_step_runs_after_the_families():
    order = [step.name for step in demo_steps.steps_in_order()]
    assert order.index("families") < order.index(demo.STEP)


def test_the_health_demo():
    run("schools", "families", demo.STEP)
    first = counts()
    run(demo.STEP)
    assert counts() == first  # run again, nothing added

    today = timezone.localdate()
    days = set(Measurement.objects.values_list("measured_on", flat=True))
    assert len(days) == 3 and all(day <= today for day in days)
    # Every current child of Sao Mai old enough is measured on each day, by the nurse.
    children = Child.objects.filter(school__slug="sao-mai", left_on__isnull=True).count()
    assert Measurement.objects.filter(measured_on=max(days)).count() == children
    assert not Measurement.objects.filter(measured_by__isnull=True).exists()

    # Both references: a Lá child measured before and after 60 months.
    crossing = [
        child
        for child in Child.objects.filter(classroom__age_group="la")
        if {Reference.WHO_2006, Reference.WHO_2007} <= set(child.measurements.values_list("reference", flat=True))
    ]
    assert crossing

    # A few below −2 SD, each with the nurse's plan; none of them flagged as implausible.
    latest = Measurement.objects.filter(measured_on=max(days))
    low = set(latest.needing_follow_up().values_list("child_id", flat=True))
    assert 3 <= len(low) <= children // 5
    assert low <= set(FollowUpPlan.objects.filter(closed_at__isnull=True).values_list("child_id", flat=True))
    assert not Measurement.objects.exclude(flags=[]).exists()

    # Khôi: shrimp, a done check-up; An: milk; Lá 1's check-up day tomorrow.
    assert set(Allergy.objects.values_list("child__full_name", "allergen")) == {
        ("Nguyễn Minh Khôi", "shellfish"),
        ("Nguyễn Ngọc An", "milk"),
    }
    tomorrow = today + datetime.timedelta(days=1)
    planned = CheckUp.objects.filter(on=tomorrow, done=False)
    assert planned.count() == Child.objects.filter(classroom__name="Lá 1", left_on__isnull=True).count()
    assert CheckUp.objects.filter(done=True, child__full_name="Nguyễn Minh Khôi").exists()

    # Consent to share by name: given for Khôi, withdrawn for Linh, not decided for An.
    records = ConsentRecord.objects.filter(purpose=ConsentPurpose.HEALTH_SHARING)
    assert list(records.filter(child__full_name="Nguyễn Minh Khôi").values_list("granted", flat=True)) == [True]
    assert list(records.filter(child__full_name="Phạm Khánh Linh").values_list("granted", flat=True)) == [False, True]
    assert not records.filter(child__full_name="Nguyễn Ngọc An").exists()
