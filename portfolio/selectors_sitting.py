"""Reads of the pages where teachers record works: a class's works, the class grid of a sitting, the
photos a form names, the work being edited. Each takes the person and answers 404 (Http404) for
what they may not record, as for something that does not exist."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from mediafiles.models import MediaFile
from portfolio import policies
from portfolio.models import Work, WorkPhoto
from portfolio.selectors import work_is_ready
from schools.models import Child, Classroom
from schools.selectors import staff_classrooms


def classroom_for_recording(*, user, classroom_id: int) -> Classroom:
    """The class whose works this person records; 404 for anyone else."""
    classroom = staff_classrooms(user=user).select_related("school").filter(pk=classroom_id).first()
    if classroom is None or not policies.can_record_works(user, classroom):
        raise Http404
    return classroom


def classrooms_for_recording(*, user) -> list[Classroom]:
    """The classes whose works this person records: the classes they teach, every class of a school they lead."""
    from django.db.models import Q

    from schools.policies import access_for, leader_school_ids

    if not getattr(user, "is_authenticated", False):
        return []
    taught = access_for(user).taught_classroom_ids
    leading = leader_school_ids(user)
    if not taught and not leading:
        return []
    found = Classroom.objects.filter(Q(pk__in=taught) | Q(school_id__in=leading)).select_related("school")
    return list(found.order_by("school__name", "name"))


def work_for_managing(*, user, work_id: int) -> Work:
    """The work this person may edit, with its child, class, school and voice note; 404 for anyone else."""
    work = Work.objects.select_related("child", "classroom__school", "school", "voice").filter(pk=work_id).first()
    if work is None or not policies.can_manage_work(user, work):
        raise Http404
    return work


# --- A class's works ------------------------------------------------------------------------------------


@dataclass
class WorkRow:
    work: Work
    thumb: MediaFile | None  # the first photo, only while the consent to portfolio photos stands
    photo_count: int
    ready: bool


def _photos(*, school_id: int) -> Prefetch:
    photos = WorkPhoto.objects.filter(school_id=school_id)
    return Prefetch("photos", queryset=photos.select_related("media").order_by("position", "pk"))


def class_works(*, classroom: Classroom, date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    """The class's works, newest day first (a queryset, for a paginator)."""
    works = Work.objects.filter(school_id=classroom.school_id, classroom=classroom).select_related("child", "voice")
    works = works.prefetch_related(_photos(school_id=classroom.school_id))
    if date_from:
        works = works.filter(made_on__gte=date_from)
    if date_to:
        works = works.filter(made_on__lte=date_to)
    return works.order_by("-made_on", "child__full_name", "-pk")


def work_rows(works) -> list[WorkRow]:
    """Each work with its thumbnail (consent permitting) and whether it is ready: one query for the consents."""
    works = list(works)
    schools = {w.school_id for w in works}
    consented = policies.consented_child_ids({w.child_id for w in works}, policies.PHOTOS, school_ids=schools)
    rows = []
    for work in works:
        photos = list(work.photos.all())
        thumb = photos[0].media if photos and work.child_id in consented else None
        rows.append(WorkRow(work=work, thumb=thumb, photo_count=len(photos), ready=work_is_ready(work, photos)))
    return rows


# --- A sitting ----------------------------------------------------------------------------------------------


@dataclass
class GridChild:
    child: Child
    photos_allowed: bool  # the guardians' consent to portfolio photos stands
    voice_allowed: bool = False


def class_grid(*, classroom: Classroom) -> list[GridChild]:
    """The children in the class today, each with whether photos of their works may be kept."""
    children = list(classroom.children.filter(left_on__isnull=True).order_by("full_name", "pk"))
    consented = policies.consented_child_ids([c.pk for c in children], policies.PHOTOS)
    return [GridChild(child=c, photos_allowed=c.pk in consented) for c in children]


def photos_chosen(*, user, values) -> list[MediaFile]:
    """The files a form names that this person uploaded, in the order named (others' are left out)."""
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    found = {m.pk: m for m in MediaFile.objects.filter(pk__in=ids, uploaded_by=user)}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def work_photos(*, work: Work) -> list[WorkPhoto]:
    return list(work.photos.select_related("media").order_by("position", "pk"))


def voice_allowed(*, work: Work) -> bool:
    return work.child_id in policies.consented_child_ids([work.child_id], policies.VOICE)


def photos_allowed(*, work: Work) -> bool:
    return work.child_id in policies.consented_child_ids([work.child_id], policies.PHOTOS)
