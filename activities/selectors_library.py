"""Reads of the authorities' library of home activities and of commendations, scoped by the person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from activities import policies
from activities.models import Activity, ActivityPhoto, Commendation, LibraryAdoption, LibraryEntry
from schools.models import Authority, Classroom, School
from schools.policies import access_for


def library_authority_ids_for(*, user) -> set[int]:
    """The libraries of the schools where the person posts activities (their communes and provinces);
    read once per request and kept on the user."""
    cached = getattr(user, "_library_authority_ids", None)
    if cached is not None:
        return cached
    school_ids = access_for(user).schools_with(policies.POSTING_ROLES)
    ids: set[int] = set()
    if school_ids:
        for commune_id, province_id in School.objects.filter(pk__in=school_ids).values_list(
            "authority_id", "authority__province_id"
        ):
            ids |= {commune_id} | ({province_id} if province_id else set())
    user._library_authority_ids = ids
    return ids


def libraries_for(*, user) -> list[Authority]:
    """The libraries the person uses: those of their schools, and those of the authorities they serve."""
    ids = library_authority_ids_for(user=user) | set(access_for(user).authority_ids)
    if not ids:
        return []
    return list(Authority.objects.filter(pk__in=ids).select_related("province").order_by("level", "name"))


def library_get(*, user, slug: str) -> Authority:
    """An authority's library, or 404 for anyone who may not browse it (no hint that it exists)."""
    authority = Authority.objects.select_related("province").filter(slug=slug).first()
    if authority is None or not policies.can_browse_library(
        user, authority, authority_ids_of_schools=library_authority_ids_for(user=user)
    ):
        raise Http404
    return authority


def _entries() -> QuerySet[LibraryEntry]:
    return LibraryEntry.objects.select_related(
        "authority", "school", "activity", "activity__video", "activity__voice", "offered_by"
    ).prefetch_related(
        Prefetch("activity__photos", queryset=ActivityPhoto.objects.select_related("media")),
    )


def library_entries(
    *, authority: Authority, query: str = "", domain: str = "", age_group: str = "", state: str = ""
) -> QuerySet[LibraryEntry]:
    """The library's approved activities (or those in `state`, for its officers), featured first, with how
    often each was copied; searched in the title, the instructions and the materials."""
    entries = _entries().filter(authority=authority, state=state or LibraryEntry.State.APPROVED)
    query = (query or "").strip()
    if query:
        entries = entries.filter(
            Q(activity__title__icontains=query)
            | Q(activity__instructions__icontains=query)
            | Q(activity__materials__icontains=query)
        )
    if domain:
        entries = entries.filter(domain=domain)
    if age_group:
        entries = entries.filter(age_group=age_group)
    # Counting drops the model's ordering: give it again.
    return entries.annotate(reuse_count=Count("adoptions")).order_by("-featured", "-decided_at", "-offered_at", "-pk")


def library_entry_get(*, user, entry_id: int) -> LibraryEntry:
    entry = _entries().filter(pk=entry_id).first()
    if entry is None or not policies.can_view_library_entry(
        user, entry, authority_ids_of_schools=library_authority_ids_for(user=user)
    ):
        raise Http404
    return entry


def classrooms_for_adopting(*, user, entry: LibraryEntry) -> list[Classroom]:
    """The current classes the person may copy this activity into (of other schools under the library)."""
    school_ids = access_for(user).schools_with(policies.POSTING_ROLES) - {entry.school_id}
    if not school_ids or not entry.is_approved:
        return []
    classrooms = (
        Classroom.objects.filter(school_id__in=school_ids, school_year__is_current=True)
        .select_related("school__authority")
        .order_by("school__name", "name")
    )
    return [c for c in classrooms if policies.can_adopt(user, entry, c)]


def adoption_of(*, activity: Activity) -> LibraryAdoption | None:
    """Where a copied activity came from (None for a school's own)."""
    return LibraryAdoption.objects.filter(activity=activity).first()


@dataclass
class Reuse:
    entry: LibraryEntry
    count: int
    school_names: list[str]


def library_reuse(*, authority: Authority) -> list[Reuse]:
    """Each activity of the library with how often it was copied and by which schools (names only), the most
    copied first: two queries."""
    entries = list(
        _entries()
        .filter(authority=authority, state=LibraryEntry.State.APPROVED)
        .annotate(reuse_count=Count("adoptions"))
        .order_by("-reuse_count", "activity__title", "pk")
    )
    names: dict[int, set[str]] = {}
    for entry_id, name in LibraryAdoption.objects.filter(entry__in=entries).values_list("entry_id", "school__name"):
        names.setdefault(entry_id, set()).add(name)
    return [Reuse(entry=e, count=e.reuse_count, school_names=sorted(names.get(e.pk, ()))) for e in entries]


# --- Commendations ----------------------------------------------------------------------------------


def schools_under(*, authority: Authority) -> QuerySet[School]:
    """The schools a commune licenses, or every school of a province's communes."""
    if authority.is_province:
        return School.objects.filter(authority__province=authority).order_by("name")
    return School.objects.filter(authority=authority).order_by("name")


def commendations_of_authority(*, authority: Authority) -> QuerySet[Commendation]:
    return Commendation.objects.filter(authority=authority).select_related("school")


def commendation_get(*, user, authority: Authority, commendation_id: int) -> Commendation:
    commendation = Commendation.objects.filter(authority=authority, pk=commendation_id).first()
    if commendation is None or not policies.can_curate_library(user, authority):
        raise Http404
    return commendation


def commendations_for_school(*, school: School, limit: int = 20) -> list[Commendation]:
    """What the authorities said of the school and its families, newest first: for its public page."""
    return list(Commendation.objects.filter(school=school).select_related("authority")[:limit])
