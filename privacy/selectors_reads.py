"""Who looked at a child's records: the core's read log merged with the apps' own (health's)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.http import Http404

from privacy import policies
from privacy.declarations import reads_for
from schools.models import Child, ChildRead, StaffRole

PER_PAGE = 25


@dataclass(frozen=True)
class ReadRow:
    at: datetime.datetime
    reader_name: str
    role_label: str
    area_label: str


def child_for_reads(*, user, child_id: int) -> Child:
    """The child whose read log this person may see (a current guardian); 404 for anyone else."""
    child = Child.objects.filter(pk=child_id).select_related("school").first()
    if child is None or not policies.can_see_child_reads(user, child):
        raise Http404
    return child


def _app_label(area: str) -> str:
    labels = dict(ChildRead.Area.choices)
    return str(labels.get(area, area))


def child_reads(*, child: Child, page: int = 1) -> Page:
    """A page of who looked at the child's records and when, newest first.

    A fixed number of queries whatever the number of rows: the core's log, each app's own log (one
    query each) and one query for the names of the apps' readers.
    """
    roles = dict(StaffRole.choices)
    rows = [
        ReadRow(
            at=read.at,
            reader_name=read.reader_name,
            role_label=str(roles.get(read.reader_role, "")),
            area_label=_app_label(read.area),
        )
        for read in ChildRead.objects.filter(child=child).only("at", "reader_name", "reader_role", "area")
    ]
    others = reads_for([child.pk])
    # The apps' logs give a reader's id; their names and roles, when not given, come in one query.
    missing = {row["reader_id"] for row in others if row.get("reader_id") and not row.get("reader_name")}
    names = dict(get_user_model().objects.filter(pk__in=missing).values_list("pk", "full_name")) if missing else {}
    for row in others:
        rows.append(
            ReadRow(
                at=row["at"],
                reader_name=row.get("reader_name") or names.get(row.get("reader_id"), ""),
                role_label=str(roles.get(row.get("reader_role", ""), "")),
                area_label=_app_label(row.get("area", "")),
            )
        )
    rows.sort(key=lambda row: row.at, reverse=True)
    return Paginator(rows, PER_PAGE).get_page(page)
