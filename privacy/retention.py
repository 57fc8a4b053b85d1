"""Retention, run every night for each school: nothing is kept longer than the declarations say.

Two kinds of rule:
- a child who left: once the family's portfolio access has ended (School.portfolio_access_months after
  Child.left_on) and a grace period after it has passed, the child's data is erased or anonymised by every
  app's eraser, unless a legal hold stands;
- each app's own periods (`RETENTION` in its personal_data.py): old notices and deliveries, delivery
  addresses after the bounce window, expired invitation codes, read logs, ...
A school may set its own number of days for each rule (RetentionPeriod); each run records what it removed.
"""

from __future__ import annotations

import calendar
import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import erasing
from privacy.declarations import retention_rules
from privacy.models import Erasure, RetentionPeriod, RetentionRun
from schools.models import Child, School

logger = logging.getLogger(__name__)

LEFT_CHILDREN = "privacy.left_children"
LEFT_CHILDREN_RULE = {
    "key": LEFT_CHILDREN,
    "label": _("A child who left: days after the family's portfolio access ends before the child's data is erased"),
    "days": 30,
}


def months_later(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def child_erase_on(child: Child, *, grace_days: int) -> datetime.date | None:
    """The day a child who left is erased (None while the child attends)."""
    if child.left_on is None:
        return None
    return months_later(child.left_on, child.school.portfolio_access_months) + datetime.timedelta(days=grace_days)


def _left_children_erase(school: School, *, grace_days: int, now: datetime.datetime) -> tuple[int, int]:
    """Erase the children whose time is up; returns (erased, held)."""
    from privacy.services import requests_close_for_erased_child

    today = timezone.localtime(now).date()
    erased_ids = set(
        Erasure.objects.filter(subject=Erasure.Subject.CHILD, school=school).values_list("subject_id", flat=True)
    )
    erased = held = 0
    candidates = Child.objects.filter(school=school, left_on__isnull=False).select_related("school").order_by("pk")
    for child in candidates:
        if child.pk in erased_ids:
            continue
        due = child_erase_on(child, grace_days=grace_days)
        if due is None or due > today:
            continue
        try:
            erasing.child_erase(child=child, reason=Erasure.Reason.RETENTION, now=now)
        except erasing.UnderLegalHold:
            held += 1
            continue
        requests_close_for_erased_child(child=child)
        erased += 1
    return erased, held


def retention_run(*, school: School, now: datetime.datetime | None = None) -> RetentionRun:
    """One school's retention: every rule, with the school's own periods; records what was removed."""
    now = now or timezone.now()
    chosen = dict(RetentionPeriod.objects.filter(school=school).values_list("key", "days"))
    removed: dict[str, int] = {}
    erased, held = _left_children_erase(
        school, grace_days=chosen.get(LEFT_CHILDREN, LEFT_CHILDREN_RULE["days"]), now=now
    )
    if erased:
        removed["privacy.children_erased"] = erased
    if held:
        removed["privacy.children_held"] = held
    for rule in retention_rules():
        cutoff = now - datetime.timedelta(days=chosen.get(rule["key"], rule["days"]))
        try:
            count = rule["purge"](school=school, cutoff=cutoff, now=now)
        except Exception:  # one rule's bug must not stop the others
            logger.exception("retention rule %s failed for school %s", rule["key"], school.pk)
            continue
        if count:
            removed[rule["key"]] = removed.get(rule["key"], 0) + count
    return RetentionRun.objects.create(school=school, at=now, removed=removed)


def retention_run_all(*, now: datetime.datetime | None = None) -> dict[int, dict[str, int]]:
    """Every school's retention; returns what was removed per school."""
    now = now or timezone.now()
    return {school.pk: retention_run(school=school, now=now).removed for school in School.objects.order_by("pk")}
