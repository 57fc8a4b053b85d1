"""Reading a person's copies of their data: each person sees and downloads only their own."""

from __future__ import annotations

from django.http import Http404

from privacy.models import Export
from schools.models import Child

RECENT_EXPORTS = 10


def exports_of(*, user) -> list[Export]:
    return list(Export.objects.filter(user=user).order_by("-created_at", "-pk")[:RECENT_EXPORTS])


def export_for_download(*, user, token: str) -> Export:
    """The person's own export by its link; anyone else's (or none) is a 404, never a hint that it exists."""
    export = Export.objects.filter(token=token, user_id=user.pk).first()
    if export is None:
        raise Http404
    return export


def export_children(*, child_ids) -> list[Child]:
    return list(Child.objects.filter(pk__in=child_ids).order_by("full_name", "pk"))
