"""The family's time after the child leaves: the guardians keep read-only access to the portfolio and
its albums for School.portfolio_access_months after Child.left_on (portfolio.policies), and are told
NOTICE_DAYS before it ends, so that they can ask for an album in time.

A daily job (portfolio.tasks.notify_portfolio_access_ending, on the notifications queue) sends the
notice. It is sent once per guardian, child and period (a notification's dedupe key): a day the job
did not run is caught up the next day, until the last day of access.
"""

from __future__ import annotations

import datetime

from celery.schedules import crontab
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from notifications.services import notice_send
from parents.models import Guardianship
from portfolio import policies
from schools.models import Child, school_today

NOTICE_DAYS = 30
# Longer than the longest after-leaving period a school can set (60 months): children who left
# before are not read at all.
LONGEST_PERIOD = datetime.timedelta(days=31 * 61)

TITLE = _("The portfolio of %(name)s closes on %(date)s")
BODY = _(
    "%(name)s has left the school. The family can see the portfolio until %(date)s. "
    "Ask for an album now to keep the works, their photos and the teachers' notes."
)

BEAT_SCHEDULE = {
    # 09:00 every day (the schools' time): a notice in the morning, not at night.
    "portfolio-access-ending": {
        "task": "portfolio.tasks.notify_portfolio_access_ending",
        "schedule": crontab(hour=9, minute=0),
        "options": {"expires": 12 * 3600},
    },
}


def beat_schedule_install() -> None:
    from coordination.celery import app

    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


def dedupe_key(child: Child, ends: datetime.date) -> str:
    return f"portfolio:access-ends:{child.pk}:{ends.isoformat()}"


def children_closing(*, today: datetime.date) -> list[tuple[Child, datetime.date]]:
    """The children who left and whose family's access ends within NOTICE_DAYS (today included)."""
    left = Child.objects.filter(left_on__isnull=False, left_on__gte=today - LONGEST_PERIOD, left_on__lte=today)
    closing = []
    for child in left.select_related("school").order_by("pk"):
        ends = policies.family_access_ends(child)
        if ends is not None and today <= ends <= today + datetime.timedelta(days=NOTICE_DAYS):
            closing.append((child, ends))
    return closing


def access_ending_notify(*, today: datetime.date | None = None) -> int:
    """Tell each active guardian of a child whose after-leaving period ends soon; the number told."""
    today = today or school_today()
    closing = children_closing(today=today)
    if not closing:
        return 0
    guardians: dict[int, list] = {}
    rows = Guardianship.objects.active().filter(child_id__in=[child.pk for child, _ends in closing])
    for link in rows.select_related("guardian").order_by("pk"):
        guardians.setdefault(link.child_id, []).append(link.guardian)
    told = 0
    for child, ends in closing:
        for guardian in guardians.get(child.pk, []):
            notice = notice_send(
                recipient=guardian,
                category=Category.WORKS,
                title=TITLE,
                body=BODY,
                url=reverse("portfolio:child_albums", args=[child.pk]),
                dedupe_key=dedupe_key(child, ends),
                school=child.school,
                context={"name": child.given_name, "date": ends.strftime("%d/%m/%Y")},
            )
            told += notice is not None
    return told
