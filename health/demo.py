"""The demo's health and growth (its step of `seed_demo`: "health").

Sao Mai's children get three measuring days: the end of last school year, the start of this one and
a few days ago, entered by the nurse, with values drawn around WHO's curves so that a few children
fall below −2 SD (they get a follow-up plan). The 5-year-olds' points cross 60 months, so their
charts show both WHO references. Khôi (parent@saomai.test) has a shrimp allergy, a note from the nurse
and a check-up at the ward's health station; An has a milk allergy. Lá 1's check-up day at school is
planned for tomorrow, so its families are reminded. Khôi's mother agreed to share his records with the
station by name; Linh's mother agreed and then withdrew; An's parents have not decided.

Run again, it adds nothing: a school that already has measurements is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from coordination.lib import demo as demo_steps
from coordination.lib.allergens import Allergen
from health import growth
from health.models import (
    Allergy,
    CheckUp,
    DietaryNeed,
    FamilyNote,
    FollowUpPlan,
    HealthRead,
    Measurement,
    Place,
    Position,
)
from health.services import apply_growth
from parents.models import ConsentPurpose, ConsentRecord, Guardianship
from schools.models import Child, School, StaffMembership, StaffRole

STEP = "health"
STATION = "Trạm Y tế phường Thủy Nguyên"
# Days before today of the three measuring days.
MEASURING_DAYS_AGO = (190, 80, 3)
# Children drawn below −2 SD: how many, and on which indicator.
LOW_CHILDREN = 6
FAMILY_CHILDREN = ("Nguyễn Minh Khôi", "Nguyễn Ngọc An", "Phạm Khánh Linh")


def _staff(school, role):
    membership = StaffMembership.objects.filter(school=school, role=role, is_active=True).select_related("user").first()
    return membership.user if membership else None


def _value(method: str, z: float, sex: str, age_days: int) -> Decimal | None:
    from rcpchgrowth.global_functions import measurement_from_sds

    value = measurement_from_sds(
        reference="who",
        requested_sds=z,
        measurement_method=method,
        sex="male" if sex == "m" else "female",
        age=age_days / growth.DAYS_PER_YEAR,
    )
    return None if value is None else Decimal(str(round(value, 1)))


def _measurements(ctx, school, nurse, today) -> int:
    children = list(Child.objects.filter(school=school, left_on__isnull=True).order_by("pk"))
    # The demo families' own children grow as expected (the nurse's note to Khôi's family says so).
    others = [child for child in children if child.full_name not in FAMILY_CHILDREN]
    low = {child.pk for child in ctx.rng.sample(others, min(LOW_CHILDREN, len(others)))}
    rows: list[Measurement] = []
    for child in children:
        # Each child keeps roughly their place among children of the same age.
        z_height = ctx.rng.gauss(-0.2, 0.6)
        z_weight = 0.8 * z_height + ctx.rng.gauss(0, 0.35)  # heavier children are mostly the taller ones
        if child.full_name in FAMILY_CHILDREN:
            z_height, z_weight = 0.2, 0.1
        if child.pk in low:
            z_height, z_weight = ctx.rng.choice([(-2.4, -2.2), (-1.2, -2.5), (-2.2, -1.4)])
        for days_ago in MEASURING_DAYS_AGO:
            day = today - datetime.timedelta(days=days_ago)
            age_days = (day - child.date_of_birth).days
            if age_days < 400:
                continue
            height = _value("height", z_height + ctx.rng.gauss(0, 0.08), child.sex, age_days)
            weight = _value("weight", z_weight + ctx.rng.gauss(0, 0.1), child.sex, age_days)
            rows.append(
                Measurement(
                    school=school,
                    child=child,
                    measured_on=day,
                    weight_kg=weight,
                    height_cm=height,
                    position=Position.LYING if age_days <= growth.LYING_UNTIL_DAY else Position.STANDING,
                    place=Place.SCHOOL,
                    measured_by=nurse,
                    entered_by=nurse,
                )
            )
    for measurement, result in zip(rows, growth.growth_compute_many(growth.z_rows(rows)), strict=True):
        apply_growth(measurement, result)
        measurement.flags = list(result.implausible)
    Measurement.objects.bulk_create(rows)
    # The children below −2 SD on their latest day get the nurse's plan.
    latest_day = today - datetime.timedelta(days=MEASURING_DAYS_AGO[-1])
    for measurement in Measurement.objects.filter(school=school, measured_on=latest_day).needing_follow_up():
        FollowUpPlan.objects.get_or_create(
            school=school,
            child_id=measurement.child_id,
            closed_at=None,
            defaults={
                "notes": "Tư vấn gia đình bổ sung bữa phụ buổi chiều (sữa, trứng, chuối); "
                "theo dõi cân nặng hằng tháng.",
                "next_measurement_on": today + datetime.timedelta(days=28),
                "opened_by": nurse,
            },
        )
    return len(rows)


def _consent(child, guardian, granted: bool, when) -> None:
    from parents.consent_texts import CONSENT_TEXTS

    version, text = CONSENT_TEXTS[ConsentPurpose.HEALTH_SHARING]
    ConsentRecord.objects.create(
        school=child.school,
        child=child,
        guardian=guardian,
        purpose=ConsentPurpose.HEALTH_SHARING,
        granted=granted,
        text_version=version,
        text=str(text),
        recorded_at=when,
    )


def _families(school, nurse, today) -> None:
    now = timezone.now()
    by_name = {child.full_name: child for child in Child.objects.filter(school=school)}
    khoi, an, linh = (by_name.get(name) for name in ("Nguyễn Minh Khôi", "Nguyễn Ngọc An", "Phạm Khánh Linh"))
    if khoi is not None:
        Allergy.objects.get_or_create(
            school=school,
            child=khoi,
            allergen=Allergen.SHELLFISH,
            defaults={
                "severity": Allergy.Severity.SEVERE,
                "note": "Dị ứng tôm: nổi mẩn, khó thở.",
                "recorded_by": nurse,
            },
        )
        FamilyNote.objects.get_or_create(
            school=school,
            child=khoi,
            defaults={
                "text": "Khôi lớn đều, cân nặng và chiều cao đều trong vùng bình thường. Gia đình cho bé uống "
                "đủ nước và ngủ trưa đều nhé.",
                "written_by": nurse,
            },
        )
        CheckUp.objects.get_or_create(
            school=school,
            child=khoi,
            on=today - datetime.timedelta(days=40),
            defaults={
                "provider": STATION,
                "done": True,
                "findings": "Răng có 2 chiếc sâu nhẹ. Tai mũi họng bình thường.",
                "advice": "Đánh răng 2 lần mỗi ngày, hạn chế đồ ngọt; khám răng lại sau 3 tháng.",
                "next_on": today + datetime.timedelta(days=50),
                "recorded_by": nurse,
            },
        )
        guardian = Guardianship.objects.active().filter(child=khoi).order_by("-is_primary").first()
        if guardian is not None:
            _consent(khoi, guardian.guardian, True, now - datetime.timedelta(days=60))
        # The nurse and the class teacher looked at his record: his family sees who.
        readers = [nurse, _staff(school, StaffRole.PRINCIPAL)]
        for days_ago, reader in enumerate(readers, start=1):
            if reader is not None:
                HealthRead.objects.create(
                    school=school,
                    child=khoi,
                    reader=reader,
                    reader_name=reader.full_name,
                    reader_role=StaffMembership.objects.filter(school=school, user=reader)
                    .values_list("role", flat=True)
                    .first()
                    or "",
                    page=HealthRead.Page.RECORD,
                    read_at=now - datetime.timedelta(days=days_ago),
                )
    if an is not None:
        Allergy.objects.get_or_create(
            school=school,
            child=an,
            allergen=Allergen.MILK,
            defaults={"note": "Không dung nạp sữa bò; uống được sữa đậu nành.", "recorded_by": nurse},
        )
    if linh is not None:
        DietaryNeed.objects.get_or_create(
            school=school, child=linh, kind=DietaryNeed.Kind.NO_BEEF, defaults={"recorded_by": nurse}
        )
        guardian = Guardianship.objects.active().filter(child=linh).first()
        if guardian is not None:
            # Her mother agreed to every purpose when she joined (the families' step); now she withdraws this one.
            _consent(linh, guardian.guardian, False, now)


def _checkup_day(school, nurse, today) -> int:
    """Lá 1's check-up at school tomorrow: one planned check-up per child, their families are reminded."""
    tomorrow = today + datetime.timedelta(days=1)
    children = Child.objects.filter(school=school, classroom__name="Lá 1", left_on__isnull=True)
    planned = [
        CheckUp(school=school, child=child, on=tomorrow, provider=STATION, recorded_by=nurse) for child in children
    ]
    CheckUp.objects.bulk_create(planned)
    return len(planned)


def seed_health(ctx) -> None:
    school = School.objects.filter(slug="sao-mai").first()
    if school is None or Measurement.objects.filter(school=school).exists():
        return
    nurse = _staff(school, StaffRole.NURSE)
    today = timezone.localdate()
    measured = _measurements(ctx, school, nurse, today)
    _families(school, nurse, today)
    planned = _checkup_day(school, nurse, today)
    ctx.log(f"health: {measured} measurements of Sao Mai's children, {planned} check-ups planned for tomorrow")


def register() -> None:
    demo_steps.register(STEP, seed_health, after=("families",))
