"""The authorities' dashboard: an officer's schools side by side, for a month, a term or a school year.

Officers of the authority (and a provincial officer for each commune of the province) see it; anyone else
gets the 404 of an authority that does not exist (`schools.selectors.authority_get`). Only school totals,
already protected at night (`reports.area`): no child, no class. The tables are rendered once per build,
period, section and language and kept in the cache with the authority (a province's has 500 schools):
a request that finds them costs no query besides the sign-in's.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from coordination.lib import fragments
from reports import area as figures
from reports import periods
from reports.sections import sections
from schools.policies import can_view_authority

PAGE = "reports.area_page"


def _parts(request, slug: str) -> tuple[periods.Period, str] | None:
    """The period and section an address asks for; None for one that does not exist."""
    key = request.GET.get("period") or periods.month_of(timezone.localdate()).key
    try:
        period = periods.parse(key)
    except ValueError:
        return None
    keys = [section.key for section in sections()]
    chosen = request.GET.get("section") or (keys[0] if keys else "")
    if keys and chosen not in keys:
        return None
    return period, chosen


def _page_args(slug: str, period: periods.Period, section: str) -> dict:
    # The same for every officer who may see it: renewed by each night's build and by any change of an
    # authority (reports.area.AREA_TOPIC); the day and the language are part of every kept value's key.
    return {"schools": (), "topics": [figures.AREA_TOPIC], "extra": f"{slug}:{period.key}:{section}"}


_AREA_PATH = re.compile(r"/reports/area/([-\w]+)/")


def read_ahead(request) -> list[str]:
    """On a dashboard's address, its kept page is read with the person's values (coordination/lib/percache.py)."""
    match = _AREA_PATH.fullmatch(request.path_info)
    parts = _parts(request, match.group(1)) if match else None
    if parts is None:
        return []
    return fragments.read_ahead(None, PAGE, **_page_args(match.group(1), *parts))


@login_required
@require_safe
def area_dashboard(request, slug: str):
    """One authority's schools side by side for the period asked (`?period=2026-09`, `2026-t1`, `2026`).

    The page's content is kept whole with its authority (coordination/lib/fragments.py), read ahead with
    the person's values: who may see it is checked on every request."""
    parts = _parts(request, slug)
    if parts is None:
        raise Http404
    period, chosen = parts
    authority, content = fragments.kept(
        None, PAGE, lambda: _page(slug, period, chosen), **_page_args(slug, period, chosen)
    )
    if authority is None or not can_view_authority(request.user, authority):
        raise Http404
    return render(request, "reports/area.html", {"authority": authority, "content": content})


def _page(slug: str, period: periods.Period, chosen: str):
    """The authority of the address and its dashboard's content (None, "" for no such authority)."""
    authority, built_at = figures.area_authority_built(slug=slug, period=period)
    if authority is None:
        return None, ""
    today = timezone.localdate()
    # One section at a time, chosen in the tabs: a province's 500 schools times every app's figures would
    # make a page of half a megabyte for an officer's phone.
    tabs = [{"key": section.key, "title": section.title} for section in sections()]
    computed_at = timezone.localtime(built_at) if built_at else None
    table, schools_folded = None, 0
    if computed_at is not None:
        dashboard = figures.area_dashboard(authority=authority, period=period)
        table = next((table for table in dashboard.tables if table.section.key == chosen), None)
        schools_folded = dashboard.schools_folded
    content = render_to_string(
        "reports/_area_content.html",
        {
            "authority": authority,
            "chosen": {"table": table},
            "period": period,
            "tabs": tabs,
            "section": chosen,
            "choices": figures.period_choices(period),
            "current": period.start <= today <= period.end,
            "computed_at": computed_at,
            "computed_today": computed_at is not None and computed_at.date() == today,
            "chart_width": figures.CHART_WIDTH,
            "schools_folded": schools_folded,
        },
    )
    return authority, mark_safe(content)  # noqa: S308 (rendered by our template just above)
