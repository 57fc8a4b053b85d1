"""Quotas: how much one person may upload in a day and at once, and how much one school may keep.

Each check raises a ValidationError (its code starts with `quota_`) with a
message in the person's language. They are asked when an upload starts, from
the size it declares, before a byte of it is accepted; `media_upload_start`
asks them under a lock on the school and on the person, so that two starts at
once cannot both slip under a limit. The school's ceiling is asked again by the
worker before a finished file is stored, with what the school keeps by then.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import Greatest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mediafiles.models import Audience, MediaFile, State

# An upload that got no chunk for this long no longer counts as "in progress" for the limit
# of uploads at once (a closed tab, a phone that died): the hourly sweep removes it later.
IN_PROGRESS_WITHIN = datetime.timedelta(hours=1)


def daily_limits(audience: str) -> tuple[int, int]:
    """How many uploads, and how many bytes, one person may start in a day."""
    if audience == Audience.STAFF:
        return settings.MEDIA_STAFF_DAILY_UPLOADS, settings.MEDIA_STAFF_DAILY_BYTES
    return settings.MEDIA_FAMILY_DAILY_UPLOADS, settings.MEDIA_FAMILY_DAILY_BYTES


def unfinished_limit(audience: str) -> int:
    """How many uploads one person may have in progress at once (staff send batches of photos)."""
    if audience == Audience.STAFF:
        return settings.MEDIA_STAFF_UNFINISHED_UPLOADS
    return settings.MEDIA_FAMILY_UNFINISHED_UPLOADS


def _start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def person_today(*, by) -> dict[str, int]:
    """What the person started today (count and bytes) and how many uploads they have in progress; one query.

    Bytes count what each upload declared, except for failed ones, which count what
    actually arrived: a refused file still took the bytes it sent.
    """
    now = timezone.now()
    today = Q(created_at__gte=_start_of_today())
    figures = MediaFile.objects.filter(uploaded_by=by).aggregate(
        count=Count("pk", filter=today),
        bytes=Sum(Case(When(state=State.FAILED, then=F("received")), default=F("size")), filter=today, default=0),
        in_progress=Count("pk", filter=Q(state=State.UPLOADING, last_activity_at__gte=now - IN_PROGRESS_WITHIN)),
    )
    return {key: int(value or 0) for key, value in figures.items()}


def school_storage_used(*, school, exclude=None) -> int:
    """Bytes the school keeps or has promised: stored files with their renditions, and the
    declared size of files still on their way (one query)."""
    files = MediaFile.objects.filter(school=school).exclude(state=State.FAILED)
    if exclude is not None:
        files = files.exclude(pk=exclude)
    return int(files.aggregate(used=Sum(Greatest("stored_bytes", "size"), default=0))["used"] or 0)


def check_school_storage(*, school, size: int, exclude=None) -> None:
    limit = settings.MEDIA_SCHOOL_STORAGE_BYTES
    used = school_storage_used(school=school, exclude=exclude)
    if used + size > limit:
        raise ValidationError(
            _(
                "%(school)s has no room left for this file: %(used)s of its %(limit)s for photos and videos "
                "are used. Please tell the school's principal."
            )
            % {"school": school.name, "used": filesizeformat(used), "limit": filesizeformat(limit)},
            code="quota_storage",
        )


def check_upload_start(*, school, by, audience: str, size: int) -> None:
    """Refuse an upload that would pass a quota; call it under the locks of `media_upload_start`."""
    max_count, max_bytes = daily_limits(audience)
    today = person_today(by=by)
    if today["in_progress"] >= unfinished_limit(audience):
        raise ValidationError(
            ngettext(
                "You already have %(count)d upload in progress. Let it finish, then try again.",
                "You already have %(count)d uploads in progress. Let them finish, then try again.",
                today["in_progress"],
            )
            % {"count": today["in_progress"]},
            code="quota_unfinished",
        )
    if today["count"] >= max_count:
        raise ValidationError(
            ngettext(
                "You have started %(count)d upload today, the most allowed in one day. Please try again tomorrow.",
                "You have started %(count)d uploads today, the most allowed in one day. Please try again tomorrow.",
                today["count"],
            )
            % {"count": today["count"]},
            code="quota_count",
        )
    if today["bytes"] + size > max_bytes:
        raise ValidationError(
            _(
                "This file (%(size)s) is more than you may still upload today: %(left)s of %(limit)s a day are "
                "left. Please try again tomorrow, or choose a smaller file."
            )
            % {
                "size": filesizeformat(size),
                "left": filesizeformat(max(0, max_bytes - today["bytes"])),
                "limit": filesizeformat(max_bytes),
            },
            code="quota_bytes",
        )
    check_school_storage(school=school, size=size)
