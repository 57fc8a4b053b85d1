"""What each person holds (schools.policies.access_for), kept in the cache between requests.

A person's roles, the classes they teach and their posts at authorities are forgotten whenever a
membership, its classes or a post of theirs is saved or deleted, and by the services that change
memberships with `update()` (schools/personal_data.py). Nobody else's value is touched.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from coordination.lib import fragments, percache

KIND = "access"


def forget_access_of(user_ids) -> None:
    percache.forget(KIND, user_ids)


def _membership_changed(sender, instance, **kwargs):
    forget_access_of([instance.user_id])


def _classes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from schools.models import StaffMembership

    if not action.startswith(("post_", "pre_clear")):
        return
    if not reverse:  # a membership's classes
        forget_access_of([instance.user_id])
    elif action == "pre_clear":  # a class's teachers, before they are gone
        forget_access_of(instance.teachers.values_list("user_id", flat=True))
    elif pk_set:
        forget_access_of(StaffMembership.objects.filter(pk__in=pk_set).values_list("user_id", flat=True))


def _class_deleted(sender, instance, **kwargs):
    """A class about to be deleted, its teachers still known: the cascade that deletes the rows of their
    classes sends no signal (Django sends none for an automatic many-to-many table)."""
    forget_access_of(instance.teachers.values_list("user_id", flat=True))


def _account_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """A member of staff's name or phone shows on the pages of their schools (a family's cards)."""
    if raw or (update_fields and set(update_fields) <= {"last_login"}):
        return
    from schools.models import StaffMembership

    fragments.schools_changed(StaffMembership.objects.filter(user=instance).values_list("school_id", flat=True))


def connect() -> None:
    from django.contrib.auth import get_user_model

    from schools.models import AuthorityOfficer, Child, Classroom, Enrolment, PickupPerson, School, StaffMembership

    through = StaffMembership.classrooms.through
    for model in (StaffMembership, AuthorityOfficer):
        post_save.connect(_membership_changed, sender=model, dispatch_uid=f"schools.caching.{model.__name__}.saved")
        post_delete.connect(_membership_changed, sender=model, dispatch_uid=f"schools.caching.{model.__name__}.deleted")
    m2m_changed.connect(_classes_changed, sender=through, dispatch_uid="schools.caching.classes")
    pre_delete.connect(_class_deleted, sender=Classroom, dispatch_uid="schools.caching.class_deleted")
    percache.register_filler(KIND, _fill)
    # What the cached parts of pages show of a school (coordination/lib/fragments.py).
    fragments.shows(Child, Classroom, StaffMembership, Enrolment, PickupPerson)
    fragments.shows(School, school_of=lambda school: school.pk)
    post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="schools.caching.account_changed")


def _fill(user) -> None:
    from schools.policies import access_for

    access_for(user)
