import pytest
from django.http import Http404

from schools import policies, selectors
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_guardian_sees_only_their_own_children(world):
    visible = set(selectors.children_visible_to(user=world.parent))
    assert visible == {world.child, world.sibling}
    assert policies.can_view_child(world.parent, world.child)
    assert not policies.can_view_child(world.parent, world.other_class_child)
    assert not policies.can_view_child(world.other_parent, world.child)


def test_teacher_sees_only_the_children_of_their_classes(world):
    assert set(selectors.children_visible_to(user=world.teacher)) == {world.child}
    assert policies.can_view_child(world.teacher, world.child)
    assert not policies.can_view_child(world.teacher, world.sibling)
    assert not policies.can_view_child(world.other_teacher, world.child)
    assert policies.can_view_classroom(world.teacher, world.classroom)
    assert not policies.can_view_classroom(world.teacher, world.other_classroom)


def test_principal_and_nurse_see_their_whole_school_only(world):
    # Those who have left too: the school keeps their records.
    school_children = {world.child, world.sibling, world.other_class_child, world.left_child}
    assert set(selectors.children_visible_to(user=world.principal)) == school_children
    assert set(selectors.children_visible_to(user=world.nurse)) == school_children
    assert world.other_school_child not in set(selectors.children_visible_to(user=world.principal))
    assert set(selectors.children_visible_to(user=world.other_principal)) == {world.other_school_child}


def test_accountant_and_officer_see_no_child(world):
    assert not selectors.children_visible_to(user=world.accountant).exists()
    assert not selectors.children_visible_to(user=world.officer).exists()
    assert not policies.can_view_child(world.officer, world.child)


def test_child_get_answers_404_for_a_guessed_id(world):
    assert selectors.child_get(user=world.parent, child_id=world.child.pk) == world.child
    for child in (world.other_class_child, world.other_school_child):
        with pytest.raises(Http404):
            selectors.child_get(user=world.parent, child_id=child.pk)


def test_a_former_teacher_loses_access(world):
    membership = world.teacher.staff_memberships.get()
    membership.is_active = False
    membership.save()
    world.teacher.__dict__.pop("_portal_access", None)
    assert not policies.can_view_child(world.teacher, world.child)


def test_a_teacher_who_is_also_a_parent_has_both_views(world):
    f.GuardianshipFactory(child=world.other_school_child, guardian=world.teacher)
    visible = set(selectors.children_visible_to(user=world.teacher))
    assert visible == {world.child, world.other_school_child}


def test_only_leaders_manage_the_school_and_use_the_admin(world):
    assert policies.can_manage_school(world.principal, world.school)
    assert not policies.can_manage_school(world.other_principal, world.school)
    assert not policies.can_manage_school(world.teacher, world.school)
    assert policies.can_use_admin(world.principal)
    # The accountant is let in for the donations pages only (tests/donations/test_admin_access.py).
    assert policies.can_use_admin(world.accountant)
    for person in (world.parent, world.teacher, world.nurse, world.officer, world.deactivated_staff):
        assert not policies.can_use_admin(person)


def test_an_officer_sees_their_authority_and_a_provincial_officer_its_communes(world):
    ward, province = world.school.authority, world.school.authority.province
    assert policies.can_view_authority(world.officer, ward)
    assert not policies.can_view_authority(world.officer, province)
    assert not policies.can_view_authority(world.officer, world.other_school.authority)
    assert policies.can_view_authority(world.province_officer, province)
    assert policies.can_view_authority(world.province_officer, ward)
    assert not policies.can_view_authority(world.province_officer, world.other_school.authority)
    assert not policies.can_view_authority(world.foreign_officer, ward)
    assert not policies.can_view_authority(world.principal, ward)
    assert policies.can_view_authority(world.superuser, ward)
