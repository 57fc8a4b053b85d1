"""Recording measurements: values refused, flags, corrections, and z-scores computed again after the
child's date of birth or sex is corrected. Children's codes and personal identification numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from health.models import HealthRead, HealthSettings, Level, Measurement, Position, Reference
from health.numbers import NumberError, decimal_parse
from health.services import health_reads_log, measurement_record, measurements_recompute
from schools.models import Child, national_id_problem
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    with translation.override("en"):
        yield


def record(world, child=None, **values):
    fields = {"measured_on": DAY, "weight_kg": Decimal("18.0"), "height_cm": Decimal("108.0")}
    fields.update(values)
    return measurement_record(by=world.nurse, child=child or world.child, **fields)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"weight_kg": Decimal("0")}, "weight_kg", "between 1 and 80 kg"),
        ({"weight_kg": Decimal("300")}, "weight_kg", "between 1 and 80 kg"),
        ({"height_cm": Decimal("5")}, "height_cm", "between 40 and 160 cm"),
        ({"measured_on": datetime.date(2099, 1, 1)}, "measured_on", "in the future"),
        ({"measured_on": datetime.date(2015, 1, 1)}, "measured_on", "before the child was born"),
        ({"weight_kg": None, "height_cm": None}, "weight_kg", "weight, the height or both"),
    ],
)
def test_values_that_cannot_be_a_child_are_refused_and_nothing_is_saved(world, values, field, words):
    with pytest.raises(ValidationError) as refused:
        record(world, **values)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Measurement.objects.exists()


def test_a_measurement_is_saved_with_its_z_scores(world):
    measurement, checked = record(world)
    measurement.refresh_from_db()
    assert measurement.reference in (Reference.WHO_2006, Reference.WHO_2007)
    assert measurement.age_days == (DAY - world.child.date_of_birth).days
    assert measurement.z_hfa is not None and measurement.hfa_level
    assert measurement.measured_by == world.nurse and measurement.entered_by == world.nurse
    assert checked.flags == []


def test_only_who_may_measure_the_class_records(world):
    for person in (world.parent, world.other_teacher, world.accountant, world.other_principal):
        with pytest.raises(PermissionDenied):
            measurement_record(by=person, child=world.child, measured_on=DAY, weight_kg=Decimal("18"), height_cm=None)
    measurement_record(by=world.teacher, child=world.child, measured_on=DAY, weight_kg=Decimal("18"), height_cm=None)
    assert Measurement.objects.count() == 1


def test_a_second_entry_on_the_same_day_corrects_the_first(world):
    record(world, weight_kg=Decimal("18.0"))
    record(world, weight_kg=Decimal("18.4"))
    assert list(Measurement.objects.values_list("weight_kg", flat=True)) == [Decimal("18.4")]


def test_an_implausible_value_is_flagged_until_confirmed(world):
    measurement, checked = record(world, weight_kg=Decimal("60.0"))
    assert "wfa" in checked.flags and measurement.needs_confirmation
    assert any("plausible" in message for message in checked.messages)
    measurement, _ = record(world, weight_kg=Decimal("60.0"), confirm=True)
    assert not measurement.needs_confirmation and measurement.confirmed_by == world.nurse


def test_a_change_above_the_schools_threshold_is_flagged(world):
    HealthSettings.objects.create(school=world.school, weight_change_kg=Decimal("1.5"))
    record(world, measured_on=datetime.date(2026, 9, 10), weight_kg=Decimal("18.0"), height_cm=Decimal("108.0"))
    _, checked = record(world, weight_kg=Decimal("20.0"), height_cm=Decimal("106.0"))
    assert "weight_change" in checked.flags and "height_loss" in checked.flags
    assert any("1.5 kg" in message for message in checked.messages)


def test_a_corrected_birth_date_or_sex_recomputes_the_z_scores(world):
    child = world.child
    measurement, _ = record(world)
    before = (measurement.z_hfa, measurement.age_days)
    child.date_of_birth = child.date_of_birth - datetime.timedelta(days=400)
    child.save()  # the correction, as the admin saves it
    measurement.refresh_from_db()
    assert measurement.age_days == before[1] + 400
    assert measurement.z_hfa < before[0]  # the same height is shorter for an older child
    child.sex = "f" if child.sex == "m" else "m"
    child.save()
    measurement.refresh_from_db()
    assert measurement.computed_sex == child.sex
    assert measurements_recompute(child) == 0  # nothing stale any more


def test_a_flagged_and_confirmed_change_keeps_its_change_flag_after_recomputation(world):
    record(world, measured_on=datetime.date(2026, 9, 10), weight_kg=Decimal("15.0"))
    measurement, _ = record(world, weight_kg=Decimal("19.0"), confirm=True)
    assert "weight_change" in measurement.flags
    world.child.date_of_birth -= datetime.timedelta(days=30)
    world.child.save()
    measurement.refresh_from_db()
    assert "weight_change" in measurement.flags and measurement.confirmed_at is not None


def test_needing_follow_up_finds_levels_outside_normal(world):
    low, _ = record(world, weight_kg=Decimal("12.0"), height_cm=Decimal("108.0"))
    normal, _ = record(world, child=world.sibling, weight_kg=Decimal("12.0"), height_cm=Decimal("85.0"))
    found = set(Measurement.objects.needing_follow_up().values_list("pk", flat=True))
    assert low.pk in found
    assert (normal.pk in found) == any(
        level not in ("", Level.NORMAL) for level in (normal.wfa_level, normal.hfa_level, normal.wfh_level)
    )


def test_staff_reads_are_logged_and_a_guardians_are_not(world):
    assert health_reads_log(world.nurse, [world.child, world.sibling], HealthRead.Page.GRID) == 2
    assert health_reads_log(world.parent, [world.child], HealthRead.Page.RECORD) == 0
    read = HealthRead.objects.filter(child=world.child).get()
    assert read.reader == world.nurse and read.reader_role == "nurse" and read.page == "grid"


# --- Numbers as people type them


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")), (" 98 ", Decimal("98.0")), ("7,25", Decimal("7.3"))],
)
def test_decimal_commas_and_dots_are_read(text, value):
    assert decimal_parse(text) == value


def test_empty_is_nothing():
    assert decimal_parse("") is None and decimal_parse(None) is None


@pytest.mark.parametrize(("text", "words"), [("1,250", "ambiguous"), ("1.250", "ambiguous"), ("12kg", "not a number")])
def test_ambiguous_or_wrong_numbers_are_refused(text, words):
    with pytest.raises(NumberError) as refused:
        decimal_parse(text)
    assert words in str(refused.value)


# --- Children's codes and personal identification numbers


def test_children_get_the_next_free_code_of_their_school(world):
    codes = set(Child.objects.filter(school=world.school).values_list("code", flat=True))
    assert "" not in codes and len(codes) == Child.objects.filter(school=world.school).count()
    child = f.ChildFactory(classroom=world.classroom)
    assert int(child.code) == max(int(code) for code in codes if code.isdigit()) + 1
    assert f.ChildFactory(classroom=world.other_school_child.classroom).code == "00002"


def test_a_code_is_unique_in_its_school_only(world):
    from django.db import IntegrityError, transaction

    world.child.code = "LA1-007"
    world.child.save(update_fields=["code"])
    other = f.ChildFactory(classroom=world.other_school_child.classroom, code="LA1-007")
    assert other.code == world.child.code
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ChildFactory(classroom=world.classroom, code="LA1-007")


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("0012210", "exactly 12 digits"),
        ("09921012345a", "exactly 12 digits"),
        ("099210123456", "001 to 096"),
        ("001710123456", "0 to 5"),
        ("001219123456", "year of birth"),
        ("001321123456", "sex"),
    ],
)
def test_personal_identification_numbers_are_checked(number, words):
    assert words in national_id_problem(number, born=datetime.date(2021, 5, 4), sex="m")


def test_a_matching_personal_identification_number_passes():
    assert national_id_problem("001221012345", born=datetime.date(2021, 5, 4), sex="m") == ""
    assert national_id_problem("079321012345", born=datetime.date(2021, 5, 4), sex="f") == ""


def test_the_admin_form_refuses_a_wrong_number(world):
    child = world.child
    child.national_id = "001219123456"
    with pytest.raises(ValidationError) as refused:
        child.full_clean()
    assert "national_id" in refused.value.message_dict
    assert Position.LYING  # the positions are importable from the models
