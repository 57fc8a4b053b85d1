"""Asking for a copy of the family's data, telling the person when it is ready, and letting old copies go."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from notifications.models import Category
from notifications.services import notice_send
from parents.models import Guardianship
from privacy.models import Export

READY_TITLE = gettext_lazy("The copy of your family's data is ready")
READY_BODY = gettext_lazy("Download it from the portal before %(date)s: after that the link no longer works.")
IN_PROGRESS = (Export.Status.QUEUED, Export.Status.BUILDING)


def _queue(export_id: int) -> None:
    from privacy import tasks

    transaction.on_commit(lambda: tasks.privacy_export_build.delay(export_id))


def export_request(*, user, request=None) -> Export:
    """Ask for a copy of the person's and their children's data; one being prepared is not asked for twice."""
    with transaction.atomic():
        get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()  # one at a time per person
        pending = Export.objects.filter(user=user, status__in=IN_PROGRESS).first()
        if pending is not None:
            return pending
        school_id = (
            Guardianship.objects.active()
            .filter(guardian=user)
            .order_by("pk")
            .values_list("school_id", flat=True)
            .first()
        )
        export = Export.objects.create(
            user=user, school_id=school_id or (request.school_id if request is not None else None), request=request
        )
        _queue(export.pk)
    return export


def export_ready_tell(*, export: Export) -> None:
    """Tell the person their copy is ready, with a link to the page where they download it."""
    notice_send(
        recipient=export.user,
        category=Category.ACCOUNT,
        title=READY_TITLE,
        body=READY_BODY,
        url=reverse("privacy:exports"),
        dedupe_key=f"privacy:export:{export.pk}:ready",
        school=export.school,
        context={"date": timezone.localtime(export.expires_at).strftime("%d/%m/%Y")},
    )


def export_expired(export: Export, *, now: datetime.datetime) -> bool:
    return export.status == Export.Status.EXPIRED or (export.expires_at is not None and export.expires_at <= now)


def export_downloaded(*, export: Export, now: datetime.datetime) -> None:
    """Remember the first download (the page shows it)."""
    Export.objects.filter(pk=export.pk, downloaded_at__isnull=True).update(downloaded_at=now)


def exports_expire(*, now: datetime.datetime) -> int:
    """Delete the files of copies past their date and mark them expired; returns how many."""
    done = 0
    last = 0
    while True:
        page = list(
            Export.objects.filter(expires_at__lte=now, pk__gt=last)
            .exclude(status=Export.Status.EXPIRED)
            .order_by("pk")
            .values_list("pk", "file", "status")[:200]
        )
        if not page:
            return done
        for pk, name, status in page:
            if name:
                default_storage.delete(name)
            # Conditional: a copy rebuilt meanwhile keeps its new file.
            done += Export.objects.filter(pk=pk, status=status, file=name).update(
                status=Export.Status.EXPIRED, file="", size=0
            )
        last = page[-1][0]
