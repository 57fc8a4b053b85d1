"""The loan reminders: the day before a loan is due, and every few days while it is overdue.

The words carry the item's name and the child's given name only (SMS and e-mail subjects leave the
portal). Each goes to the child's active guardians, also after the child left the school: the school
still wants its costume back.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.reminders import FollowUps, Reminder, ReminderRun

DUE_TITLE = _("%(item)s is due back tomorrow")
DUE_BODY = _("Please bring %(item)s, borrowed for %(name)s, back to the school's lending desk tomorrow, %(date)s.")
OVERDUE_TITLE = _("%(item)s is overdue")
OVERDUE_BODY = _(
    "%(item)s, borrowed for %(name)s, was due back on %(date)s. Please bring it back to the school's lending "
    "desk: other families are waiting for it."
)
OVERDUE_FOLLOW_UPS = FollowUps(limit=3, spacing=datetime.timedelta(days=3))


def _guardians(child_ids) -> dict[int, list[int]]:
    from parents.models import Guardianship

    guardians = defaultdict(list)
    for child_id, guardian_id in (
        Guardianship.objects.active()
        .filter(child_id__in=child_ids, guardian__is_active=True)
        .values_list("child_id", "guardian_id")
    ):
        guardians[child_id].append(guardian_id)
    return guardians


def _reminders(loans, *, title, body, key):
    if not loans:
        return
    guardians = _guardians({loan.child_id for loan in loans})
    for loan in loans:
        recipients = guardians.get(loan.child_id)
        if not recipients:
            continue
        yield Reminder(
            recipients=tuple(recipients),
            category="loans",
            title=title,
            body=body,
            context={
                "item": loan.copy.item.name,
                "name": loan.child.given_name,
                "date": loan.due_on.strftime("%d/%m/%Y"),
            },
            # The family's history: it lists the loan, also for a family whose child has left.
            url=reverse("community:library_family", args=[loan.child_id]),
            key=key(loan),
            school_id=loan.school_id,
        )


def _open_loans(**filters):
    from community.models import LibraryLoan

    return list(
        LibraryLoan.objects.filter(returned_at__isnull=True, **filters)
        .select_related("copy__item", "child")
        .order_by("pk")
    )


def loans_due_tomorrow(run: ReminderRun):
    """Every open loan due tomorrow, to the child's guardians."""
    tomorrow = run.today + datetime.timedelta(days=1)
    yield from _reminders(
        _open_loans(due_on=tomorrow),
        title=DUE_TITLE,
        body=DUE_BODY,
        key=lambda loan: f"loan:{loan.pk}:due:{loan.due_on.isoformat()}",
    )


def loans_overdue(run: ReminderRun):
    """Every open loan past its due date (a series: the first the day after, at most three, three days apart)."""
    yield from _reminders(
        _open_loans(due_on__lt=run.today),
        title=OVERDUE_TITLE,
        body=OVERDUE_BODY,
        key=lambda loan: f"loan:{loan.pk}:overdue:{loan.due_on.isoformat()}",
    )
