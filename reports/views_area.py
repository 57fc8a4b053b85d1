"""The authorities' dashboard: an officer's schools side by side, for a month, a term or a school year.

Officers of the authority (and a provincial officer for each commune of the province) see it; anyone else
gets the 404 of an authority that does not exist (`schools.selectors.authority_get`). Only school totals,
already protected at night (`reports.area`): no child, no class. The tables are rendered once per build,
period and language and kept in the cache (a province's has 500 schools): a request that finds them
costs two queries besides the sign-in's.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from reports import area as figures
from reports import periods
from reports.sections import sections

CACHE_SECONDS = 26 * 3600  # a night's build lives a day; the next one has another key


@login_required
@require_safe
def area_dashboard(request, slug: str):
    """One authority's schools side by side for the period asked (`?period=2026-09`, `2026-t1`, `2026`)."""
    today = timezone.localdate()
    key = request.GET.get("period") or periods.month_of(today).key
    try:
        period = periods.parse(key)
    except ValueError:
        raise Http404 from None
    authority, built_at = figures.area_authority_get(user=request.user, slug=slug, period=period)
    # One section at a time, chosen in the tabs: a province's 500 schools times every app's figures would
    # make a page of half a megabyte for an officer's phone.
    tabs = [{"key": section.key, "title": section.title} for section in sections()]
    chosen = request.GET.get("section") or (tabs[0]["key"] if tabs else "")
    if tabs and chosen not in {tab["key"] for tab in tabs}:
        raise Http404
    computed_at = timezone.localtime(built_at) if built_at else None
    return render(
        request,
        "reports/area.html",
        {
            "authority": authority,
            # Read only when the tables are not in the cache: they change with each night's build, whose
            # time is in the cache key, and are the same for every officer who may see them.
            "chosen": SimpleLazyObject(
                lambda: {
                    "table": next(
                        (
                            table
                            for table in figures.area_dashboard(authority=authority, period=period).tables
                            if table.section.key == chosen
                        ),
                        None,
                    )
                }
            ),
            "cache_stamp": built_at.timestamp() if built_at else "",
            "cache_seconds": CACHE_SECONDS,
            "period": period,
            "tabs": tabs,
            "section": chosen,
            "choices": SimpleLazyObject(lambda: figures.period_choices(period)),  # read on a cache miss
            "tabs_key": ",".join(tab["key"] for tab in tabs),
            "current": period.start <= today <= period.end,
            "computed_at": computed_at,
            "computed_today": computed_at is not None and computed_at.date() == today,
            "chart_width": figures.CHART_WIDTH,
        },
    )
