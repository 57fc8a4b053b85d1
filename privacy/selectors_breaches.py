"""The breach register's reads, scoped to the schools the person manages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from privacy import policies
from privacy.models import Breach
from schools.models import School


def breaches_for(*, user) -> QuerySet[Breach]:
    """The breaches of the schools the person leads; every school's for the superuser."""
    queryset = Breach.objects.select_related("school")
    ids = policies.breach_school_ids(user)
    return queryset if ids is None else queryset.filter(school_id__in=ids)


def breach_get(*, user, breach_id: int) -> Breach:
    """One breach the person manages; 404 for anyone else (another school's leader too)."""
    breach = breaches_for(user=user).filter(pk=breach_id).first()
    if breach is None:
        raise Http404
    return breach


def breaches_open(*, school: School) -> list[Breach]:
    """A school's breaches still open or not yet closed, the oldest clock first (for the leader's home)."""
    return list(Breach.objects.filter(school=school).exclude(status=Breach.Status.CLOSED).order_by("found_at"))


def breach_schools(*, user) -> QuerySet[School]:
    ids = policies.breach_school_ids(user)
    schools = School.objects.order_by("name")
    return schools if ids is None else schools.filter(pk__in=ids)


@dataclass(frozen=True)
class Clock:
    """Where a breach stands on the clock to notify the authority."""

    notify_by: datetime.datetime
    stopped: bool  # the authority was notified (or the breach closed)
    overdue: bool
    hours: int  # whole hours left, or past the deadline when overdue
    minutes: int


def breach_clock(breach: Breach, *, now: datetime.datetime) -> Clock:
    stopped = breach.authority_notified_at is not None or breach.status == Breach.Status.CLOSED
    left = breach.notify_by - now
    overdue = left.total_seconds() < 0 and not stopped
    seconds = int(abs(left.total_seconds()))
    return Clock(
        notify_by=breach.notify_by,
        stopped=stopped,
        overdue=overdue,
        hours=seconds // 3600,
        minutes=(seconds % 3600) // 60,
    )
