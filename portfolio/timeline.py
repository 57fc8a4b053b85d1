"""Each child's portfolio timeline: the works, and the entries other apps give (home activities: the
answers the teacher approved), merged newest first and grouped by month.

Other apps' entries come through a module of a fixed name, `portfolio_entries`, that the portfolio
finds with `autodiscover_modules` and never imports by name (features do not import each other).
Its `entries_for_child(*, child, start, end, domain=None, limit=None, user=None)` returns plain
records with: key, date, title, domain (its label), domain_code, text, feedback, media (a list of
MediaFile the person may see), media_kind and url (the entry's page for that person, or "").
The album (portfolio.printing.albums) reads the same function, without a person.

A page reads a fixed number of queries whatever the number of works and entries.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import sys
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from portfolio import policies
from portfolio.models import Work, WorkPhoto
from schools.models import Child, Domain, SchoolYear
from schools.selectors import in_schools_of

logger = logging.getLogger(__name__)

PER_PAGE = 24
MAX_PAGE = 40  # 960 items: a child's whole time at the school, many times over


# --- Other apps' entries ---------------------------------------------------------------------------------


def entry_providers() -> list:
    """Each installed app's `portfolio_entries.entries_for_child`, found by the module's name."""
    autodiscover_modules("portfolio_entries")
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.portfolio_entries")
        provider = getattr(module, "entries_for_child", None) if module is not None else None
        if provider is not None and config.name != "portfolio":
            found.append(provider)
    return found


def child_entries(*, child: Child, start=None, end=None, domain=None, limit=None, user=None) -> list:
    """Every app's entries for the child; an app whose entries fail is left out, never the page.

    The optional arguments are passed only when given: `entries_for_child(*, child, start, end)` is
    all an app must take (the album asks only that)."""
    options = {name: value for name, value in (("domain", domain), ("limit", limit), ("user", user)) if value}
    entries = []
    for provider in entry_providers():
        try:
            entries += list(provider(child=child, start=start, end=end, **options))
        except Exception:  # noqa: BLE001 (another app's failure leaves the works)
            logger.exception("portfolio entries of %s could not be read", provider.__module__)
    return entries


def _get(record, name: str, default=None):
    value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
    return default if value is None else value


# --- The page ------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One line of the timeline: a work or another app's entry."""

    kind: str  # "work", "entry"
    key: str
    date: datetime.date
    title: str
    domain: str  # its label
    url: str = ""
    picture: object = None  # a MediaFile (photo) shown as a thumbnail, when the consent allows
    photo_count: int = 0
    has_voice: bool = False  # a voice note the person may hear (the consent stands)
    text: str = ""
    feedback: str = ""
    media: list = field(default_factory=list)  # an entry's files
    media_kind: str = ""
    preparing: bool = False  # a work whose QR code or files are still being made


@dataclass
class Month:
    first_day: datetime.date
    items: list[Item]


@dataclass
class Timeline:
    child: Child
    months: list[Month]
    years: list[SchoolYear]
    year: SchoolYear | None
    domain: str
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def is_empty(self) -> bool:
        return not self.months


def child_for_portfolio(*, user, child_id: int) -> Child:
    """The child whose portfolio this person may see; 404 for anyone else."""
    children = in_schools_of(Child.objects.select_related("school", "classroom"), user=user)
    child = children.filter(pk=child_id).first()
    if child is None or not policies.can_view_portfolio(user, child):
        raise Http404
    return child


def school_years_of(child: Child) -> list[SchoolYear]:
    """The school years the child was at the school (a class that year, or a work): newest first."""
    return list(
        SchoolYear.objects.filter(
            Q(classrooms__enrolments__child=child) | Q(classrooms__works__child=child) | Q(classrooms__children=child),
            school_id=child.school_id,
        )
        .distinct()
        .order_by("-starts_on")
    )


def _works(child: Child, *, start, end, domain, limit: int) -> list[Work]:
    works = Work.objects.filter(school_id=child.school_id, child=child)
    if start is not None:
        works = works.filter(made_on__gte=start)
    if end is not None:
        works = works.filter(made_on__lte=end)
    if domain:
        works = works.filter(domain=domain)
    photos = WorkPhoto.objects.filter(school_id=child.school_id).select_related("media").order_by("position", "pk")
    return list(
        works.select_related("voice")
        .prefetch_related(Prefetch("photos", queryset=photos))
        .order_by("-made_on", "-pk")[:limit]
    )


def _work_item(work: Work, *, photos_shown: bool, voice_heard: bool, domains: dict) -> Item:
    from portfolio.selectors import work_is_ready

    photos = list(work.photos.all())
    return Item(
        kind="work",
        key=f"work:{work.pk}",
        date=work.made_on,
        title=work.title,
        domain=str(domains.get(work.domain, "")),
        url=reverse("portfolio:work", args=[work.token]),
        picture=photos[0].media if photos and photos_shown else None,
        photo_count=len(photos) if photos_shown else 0,
        has_voice=work.voice_id is not None and voice_heard,
        text=work.teacher_note,
        preparing=not work_is_ready(work, photos),
    )


def _entry_item(record, domains: dict) -> Item | None:
    date = _get(record, "date")
    if isinstance(date, datetime.datetime):
        date = date.date()
    if not isinstance(date, datetime.date):
        return None
    media = _get(record, "media", []) or []
    return Item(
        kind="entry",
        key=str(_get(record, "key", "")),
        date=date,
        title=str(_get(record, "title", "")),
        domain=str(_get(record, "domain", "") or domains.get(_get(record, "domain_code", ""), "")),
        url=str(_get(record, "url", "")),
        text=str(_get(record, "text", "")),
        feedback=str(_get(record, "feedback", "")),
        media=list(media) if isinstance(media, list | tuple) else [media],
        media_kind=str(_get(record, "media_kind", "")),
    )


def timeline(*, user, child: Child, year_id: int | None = None, domain: str = "", page: int = 1) -> Timeline:
    """One page of the child's timeline, for someone who may see the portfolio: works and entries of
    the school year and domain chosen (all by default), newest first, grouped by month.

    Pages are cut from the merged list: page n reads at most n pages of each kind, in the same
    number of queries."""
    page = min(max(1, page), MAX_PAGE)
    domain = domain if domain in Domain.values else ""
    years = school_years_of(child)
    year = next((y for y in years if y.pk == year_id), None)
    start, end = (year.starts_on, year.ends_on) if year is not None else (None, None)
    wanted = page * PER_PAGE + 1

    works = _works(child, start=start, end=end, domain=domain, limit=wanted)
    shown = (
        {
            c: policies.consented_child_ids([child.pk], c, school_ids=[child.school_id])
            for c in (policies.PHOTOS, policies.VOICE)
        }
        if works
        else {}
    )
    domains = dict(Domain.choices)
    items = [
        _work_item(
            work,
            photos_shown=child.pk in shown[policies.PHOTOS],
            voice_heard=child.pk in shown[policies.VOICE],
            domains=domains,
        )
        for work in works
    ]
    for record in child_entries(child=child, start=start, end=end, domain=domain or None, limit=wanted, user=user):
        item = _entry_item(record, domains)
        if item is not None:
            items.append(item)
    # Newest first; on the same day a work before an entry, each in its own order.
    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (-item.date.toordinal(), item.kind != "work", order[id(item)]))
    shown_items = items[(page - 1) * PER_PAGE : page * PER_PAGE]
    months = [
        Month(first_day=datetime.date(y, m, 1), items=list(group))
        for (y, m), group in itertools.groupby(shown_items, key=lambda item: (item.date.year, item.date.month))
    ]
    return Timeline(
        child=child,
        months=months,
        years=years,
        year=year,
        domain=domain,
        number=page,
        has_next=len(items) > page * PER_PAGE and page < MAX_PAGE,
    )
