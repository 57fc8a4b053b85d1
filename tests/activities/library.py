"""Library entries made directly, for tests that are not about offering and approving."""

from __future__ import annotations

from django.utils import timezone

from activities.models import LibraryEntry
from tests.activities.makers import activity_make, photo_make

TITLE = "Gấp thuyền giấy"  # tests/activities/makers.py


def entry_make(
    *, school, by, authority=None, state: str = LibraryEntry.State.APPROVED, title: str = TITLE, photos: int = 1, **kw
) -> LibraryEntry:
    """A published activity of `school` (with photos uploaded by `by`), offered to its ward's library."""
    classroom = school.classrooms.first()
    activity = activity_make(
        school=school,
        by=by,
        classrooms=[classroom] if classroom else [],
        title=title,
        photos=[photo_make(school=school, by=by) for _ in range(photos)],
        **kw,
    )
    decided = state != LibraryEntry.State.OFFERED
    return LibraryEntry.objects.create(
        authority=authority or school.authority,
        school=school,
        activity=activity,
        state=state,
        no_child_confirmed=True,
        offered_by=by,
        domain=activity.domain,
        age_group=activity.age_group,
        decided_at=timezone.now() if decided else None,
    )
