"""The parents' representative board: guardians named by the principal for a school year."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from parents.models import BoardMember, BoardRole, GuardianshipStatus
from parents.policies import is_board_member
from tests import factories as f


def seat(world, guardian=None, **fields) -> BoardMember:
    member = BoardMember(
        school=world.school, school_year=world.classroom.school_year, guardian=guardian or world.parent, **fields
    )
    member.full_clean()
    member.save()
    return member


def fresh(user):
    user.__dict__.pop("_board_school_ids", None)
    return user


def test_a_guardian_of_the_school_sits_on_its_board_this_year(world):
    assert not is_board_member(world.parent, world.school)
    seat(world, role=BoardRole.HEAD)
    assert is_board_member(fresh(world.parent), world.school)
    assert not is_board_member(world.parent, world.other_school)
    assert not is_board_member(world.other_parent, world.school)


def test_only_the_schools_guardians_can_be_named(world):
    for outsider in (world.foreign_parent, world.teacher, world.family_viewer, world.former_parent):
        with pytest.raises(ValidationError) as caught:
            seat(world, guardian=outsider)
        assert "guardian" in caught.value.message_dict
    other_year = world.foreign_classroom.school_year
    with pytest.raises(ValidationError) as caught:
        BoardMember(school=world.school, school_year=other_year, guardian=world.parent).full_clean()
    assert "school_year" in caught.value.message_dict
    assert not BoardMember.objects.exists()


def test_one_seat_per_guardian_and_one_head_per_year(world):
    seat(world, role=BoardRole.HEAD)
    with pytest.raises(ValidationError):
        seat(world)
    with pytest.raises(ValidationError):
        seat(world, guardian=world.other_parent, role=BoardRole.HEAD)
    with pytest.raises(IntegrityError):
        BoardMember.objects.create(
            school=world.school, school_year=world.classroom.school_year, guardian=world.other_parent, role="head"
        )


def test_a_seat_ends_with_the_year_and_with_the_guardianship(world):
    seat(world)
    guardianships = world.parent.guardianships.filter(child__school=world.school)
    guardianships.update(status=GuardianshipStatus.ENDED)
    assert not is_board_member(fresh(world.parent), world.school)
    guardianships.update(status=GuardianshipStatus.ACTIVE)
    assert is_board_member(fresh(world.parent), world.school)
    year = world.classroom.school_year
    year.is_current = False
    year.save()
    f.SchoolYearFactory(
        school=world.school,
        name="2027–2028",
        starts_on=datetime.date(2027, 9, 1),
        ends_on=datetime.date(2028, 5, 31),
        is_current=True,
    )
    assert not is_board_member(fresh(world.parent), world.school)


def test_the_principal_names_the_board_in_the_admin(client, world):
    client.force_login(world.principal)
    url = "/admin/parents/boardmember/add/"
    data = {"school": world.school.pk, "school_year": world.classroom.school_year.pk, "role": "head"}
    response = client.post(url, {**data, "guardian": world.parent.pk})
    assert response.status_code == 302
    member = BoardMember.objects.get()
    assert member.guardian == world.parent and member.appointed_by == world.principal
    # Another school's parent is not a choice; the teacher is refused as not a guardian. Nothing saved.
    for outsider in (world.foreign_parent, world.teacher):
        response = client.post(url, {**data, "role": "member", "guardian": outsider.pk})
        assert response.status_code == 200
    assert BoardMember.objects.count() == 1
