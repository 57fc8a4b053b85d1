"""Reads for the events pages, each taking the person who asks (a refused person gets 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from community import policies_events as policies
from community.models import Event, EventAnswer, EventPhoto, VolunteerRole, VolunteerSignup
from parents.models import ConsentPurpose, Guardianship
from parents.selectors import consent_granted_child_ids
from schools.models import LEADER_ROLES, Child, Classroom, School, StaffRole
from schools.policies import access_for, guardian_children

RECENT_DAYS = 60  # how long a past event stays listed (its gallery is filled after it)


def _events():
    return Event.objects.prefetch_related(Prefetch("classrooms", queryset=Classroom.objects.order_by("name")))


def events_for(*, user, now: datetime.datetime | None = None) -> list[Event]:
    """The events a person is invited to or works on, from two months ago on."""
    now = now or timezone.now()
    access = access_for(user)
    condition = Q(pk__in=[])
    for school_id, role in access.roles_by_school.items():
        if role in LEADER_ROLES:
            condition |= Q(school_id=school_id)
        elif role == StaffRole.TEACHER:
            condition |= Q(school_id=school_id) & (Q(whole_school=True) | Q(classrooms__in=access.taught_classroom_ids))
    for child in guardian_children(user):
        condition |= Q(school_id=child.school_id) & (Q(whole_school=True) | Q(classrooms=child.classroom_id))
    since = now - datetime.timedelta(days=RECENT_DAYS)
    return list(_events().filter(condition, ends_at__gte=since).distinct().order_by("starts_at", "pk"))


def event_for_viewing(*, user, event_id: int) -> Event:
    event = _events().select_related("school").filter(pk=event_id).first()
    if event is None or not policies.can_view_event(user, event):
        raise Http404
    return event


def event_for_organising(*, user, event_id: int) -> Event:
    event = _events().select_related("school").filter(pk=event_id).first()
    if event is None or not policies.can_organise_event(user, event):
        raise Http404
    return event


def event_for_answering(*, user, event_id: int) -> Event:
    event = _events().filter(pk=event_id).first()
    if event is None or not policies.can_answer_event(user, event):
        raise Http404
    return event


def can_manage_gallery(*, user, event: Event) -> bool:
    return policies.can_manage_gallery(user, event)


def schools_for_creating(*, user) -> list[School]:
    """The schools where the person may plan an event (for the list page's links)."""
    ids = [pk for pk in access_for(user).roles_by_school if policies.can_create_event_at(user, pk)]
    return list(School.objects.filter(pk__in=ids).order_by("name")) if ids else []


def role_for_organising(*, user, role_id: int) -> VolunteerRole:
    role = VolunteerRole.objects.select_related("event").filter(pk=role_id).first()
    if role is None or not policies.can_organise_event(user, role.event):
        raise Http404
    return role


def role_for_signing_up(*, user, role_id: int) -> VolunteerRole:
    role = VolunteerRole.objects.select_related("event").filter(pk=role_id).first()
    if role is None or not policies.can_answer_event(user, role.event):
        raise Http404
    return role


def school_for_creating(*, user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not policies.can_create_event_at(user, school.pk):
        raise Http404
    return school


def classrooms_for_creating(*, user, school: School) -> list[Classroom]:
    classes = Classroom.objects.filter(school=school).order_by("name")
    allowed = policies.creatable_classroom_ids(user, school.pk, [c.pk for c in classes])
    return [c for c in classes if c.pk in allowed]


def roles_with_counts(*, event: Event) -> list[VolunteerRole]:
    """The event's roles, each with `taken` (sign-ups so far) and `free`."""
    roles = list(VolunteerRole.objects.filter(event=event).annotate(taken=Count("signups")).order_by("pk"))
    for role in roles:
        role.free = max(role.slots - role.taken, 0)
    return roles


@dataclass
class EventPage:
    event: Event
    roles: list
    answer: EventAnswer | None
    my_role_ids: set
    children: list
    coming_families: int
    coming_people: int
    can_organise: bool
    can_answer: bool
    is_past: bool
    family_answers: list = field(default_factory=list)  # the answers of the children's other guardians


def event_page(*, user, event: Event, now: datetime.datetime | None = None) -> EventPage:
    """What the event's page shows one person: a fixed number of queries however many roles and answers."""
    now = now or timezone.now()
    roles = roles_with_counts(event=event)
    children = policies.invited_children(user, event)
    answer = EventAnswer.objects.filter(event=event, guardian=user).first() if children else None
    mine = (
        set(VolunteerSignup.objects.filter(role__event=event, guardian=user).values_list("role_id", flat=True))
        if children
        else set()
    )
    family_answers = []
    if children:
        others = Guardianship.objects.active().filter(child__in=children).exclude(guardian=user).values("guardian_id")
        family_answers = list(
            EventAnswer.objects.filter(event=event, guardian_id__in=others).select_related("guardian").order_by("pk")
        )
    answers = list(EventAnswer.objects.filter(event=event).only("guardian_id", "coming", "people", "answered_at"))
    links = Guardianship.objects.active().filter(
        guardian_id__in=EventAnswer.objects.filter(event=event).values("guardian_id"), child__school_id=event.school_id
    )
    pairs = links.values_list("guardian_id", "child_id")
    coming_families, coming_people, _not_coming = household_totals(answers, pairs)
    return EventPage(
        event=event,
        roles=roles,
        answer=answer,
        my_role_ids=mine,
        children=children,
        coming_families=coming_families,
        coming_people=coming_people,
        can_organise=policies.can_organise_event(user, event),
        can_answer=bool(children) and event.ends_at >= now and event.cancelled_at is None,
        is_past=event.ends_at < now,
        family_answers=family_answers,
    )


@dataclass
class FamilyRow:
    guardian: object
    children: list
    answer: EventAnswer | None
    roles: list = field(default_factory=list)


@dataclass
class OrganiserView:
    event: Event
    roles: list  # each with .people: the guardians signed up, in order
    families: list  # FamilyRow for every invited family, answered or not
    answered: int
    coming_families: int
    coming_people: int
    not_coming: int


def organiser_view(*, event: Event) -> OrganiserView:
    """Answers and sign-ups per role, for the organisers and the exports (a fixed number of queries)."""
    roles = roles_with_counts(event=event)
    signups = list(
        VolunteerSignup.objects.filter(role__event=event).select_related("guardian").order_by("created_at", "pk")
    )
    by_role: dict[int, list] = {}
    roles_by_guardian: dict[int, list] = {}
    names = {r.pk: r.name for r in roles}
    for s in signups:
        by_role.setdefault(s.role_id, []).append(s.guardian)
        roles_by_guardian.setdefault(s.guardian_id, []).append(names.get(s.role_id, ""))
    for role in roles:
        role.people = by_role.get(role.pk, [])
    answers = {a.guardian_id: a for a in EventAnswer.objects.filter(event=event).select_related("guardian")}
    children = Child.objects.filter(school_id=event.school_id, left_on__isnull=True)
    if not event.whole_school:
        children = children.filter(classroom_id__in=policies.event_classroom_ids(event))
    links = (
        Guardianship.objects.active()
        .filter(child__in=children, guardian__is_active=True)
        .select_related("guardian", "child")
        .order_by("child__full_name", "pk")
    )
    rows: dict[int, FamilyRow] = {}
    for link in links:
        row = rows.setdefault(link.guardian_id, FamilyRow(guardian=link.guardian, children=[], answer=None))
        row.children.append(link.child)
    for guardian_id, answer in answers.items():
        rows.setdefault(guardian_id, FamilyRow(guardian=answer.guardian, children=[], answer=None)).answer = answer
    for guardian_id, role_names in roles_by_guardian.items():
        if guardian_id in rows:
            rows[guardian_id].roles = role_names
    families = sorted(rows.values(), key=lambda r: (r.children[0].full_name if r.children else "~", r.guardian.pk))
    coming_families, coming_people, not_coming = household_totals(
        list(answers.values()), [(row.guardian.pk, child.pk) for row in rows.values() for child in row.children]
    )
    return OrganiserView(
        event=event,
        roles=roles,
        families=families,
        answered=len(answers),
        coming_families=coming_families,
        coming_people=coming_people,
        not_coming=not_coming,
    )


def household_totals(answers, guardian_child_pairs) -> tuple[int, int, int]:
    """(families coming, people coming, families not coming), where the guardians of the same child are one
    family whose latest answer counts: two parents who both answer "coming, 3" are three people, not six."""
    family: dict[int, int] = {}

    def root(guardian_id: int) -> int:
        while family.setdefault(guardian_id, guardian_id) != guardian_id:
            guardian_id = family[guardian_id]
        return guardian_id

    first_guardian_of: dict[int, int] = {}
    for guardian_id, child_id in guardian_child_pairs:
        other = first_guardian_of.setdefault(child_id, guardian_id)
        family[root(guardian_id)] = root(other)
    latest: dict[int, EventAnswer] = {}
    for answer in answers:
        key = root(answer.guardian_id)
        if key not in latest or (answer.answered_at, answer.pk) > (latest[key].answered_at, latest[key].pk):
            latest[key] = answer
    coming = [a for a in latest.values() if a.coming]
    return len(coming), sum(a.people for a in coming), len(latest) - len(coming)


@dataclass
class GalleryPhoto:
    photo: EventPhoto
    children: list
    shown_to_families: bool


def gallery_for(*, user, event: Event) -> list[GalleryPhoto]:
    """The photos this person may see: all of them for the event's staff; for a family, the tagged photos
    whose every child is consented to shared galleries now (a fixed number of queries)."""
    photos = list(
        EventPhoto.objects.filter(event=event, media__state="ready")
        .select_related("media")
        .prefetch_related(Prefetch("children", queryset=Child.objects.order_by("full_name")))
        .order_by("created_at", "pk")
    )
    tagged = {c.pk for p in photos for c in p.children.all()}
    consented = consent_granted_child_ids(child_ids=tagged, purpose=ConsentPurpose.SHARED_PHOTOS)
    staff = policies.can_manage_gallery(user, event)
    shown = []
    for p in photos:
        ids = [c.pk for c in p.children.all()]
        for_families = policies.photo_visible_to_family(ids, consented)
        if staff or for_families:
            shown.append(GalleryPhoto(photo=p, children=list(p.children.all()), shown_to_families=for_families))
    return shown


def gallery_children(*, event: Event) -> list[Child]:
    """The children who could appear in the event's photos: those of its classes (or school)."""
    children = Child.objects.filter(school_id=event.school_id, left_on__isnull=True)
    if not event.whole_school:
        children = children.filter(classroom_id__in=policies.event_classroom_ids(event))
    return list(children.select_related("classroom").order_by("classroom__name", "full_name"))


def photo_for_tagging(*, user, photo_id: int) -> EventPhoto:
    photo = EventPhoto.objects.select_related("event").filter(pk=photo_id).first()
    if photo is None or not policies.can_manage_gallery(user, photo.event):
        raise Http404
    return photo


def can_view_event_media(user, media) -> bool:
    """The mediafiles resolver for event photos: the event's staff, and invited guardians when every
    tagged child is consented to shared galleries at this moment."""
    photo = EventPhoto.objects.filter(media_id=media.pk).select_related("event").first()
    if photo is None:
        return False
    event = photo.event
    if policies.can_manage_gallery(user, event):
        return True
    if not policies.is_invited(user, event):
        return False
    tagged = list(photo.children.values_list("pk", flat=True))
    consented = consent_granted_child_ids(child_ids=tagged, purpose=ConsentPurpose.SHARED_PHOTOS)
    return policies.photo_visible_to_family(tagged, consented)


def invited_guardian_ids(*, event: Event) -> set[int]:
    """The active guardians of the children the event is for."""
    children = {"child__school_id": event.school_id, "child__left_on__isnull": True}
    if not event.whole_school:
        children["child__classroom_id__in"] = list(policies.event_classroom_ids(event))
    return set(
        Guardianship.objects.active().filter(guardian__is_active=True, **children).values_list("guardian_id", flat=True)
    )
