"""The school calendar: weekends, Vietnam's public holidays, and the days off a school or its
authorities add, counted in working days."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from schools import calendar
from schools.models import AuthorityDaysOff, SchoolDaysOff

D = datetime.date


def test_weekends_are_not_working_days(world):
    assert calendar.is_working_day(world.school, D(2026, 12, 4))  # a Friday
    assert not calendar.is_working_day(world.school, D(2026, 12, 5))
    assert not calendar.is_working_day(world.school, D(2026, 12, 6))


def test_the_national_holidays_come_from_the_lunar_calendar_too():
    with translation.override("vi"):
        tet_2027 = calendar.national_holidays(2027)
    # Tết Nguyên Đán 2027 falls on 6 February; the holidays around it are the law's.
    assert "Tết Nguyên Đán" in tet_2027[D(2027, 2, 6)]
    assert D(2027, 9, 2) in tet_2027 and D(2027, 4, 30) in tet_2027 and D(2027, 5, 1) in tet_2027
    with translation.override("en"):
        assert "Lunar New Year" in calendar.national_holidays(2027)[D(2027, 2, 6)]


def test_fifteen_working_days_skip_weekends_and_holidays(world):
    # Published on Monday 20 April 2026: 26–27 April (Hùng Kings, observed), 30 April and 1 May off.
    end = calendar.add_working_days(world.school, D(2026, 4, 20), 15)
    assert end == D(2026, 5, 14)
    assert calendar.working_days_between(world.school, D(2026, 4, 20), end) == 15
    # Without any holiday: three weeks exactly.
    assert calendar.add_working_days(world.school, D(2026, 10, 5), 15) == D(2026, 10, 26)


def test_a_school_and_its_authorities_add_days_off(world, django_assert_max_num_queries):
    start = D(2026, 10, 5)  # a Monday
    assert calendar.add_working_days(world.school, start, 5) == D(2026, 10, 12)
    SchoolDaysOff.objects.create(school=world.school, starts_on=D(2026, 10, 6), ends_on=D(2026, 10, 6), name="Lụt")
    province = world.school.authority.province
    AuthorityDaysOff.objects.create(authority=province, starts_on=D(2026, 10, 8), ends_on=D(2026, 10, 9), name="Bão")
    with django_assert_max_num_queries(1):
        assert calendar.add_working_days(world.school, start, 5) == D(2026, 10, 15)
    assert not calendar.is_working_day(world.school, D(2026, 10, 6))
    assert calendar.days_off(world.school, D(2026, 10, 1), D(2026, 10, 31)) == {
        D(2026, 10, 6): "Lụt",
        D(2026, 10, 8): "Bão",
        D(2026, 10, 9): "Bão",
    }
    # Another school's days off, and another province's, change nothing here.
    assert calendar.is_working_day(world.other_school, D(2026, 10, 6))
    assert calendar.is_working_day(world.other_school, D(2026, 10, 8))


def test_a_long_break_is_counted_beyond_the_first_window(world):
    SchoolDaysOff.objects.create(school=world.school, starts_on=D(2027, 1, 25), ends_on=D(2027, 3, 26), name="Nghỉ dài")
    # From Friday 22 January 2027, the first working day is Monday 29 March.
    assert calendar.add_working_days(world.school, D(2027, 1, 22), 1) == D(2027, 3, 29)


def test_bad_periods_are_refused(world):
    backwards = SchoolDaysOff(school=world.school, starts_on=D(2027, 2, 10), ends_on=D(2027, 2, 1), name="Tết")
    with pytest.raises(ValidationError) as caught:
        backwards.full_clean()
    assert "ends_on" in caught.value.message_dict
    too_long = SchoolDaysOff(school=world.school, starts_on=D(2027, 1, 1), ends_on=D(2027, 6, 1), name="Hè")
    with pytest.raises(ValidationError):
        too_long.full_clean()
    with pytest.raises(IntegrityError):
        backwards.save()
    with pytest.raises(ValueError):
        calendar.add_working_days(world.school, D(2027, 1, 1), 0)


def test_a_principal_adds_the_schools_days_off_in_the_admin(client, world):
    client.force_login(world.principal)
    response = client.post(
        "/admin/schools/schooldaysoff/add/",
        {"school": world.school.pk, "starts_on": "2027-02-01", "ends_on": "2027-02-12", "name": "Nghỉ Tết 2027"},
    )
    assert response.status_code == 302
    added = SchoolDaysOff.objects.get()
    assert added.created_by == world.principal and added.school == world.school
    assert not calendar.is_working_day(world.school, D(2027, 2, 3))
    # Another school is not a choice: refused, nothing saved.
    response = client.post(
        "/admin/schools/schooldaysoff/add/",
        {"school": world.other_school.pk, "starts_on": "2027-02-01", "ends_on": "2027-02-02", "name": "X"},
    )
    assert response.status_code == 200 and SchoolDaysOff.objects.count() == 1
