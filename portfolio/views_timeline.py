"""Each child's portfolio timeline: the works and the approved home-activity answers, newest first,
for the child's guardians and family viewers (read-only, and after the child leaves during the
after-leaving period) and the staff who may see the child. Everyone else gets the 404 of something
that does not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portfolio import policies, timeline
from schools.models import ChildRead, Domain
from schools.services import child_read_log


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@login_required
@require_safe
def child_portfolio(request, child_id: int):
    child = timeline.child_for_portfolio(user=request.user, child_id=child_id)
    page = timeline.timeline(
        user=request.user,
        child=child,
        year_id=_number(request.GET.get("year", "")),
        domain=request.GET.get("domain", ""),
        page=_number(request.GET.get("page", "")) or 1,
    )
    context = {
        "child": child,
        "page": page,
        "domains": Domain.choices,
        "can_have_albums": policies.can_have_albums(request.user, child),
        # The family of a child who left is told until when they may look.
        "access_ends": policies.family_access_ends(child) if policies.is_family_of(request.user, child) else None,
    }
    child_read_log(reader=request.user, child=child, area=ChildRead.Area.PORTFOLIO)
    return render(request, "portfolio/timeline/child_portfolio.html", context)
