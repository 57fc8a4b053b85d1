"""What each person holds (schools.policies.access_for), kept in the cache between requests.

A person's roles, the classes they teach and their posts at authorities are forgotten whenever a
membership, its classes or a post of theirs is saved or deleted, and by the services that change
memberships with `update()` (schools/personal_data.py). Nobody else's value is touched.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

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


def _class_key(classroom_id) -> str:
    return f"classroom:{percache.VERSION}:{classroom_id}"


def classroom_facts(classroom_id: int, *, school_ids) -> tuple[int, str] | None:
    """A class's school and name (None for no such class among these schools, the person's), kept
    between requests: a class page checks who may see it and titles itself with them before anything
    else is read. The read names the schools (one shard each under Citus, docs/scaling.md)."""
    from django.core.cache import cache

    from schools.models import Classroom

    key = _class_key(classroom_id)
    found = cache.get(key)
    if found is None:
        found = (
            Classroom.objects.filter(school_id__in=list(school_ids), pk=classroom_id)
            .values_list("school_id", "name")
            .first()
        )
        if found is None:
            return None
        cache.set(key, tuple(found), percache.TIMEOUT)
    return tuple(found)


def _class_changed(sender, instance, **kwargs):
    from django.core.cache import cache
    from django.db import transaction

    key = _class_key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _school_key(slug: str) -> str:
    return f"school:{percache.VERSION}:{slug}"


def school_by_slug(slug: str):
    """The school with this address (None for none), its row kept between requests: a leader's pages
    check who may see them before anything else is read. Its authority is read when asked for."""
    from django.core.cache import cache

    from schools.models import School

    key = _school_key(slug)
    school = percache.get(key)  # a public page reads it with its kept parts (percache's learnt keys)
    if school is None:
        school = School.objects.filter(slug=slug).first()
        if school is None:
            return None
        cache.set(key, school, percache.TIMEOUT)
        percache.note({key: school})
    return school


def _school_renamed(sender, instance, raw=False, **kwargs):
    """Before a save: the address the school had, which the saved row may no longer have."""
    if instance.pk and not raw:
        instance._slug_before = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _school_changed(sender, instance, **kwargs):
    from django.core.cache import cache
    from django.db import transaction

    keys = [_school_key(slug) for slug in {instance.slug, getattr(instance, "_slug_before", None)} if slug]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


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

    from schools.models import (
        AuthorityOfficer,
        Child,
        Classroom,
        Enrolment,
        PickupPerson,
        School,
        SchoolYear,
        StaffMembership,
        StaffMembershipClassroom,
    )

    through = StaffMembership.classrooms.through
    for model in (StaffMembership, AuthorityOfficer):
        post_save.connect(_membership_changed, sender=model, dispatch_uid=f"schools.caching.{model.__name__}.saved")
        post_delete.connect(_membership_changed, sender=model, dispatch_uid=f"schools.caching.{model.__name__}.deleted")
    m2m_changed.connect(_classes_changed, sender=through, dispatch_uid="schools.caching.classes")
    pre_delete.connect(_class_deleted, sender=Classroom, dispatch_uid="schools.caching.class_deleted")
    post_save.connect(_class_changed, sender=Classroom, dispatch_uid="schools.caching.class_saved")
    pre_save.connect(_school_renamed, sender=School, dispatch_uid="schools.caching.school_renamed")
    post_save.connect(_school_changed, sender=School, dispatch_uid="schools.caching.school_saved")
    post_delete.connect(_school_changed, sender=School, dispatch_uid="schools.caching.school_gone")
    post_delete.connect(_class_changed, sender=Classroom, dispatch_uid="schools.caching.class_gone")
    percache.register_filler(KIND, _fill)
    # What the cached parts of pages show of a school (coordination/lib/fragments.py).
    fragments.shows(Child, Classroom, StaffMembership, StaffMembershipClassroom, Enrolment, PickupPerson, SchoolYear)
    fragments.shows(School, school_of=lambda school: school.pk)
    post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="schools.caching.account_changed")


def _fill(user) -> None:
    from schools.policies import access_for

    access_for(user)
