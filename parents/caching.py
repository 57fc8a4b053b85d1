"""The children each person looks after and follows (parents.policies.guardian_child_ids and
viewer_child_ids), kept in the cache between requests.

A person's value is forgotten whenever one of their guardianships or family-viewer links is saved or
deleted, and by the services that change them with `update()` (parents/services.py,
parents/personal_data.py). A child moving class changes neither list, so nothing is forgotten then.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from coordination.lib import fragments, percache

KIND = "family"


def forget_family_of(user_ids) -> None:
    percache.forget(KIND, user_ids)


def _guardianship_changed(sender, instance, **kwargs):
    forget_family_of([instance.guardian_id])


def _viewer_changed(sender, instance, **kwargs):
    forget_family_of([instance.viewer_id])


def _account_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """A guardian's or family viewer's name shows on the cards of the children's other families."""
    if raw or (update_fields and set(update_fields) <= {"last_login"}):
        return
    from parents.models import FamilyViewer, Guardianship

    schools = set(Guardianship.objects.filter(guardian=instance).values_list("school_id", flat=True))
    schools.update(FamilyViewer.objects.filter(viewer=instance).values_list("school_id", flat=True))
    fragments.schools_changed(schools)


def connect() -> None:
    from django.contrib.auth import get_user_model

    from parents.models import ConsentRecord, FamilyViewer, Guardianship

    post_save.connect(_guardianship_changed, sender=Guardianship, dispatch_uid="parents.caching.guardianship_saved")
    post_delete.connect(_guardianship_changed, sender=Guardianship, dispatch_uid="parents.caching.guardianship_deleted")
    post_save.connect(_viewer_changed, sender=FamilyViewer, dispatch_uid="parents.caching.viewer_saved")
    post_delete.connect(_viewer_changed, sender=FamilyViewer, dispatch_uid="parents.caching.viewer_deleted")
    percache.register_filler(KIND, _fill)
    # What the cached parts of pages show of a family (coordination/lib/fragments.py).
    fragments.shows(Guardianship, FamilyViewer, ConsentRecord)
    post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="parents.caching.account_changed")


def _fill(user) -> None:
    from parents.policies import guardian_child_ids

    guardian_child_ids(user)
