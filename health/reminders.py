"""The check-up-day reminder: the day before a planned check-up, each active guardian of the child is told.

The words carry the child's given name and the provider only, never a finding: SMS and e-mail
subjects leave the portal. The link leads to the child's health record, behind sign-in.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.reminders import Reminder, ReminderRun

TITLE = _("Check-up tomorrow for %(name)s")
BODY = _(
    "%(name)s has a check-up with %(provider)s tomorrow, %(date)s. Please make sure %(name)s comes to school "
    "on time, and bring the health book if you have one."
)


def child_record_path(child_id: int) -> str:
    """The child's health record."""
    return reverse("health:child", args=[child_id])


def checkups_tomorrow(run: ReminderRun):
    """Every planned check-up of tomorrow, to the child's active guardians (one reminder per check-up)."""
    from health.models import CheckUp
    from parents.models import Guardianship

    tomorrow = run.today + datetime.timedelta(days=1)
    checkups = list(
        CheckUp.objects.filter(on=tomorrow, done=False, child__left_on__isnull=True)
        .select_related("child")
        .order_by("pk")
    )
    if not checkups:
        return
    guardians = defaultdict(list)
    for child_id, guardian_id in (
        Guardianship.objects.active()
        .filter(child_id__in={c.child_id for c in checkups}, guardian__is_active=True)
        .values_list("child_id", "guardian_id")
    ):
        guardians[child_id].append(guardian_id)
    for checkup in checkups:
        recipients = guardians.get(checkup.child_id)
        if not recipients:
            continue
        yield Reminder(
            recipients=tuple(recipients),
            category="health",
            title=TITLE,
            body=BODY,
            context={
                "name": checkup.child.given_name,
                "provider": checkup.provider,
                "date": tomorrow.strftime("%d/%m/%Y"),
            },
            url=child_record_path(checkup.child_id),
            key=f"checkup:{checkup.pk}:{tomorrow.isoformat()}",
            school_id=checkup.school_id,
        )
