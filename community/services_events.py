"""Writes for events: each one atomic, keyword-only, refusing with a ValidationError that says why and
changing nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from community import policies_events as policies
from community.models import Event, EventAnswer, EventPhoto, VolunteerRole, VolunteerSignup
from mediafiles.models import Kind, MediaFile
from mediafiles.services import media_pick_for_attaching
from schools.models import Child, Classroom, School
from schools.policies import is_leader_of

MAX_PEOPLE = 20  # a family's answer: more than this is a typing slip
MAX_SLOTS = 500
MAX_PHOTOS_AT_ONCE = 50


def _role_problems(roles: Sequence[tuple[str, int | None]]) -> list[str]:
    problems, seen = [], set()
    for name, slots in roles:
        name = (name or "").strip()
        if not name:
            problems.append(_("Give each volunteer role a name."))
        elif name.casefold() in seen:
            problems.append(_("The role “%(name)s” is listed twice.") % {"name": name})
        seen.add(name.casefold())
        if slots is None or slots < 1:
            problems.append(_("The role “%(name)s” needs at least one place.") % {"name": name or "–"})
        elif slots > MAX_SLOTS:
            problems.append(_("The role “%(name)s” has too many places.") % {"name": name})
    return problems


@transaction.atomic
def event_create(
    *,
    by,
    school: School,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    programme: str = "",
    whole_school: bool = False,
    classrooms: Iterable[Classroom] = (),
    roles: Sequence[tuple[str, int | None]] = (),
    now: datetime.datetime | None = None,
) -> Event:
    """Create an event with its volunteer roles; refused in the past, without guests or with a role of no place."""
    if not policies.can_create_event_at(by, school.pk):
        raise PermissionDenied
    now = now or timezone.now()
    classrooms = list(classrooms)
    problems: dict[str, list[str]] = {}
    if not (title or "").strip():
        problems.setdefault("title", []).append(_("Give the event a title."))
    if not (place or "").strip():
        problems.setdefault("place", []).append(_("Say where the event takes place."))
    if starts_at < now:
        problems.setdefault("starts_at", []).append(_("The event cannot start in the past."))
    if ends_at < starts_at:
        problems.setdefault("ends_at", []).append(_("The event ends after it starts."))
    if any(c.school_id != school.pk for c in classrooms):
        problems.setdefault("classrooms", []).append(_("Choose classes of this school."))
    allowed = policies.creatable_classroom_ids(by, school.pk, [c.pk for c in classrooms])
    if whole_school and not is_leader_of(by, school.pk):
        problems.setdefault("whole_school", []).append(_("Only the school's leaders invite the whole school."))
    if not whole_school and not classrooms:
        problems.setdefault("classrooms", []).append(_("Choose the classes invited, or the whole school."))
    elif len(allowed) != len(classrooms):
        problems.setdefault("classrooms", []).append(_("You may invite only the classes you teach."))
    role_problems = _role_problems(roles)
    if role_problems:
        problems["roles"] = role_problems
    if problems:
        raise ValidationError(problems)
    event = Event.objects.create(
        school=school,
        title=title.strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        programme=(programme or "").strip(),
        whole_school=whole_school,
        created_by=by,
    )
    if not whole_school:
        event.classrooms.set(classrooms, through_defaults={"school": school})
    VolunteerRole.objects.bulk_create(
        [VolunteerRole(school=school, event=event, name=name.strip(), slots=slots) for name, slots in roles]
    )
    return event


@transaction.atomic
def volunteer_role_add(*, by, event: Event, name: str, slots: int | None, description: str = "") -> VolunteerRole:
    """Add a volunteer role to an event that has not ended; a role of no place is refused."""
    if not policies.can_organise_event(by, event):
        raise PermissionDenied
    problems = _role_problems([(name, slots)])
    if not problems and VolunteerRole.objects.filter(event=event, name__iexact=name.strip()).exists():
        problems.append(_("The role “%(name)s” is listed twice.") % {"name": name.strip()})
    if event.ends_at < timezone.now():
        problems.append(_("The event is over."))
    if problems:
        raise ValidationError(problems)
    return VolunteerRole.objects.create(
        school_id=event.school_id, event=event, name=name.strip(), slots=slots, description=description.strip()
    )


@transaction.atomic
def event_answer(*, by, event: Event, coming: bool, people: int | None) -> EventAnswer:
    """A family says whether they come, and with how many people (answering again replaces the answer)."""
    if not policies.can_answer_event(by, event):
        raise PermissionDenied
    if event.cancelled_at is not None:
        raise ValidationError(_("The event is cancelled."))
    if event.ends_at < timezone.now():
        raise ValidationError(_("The event is over: answers are closed."))
    if coming:
        if people is None or people < 1:
            raise ValidationError({"people": _("Say how many people come (at least 1).")})
        if people > MAX_PEOPLE:
            raise ValidationError(
                {
                    "people": ngettext(
                        "At most %(count)s person per family.", "At most %(count)s people per family.", MAX_PEOPLE
                    )
                    % {"count": MAX_PEOPLE}
                }
            )
    else:
        people = 0
    answer, _created = EventAnswer.objects.update_or_create(
        event=event, guardian=by, defaults={"school_id": event.school_id, "coming": coming, "people": people}
    )
    return answer


def volunteer_signup(*, by, role: VolunteerRole) -> VolunteerSignup:
    """Sign a guardian up to a role: never beyond its places, never twice, even when many sign up at once."""
    try:
        return _volunteer_signup(by=by, role_id=role.pk)
    except IntegrityError:  # the same person at the same moment, in another request
        raise ValidationError(_("You have already signed up for this role.")) from None


@transaction.atomic
def _volunteer_signup(*, by, role_id: int) -> VolunteerSignup:
    # The role's row is the lock: sign-ups to one role queue here, so the count below is the truth.
    role = VolunteerRole.objects.select_for_update().select_related("event").get(pk=role_id)
    if not policies.can_answer_event(by, role.event):
        raise PermissionDenied
    if role.event.cancelled_at is not None:
        raise ValidationError(_("The event is cancelled."))
    if role.event.ends_at < timezone.now():
        raise ValidationError(_("The event is over."))
    if VolunteerSignup.objects.filter(role=role, guardian=by).exists():
        raise ValidationError(_("You have already signed up for this role."))
    if VolunteerSignup.objects.filter(role=role).count() >= role.slots:
        raise ValidationError(_("This role is full: every place is taken."))
    return VolunteerSignup.objects.create(school_id=role.school_id, role=role, guardian=by)


@transaction.atomic
def volunteer_cancel(*, by, role: VolunteerRole) -> None:
    """A guardian takes back their sign-up (before the event ends): the place is free again."""
    if not policies.can_answer_event(by, role.event):
        raise PermissionDenied
    if role.event.ends_at < timezone.now():
        raise ValidationError(_("The event is over."))
    deleted, _rows = VolunteerSignup.objects.filter(role=role, guardian=by).delete()
    if not deleted:
        raise ValidationError(_("You are not signed up for this role."))


def _photo_pick(value, *, by, school_id: int) -> MediaFile:
    media = media_pick_for_attaching(
        value, by=by, school_id=school_id, kinds={Kind.IMAGE}, wrong_kind=_("The gallery takes photos only.")
    )
    if EventPhoto.objects.filter(media=media).exists():
        raise ValidationError(_("This photo is already in a gallery."))
    return media


def _children_problem(event: Event, children: Iterable[Child]) -> str:
    classes = None if event.whole_school else policies.event_classroom_ids(event)
    for child in children:
        if child.school_id != event.school_id or (classes is not None and child.classroom_id not in classes):
            return _("Tag only children of the event's classes.")
    return ""


@transaction.atomic
def event_photos_add(
    *, by, event: Event, media_ids: Iterable[str], children: Iterable[Child] = (), caption: str = ""
) -> list[EventPhoto]:
    """Put uploaded photos in the event's gallery, tagged with the children they show (untagged: staff only)."""
    if not policies.can_manage_gallery(by, event):
        raise PermissionDenied
    values = list(dict.fromkeys(v for v in media_ids if v))
    children = list(children)
    problems = []
    if not values:
        problems.append(_("Upload at least one photo."))
    if len(values) > MAX_PHOTOS_AT_ONCE:
        problems.append(
            ngettext(
                "Add at most %(count)s photo at once.", "Add at most %(count)s photos at once.", MAX_PHOTOS_AT_ONCE
            )
            % {"count": MAX_PHOTOS_AT_ONCE}
        )
    picked = []
    for value in values[:MAX_PHOTOS_AT_ONCE]:
        try:
            picked.append(_photo_pick(value, by=by, school_id=event.school_id))
        except ValidationError as exc:
            problems.extend(exc.messages)
    problem = _children_problem(event, children)
    if problem:
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    photos = []
    for media in picked:
        photo = EventPhoto.objects.create(
            school_id=event.school_id, event=event, media=media, caption=caption.strip()[:200], added_by=by
        )
        photo.children.set(children, through_defaults={"school_id": event.school_id})
        photos.append(photo)
    return photos


@transaction.atomic
def event_photo_tag(*, by, photo: EventPhoto, children: Iterable[Child], caption: str | None = None) -> EventPhoto:
    """Say which children a photo shows (none: the photo is for staff only)."""
    if not policies.can_manage_gallery(by, photo.event):
        raise PermissionDenied
    children = list(children)
    problem = _children_problem(photo.event, children)
    if problem:
        raise ValidationError(problem)
    photo.children.set(children, through_defaults={"school_id": photo.school_id})
    if caption is not None:
        photo.caption = caption.strip()[:200]
        photo.save(update_fields=["caption"])
    return photo


@transaction.atomic
def event_photo_remove(*, by, photo: EventPhoto) -> None:
    """Take a photo out of the gallery (the file itself goes with the daily clean-up of unused files)."""
    if not policies.can_manage_gallery(by, photo.event):
        raise PermissionDenied
    photo.delete()


def _tell_invited(*, event: Event, title, body, key: str) -> None:
    """Tell the event's invited families and its volunteers (the words carry no child's details)."""
    from django.urls import reverse

    from community.selectors_events import invited_guardian_ids
    from notifications.models import Category
    from notifications.services import notice_fan_out

    recipients = invited_guardian_ids(event=event) | set(
        VolunteerSignup.objects.filter(role__event=event).values_list("guardian_id", flat=True)
    )
    if not recipients:
        return
    local = timezone.localtime(event.starts_at)
    transaction.on_commit(
        lambda: notice_fan_out(
            recipient_ids=sorted(recipients),
            category=Category.EVENTS,
            title=title,
            body=body,
            url=reverse("community:event_detail", args=[event.pk]),
            dedupe_key=key,
            school=event.school,
            context={
                "title": event.title,
                "date": local.strftime("%d/%m/%Y"),
                "time": local.strftime("%H:%M"),
                "place": event.place,
                "reason": event.cancel_reason,
            },
        )
    )


CHANGED_TITLE = gettext_lazy("Changed: %(title)s")
CHANGED_BODY = gettext_lazy("%(title)s is now on %(date)s at %(time)s, at %(place)s.")
CANCELLED_TITLE = gettext_lazy("Cancelled: %(title)s")
CANCELLED_BODY = gettext_lazy("%(title)s on %(date)s is cancelled. %(reason)s")


@transaction.atomic
def event_update(
    *,
    by,
    event: Event,
    title: str,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    programme: str = "",
    now: datetime.datetime | None = None,
) -> Event:
    """Change an event that is still to come; when its time or place changes, the families and volunteers are told."""
    if not policies.can_organise_event(by, event):
        raise PermissionDenied
    now = now or timezone.now()
    problems: dict[str, list[str]] = {}
    if event.cancelled_at is not None:
        raise ValidationError(_("The event is cancelled."))
    if event.ends_at < now:
        raise ValidationError(_("The event is over."))
    if not (title or "").strip():
        problems.setdefault("title", []).append(_("Give the event a title."))
    if not (place or "").strip():
        problems.setdefault("place", []).append(_("Say where the event takes place."))
    if starts_at < now and abs(starts_at - event.starts_at) >= datetime.timedelta(minutes=1):
        problems.setdefault("starts_at", []).append(_("The event cannot start in the past."))
    if ends_at < starts_at:
        problems.setdefault("ends_at", []).append(_("The event ends after it starts."))
    if problems:
        raise ValidationError(problems)
    # The form says the minute: seconds the event was stored with are no change.
    moved = abs(starts_at - event.starts_at) >= datetime.timedelta(minutes=1) or place.strip() != event.place
    event.title, event.kind, event.starts_at, event.ends_at = title.strip(), kind, starts_at, ends_at
    event.place, event.programme = place.strip(), (programme or "").strip()
    event.save(update_fields=["title", "kind", "starts_at", "ends_at", "place", "programme"])
    if moved:
        stamp = int(now.timestamp())  # each change is news of its own
        _tell_invited(event=event, title=CHANGED_TITLE, body=CHANGED_BODY, key=f"event:{event.pk}:moved:{stamp}")
    return event


@transaction.atomic
def event_cancel(*, by, event: Event, reason: str = "") -> Event:
    """Cancel an event still to come: no more answers or sign-ups, and the families and volunteers are told."""
    if not policies.can_organise_event(by, event):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.cancelled_at is not None:
        raise ValidationError(_("The event is already cancelled."))
    if event.ends_at < timezone.now():
        raise ValidationError(_("The event is over."))
    event.cancelled_at, event.cancel_reason = timezone.now(), (reason or "").strip()[:300]
    event.save(update_fields=["cancelled_at", "cancel_reason"])
    _tell_invited(event=event, title=CANCELLED_TITLE, body=CANCELLED_BODY, key=f"event:{event.pk}:cancelled")
    return event


@transaction.atomic
def volunteer_role_change(*, by, role: VolunteerRole, slots: int | None) -> VolunteerRole:
    """Change a role's number of places: at least one, and never fewer than the people signed up."""
    role = VolunteerRole.objects.select_for_update().select_related("event").get(pk=role.pk)
    if not policies.can_organise_event(by, role.event):
        raise PermissionDenied
    taken = VolunteerSignup.objects.filter(role=role).count()
    problems = _role_problems([(role.name, slots)])
    if not problems and slots < taken:
        problems.append(
            ngettext(
                "%(count)s person has signed up for “%(name)s”: keep at least that many places.",
                "%(count)s people have signed up for “%(name)s”: keep at least that many places.",
                taken,
            )
            % {"count": taken, "name": role.name}
        )
    if problems:
        raise ValidationError(problems)
    role.slots = slots
    role.save(update_fields=["slots"])
    return role


@transaction.atomic
def volunteer_role_remove(*, by, role: VolunteerRole) -> None:
    """Remove a role nobody has signed up for (a role with volunteers is theirs to cancel first)."""
    role = VolunteerRole.objects.select_for_update().select_related("event").get(pk=role.pk)
    if not policies.can_organise_event(by, role.event):
        raise PermissionDenied
    if VolunteerSignup.objects.filter(role=role).exists():
        raise ValidationError(_("People have signed up for “%(name)s”: it cannot be removed.") % {"name": role.name})
    role.delete()
