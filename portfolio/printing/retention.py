"""Label sheets and albums are kept PORTFOLIO_PRINTOUTS_KEEP_DAYS, then deleted (they can be asked for
again). A daily job on the media queue also deletes at once the albums the family may no longer have
(the after-leaving period is over, or a consent they depend on was withdrawn), and gives up what a
lost message left waiting."""

from __future__ import annotations

import datetime

from celery.schedules import crontab
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio import policies
from portfolio.models import PRINTOUT_PENDING, Album, LabelSheet, PrintoutState
from portfolio.printing.albums import album_withdrawn
from portfolio.printing.documents import delete_stored

# Asked for this long ago and still not made: the worker's message was lost.
STALE_AFTER = datetime.timedelta(hours=6)
BATCH = 500

BEAT_SCHEDULE = {
    # 03:50 every day, after the media cleanup: old label sheets and albums go, rows and files.
    "portfolio-printouts-expire": {
        "task": "portfolio.tasks.media_printouts_expire",
        "schedule": crontab(hour=3, minute=50),
        "options": {"expires": 6 * 3600},
    },
}


def beat_schedule_install() -> None:
    from coordination.celery import app

    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


def _delete(model, ids: list[int]) -> int:
    if not ids:
        return 0
    with transaction.atomic():
        rows = list(model.objects.select_for_update().filter(pk__in=ids))
        names = [name for row in rows for name in (row.pdf.name, getattr(row, "archive", None) and row.archive.name)]
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()
        transaction.on_commit(lambda: delete_stored(*[n for n in names if n]))
    return len(rows)


def printouts_expire(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what is kept long enough or may no longer be handed out; give up what waits for nothing."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PORTFOLIO_PRINTOUTS_KEEP_DAYS)
    stale = now - STALE_AFTER
    done = {"label_sheets": 0, "albums": 0, "given_up": 0}
    while ids := list(LabelSheet.objects.filter(requested_at__lt=cutoff).values_list("pk", flat=True)[:BATCH]):
        done["label_sheets"] += _delete(LabelSheet, ids)
    while ids := list(Album.objects.filter(requested_at__lt=cutoff).values_list("pk", flat=True)[:BATCH]):
        done["albums"] += _delete(Album, ids)
    gone = [
        album.pk
        for album in Album.objects.filter(state=PrintoutState.READY).select_related("child__school")
        if not policies.family_access_open(album.child, today=timezone.localdate(now)) or album_withdrawn(album)
    ]
    done["albums"] += _delete(Album, gone)
    reason = _("This could not be made. Please ask for it again.")
    for model in (LabelSheet, Album):
        done["given_up"] += model.objects.filter(state__in=PRINTOUT_PENDING, requested_at__lt=stale).update(
            state=PrintoutState.FAILED, failure_reason=reason, finished_at=now
        )
    return done
