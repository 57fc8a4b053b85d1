"""Who may upload, touch an upload, and see a school's storage. Who may *view* a
file is decided by the apps that use it (see mediafiles.access)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from mediafiles.models import Audience, MediaFile
from schools.models import Child, School
from schools.policies import is_leader_of, is_staff_of


def upload_audience(user, school: School) -> str:
    """Staff of the school upload as staff, guardians of a child there as a family; nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if is_staff_of(user, school):
        return Audience.STAFF
    from parents.policies import guardian_child_ids

    ids = guardian_child_ids(user)
    if ids and Child.objects.filter(pk__in=ids, school=school, left_on__isnull=True).exists():
        return Audience.FAMILY
    raise PermissionDenied


def can_have_original(user, media: MediaFile) -> bool:
    """The original as uploaded: for its uploader, and for the school's staff when staff uploaded it.

    Everyone else (families) gets renditions: small enough for a phone, and without
    the original's metadata (GPS position, camera)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if media.uploaded_by_id is not None and media.uploaded_by_id == user.pk:
        return True
    return media.audience == Audience.STAFF and is_staff_of(user, media.school_id)


def can_touch_upload(user, media: MediaFile) -> bool:
    """Only the person who started an upload may send its chunks or follow it."""
    return bool(getattr(user, "is_authenticated", False)) and media.uploaded_by_id == user.pk


def can_view_school_storage(user, school: School) -> bool:
    return is_leader_of(user, school)
