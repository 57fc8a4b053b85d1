"""Writes for schools, classes, staff and children. Each is one atomic function."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.lib import fragments
from schools import policies
from schools.models import (
    Child,
    ChildRead,
    Classroom,
    Enrolment,
    PickupPerson,
    School,
    StaffMembership,
    StaffRole,
)

# Pick-up notices are about a school day: times outside these hours are a typing mistake.
PICKUP_EARLIEST = datetime.time(6, 0)
PICKUP_LATEST = datetime.time(19, 0)
PICKUP_DAYS_AHEAD = 30


@transaction.atomic
def child_enrol(*, child: Child, classroom: Classroom, starts_on: datetime.date) -> Enrolment:
    """Move a child into a class, closing the enrolment they had."""
    if classroom.school_id != child.school_id:
        raise ValidationError(_("The class belongs to another school."))
    Enrolment.objects.filter(child=child, ends_on__isnull=True).update(ends_on=starts_on)
    fragments.schools_changed([child.school_id])  # update() sends no signal (coordination/lib/fragments.py)
    enrolment = Enrolment.objects.create(
        school_id=child.school_id, child=child, classroom=classroom, starts_on=starts_on
    )
    child.classroom = classroom
    child.save(update_fields=["classroom"])
    return enrolment


@transaction.atomic
def staff_member_create(
    *,
    school: School,
    by,
    full_name: str,
    role: str,
    email: str | None = None,
    phone: str | None = None,
    classrooms=(),
) -> StaffMembership:
    """Add a person to a school's staff, creating their account if needed.

    A new account has no password: the person gets a link to choose one.
    """
    if not policies.can_manage_school(by, school):
        raise PermissionDenied
    if not email and not phone:
        raise ValidationError(_("Enter an e-mail address or a phone number."))
    User = get_user_model()
    user = None
    if email:
        user = User.objects.filter(email=email.lower()).first()
    if user is None and phone:
        user = User.objects.filter(phone=phone).first()
    created = user is None
    if created:
        user = User(email=email or None, phone=phone or None, full_name=full_name)
        user.set_unusable_password()
        user.save()
    elif StaffMembership.objects.filter(school=school, user=user).exists():
        raise ValidationError(_("This person is already on the staff of this school."))
    membership = StaffMembership.objects.create(school=school, user=user, role=role)
    if membership.is_leader and not user.is_staff:
        # The admin's own templates look at is_staff; access itself is the policy's.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if role == StaffRole.TEACHER and classrooms:
        if any(c.school_id != school.pk for c in classrooms):
            raise ValidationError(_("The class belongs to another school."))
        membership.classrooms.set(classrooms, through_defaults={"school": school})
    if created and user.email:
        from accounts.tasks import staff_welcome_send

        transaction.on_commit(lambda: staff_welcome_send.delay(membership.pk))
    return membership


@transaction.atomic
def staff_member_deactivate(*, membership: StaffMembership, by) -> None:
    """End a person's role at the school; their account stays for other schools."""
    if not policies.can_manage_school(by, membership.school):
        raise PermissionDenied
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself from the staff."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])


@transaction.atomic
def pickup_person_add(*, child: Child, by, **fields) -> PickupPerson:
    """Record someone allowed to collect the child or to be called in an emergency.

    An active guardian adds them on the portal, or a leader of the school in the admin; either
    way the child's (other) guardians and class teachers are told at once.
    """
    from parents.policies import can_change_pickup_persons
    from parents.services import pickup_person_change_tell

    if not can_change_pickup_persons(by, child):
        raise PermissionDenied
    fields.pop("added_by", None)
    person = PickupPerson(school_id=child.school_id, child=child, added_by=by, **fields)
    person.full_clean()
    person.save()
    pickup_person_change_tell(person=person, child=child, by=by, change="added")
    return person


@transaction.atomic
def pickup_person_update(*, person: PickupPerson, by, **fields) -> PickupPerson:
    """Change a pick-up person's details (a leader, in the admin); the family is told."""
    from parents.policies import can_change_pickup_persons
    from parents.services import pickup_person_change_tell

    child = person.child
    if not can_change_pickup_persons(by, child):
        raise PermissionDenied
    for name, value in fields.items():
        if name not in ("school", "school_id", "child", "child_id", "added_by", "added_by_id"):
            setattr(person, name, value)
    # Who added the person is a record, not a field of the form (older rows may have none).
    person.full_clean(exclude=["added_by"])
    person.save()
    pickup_person_change_tell(person=person, child=child, by=by, change="changed")
    return person


@transaction.atomic
def pickup_person_remove(*, person: PickupPerson, by) -> None:
    """Withdraw a pick-up person's permission; the family is told."""
    from parents.policies import can_change_pickup_persons
    from parents.services import pickup_person_change_tell

    child = person.child
    if not can_change_pickup_persons(by, child):
        raise PermissionDenied
    removed = PickupPerson(pk=person.pk, full_name=person.full_name, child=child)
    person.delete()
    pickup_person_change_tell(person=removed, child=child, by=by, change="removed")


def child_reads_log(*, reader, children, area: str) -> int:
    """Record that a staff member looked at these children's records, in one INSERT at most.

    Only staff are logged: a guardian or a family viewer reading their own child's data is not. A
    second read of the same area within the hour adds nothing (the unique key ignores it).
    """
    if not getattr(reader, "is_authenticated", False):
        return 0
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    name = getattr(reader, "full_name", "") or reader.get_username()
    rows = []
    for child in children:
        role = policies.role_at(reader, child.school_id)
        if role is None and not reader.is_superuser:
            continue
        rows.append(
            ChildRead(
                school_id=child.school_id,
                child_id=child.pk,
                reader=reader,
                reader_name=name,
                reader_role=role or "",
                area=area,
                at=now,
                hour=hour,
            )
        )
    if rows:
        ChildRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def child_read_log(*, reader, child: Child, area: str) -> int:
    """Record that a staff member looked at one area of a child's records (see `child_reads_log`)."""
    return child_reads_log(reader=reader, children=[child], area=area)


def child_reads_purge(*, school: School, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Remove a school's read log rows older than the cutoff (the retention job)."""
    deleted, _counts = ChildRead.objects.filter(school=school, at__lt=cutoff).delete()
    return deleted
