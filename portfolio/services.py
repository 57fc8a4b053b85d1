"""Recording children's works, replacing their codes and marking them opened.

Every change that the QR images depend on queues their build on commit (portfolio.tasks).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordination.lib import fragments
from mediafiles.captions import media_transcript_set
from mediafiles.models import Kind, MediaFile
from mediafiles.services import media_pick_for_attaching
from portfolio import policies
from portfolio.models import RevokedToken, Work, WorkOpen, WorkPhoto, new_token
from schools.models import Child, Classroom, Domain, school_today

MAX_PHOTOS_PER_WORK = 10
MAX_PHOTOS_PER_SITTING = 60
TITLE_MAX = 200


def _queue_build(work_id: int) -> None:
    from portfolio.tasks import media_work_build

    transaction.on_commit(lambda: media_work_build.delay(work_id))


# --- Files ------------------------------------------------------------------------------------------------


def _is_attached(media: MediaFile) -> bool:
    return WorkPhoto.objects.filter(media=media).exists() or Work.objects.filter(voice=media).exists()


def media_pick(value, *, by, school, kind: str) -> MediaFile:
    """The uploaded file a form names, checked and locked for attaching; ValidationError with the reason.

    Only the person's own files of the school, checked by the server, not used elsewhere."""
    wrong_kind = ""
    if kind == Kind.AUDIO:
        wrong_kind = _("This file is not a sound recording. Record the child's voice or choose a sound file.")
    media = media_pick_for_attaching(value, by=by, school_id=school.pk, kinds={kind}, wrong_kind=wrong_kind)
    if _is_attached(media):
        raise ValidationError(_("This file is already used elsewhere. Please upload it again."))
    return media


def _pick_photos(values, *, by, school) -> tuple[list[MediaFile], list[str]]:
    """The photos these ids name, and a message for each one that cannot be used (with its file name)."""
    picked, problems = [], []
    for value in dict.fromkeys(values):
        try:
            picked.append(media_pick(value, by=by, school=school, kind=Kind.IMAGE))
        except ValidationError as exc:
            problems.append(_named(value, exc.messages[0], by=by))
    return picked, problems


def _named(value, message: str, *, by) -> str:
    """The message about a file, starting with the file's name when the person uploaded it."""
    try:
        found = MediaFile.objects.filter(pk=uuid.UUID(str(value)), uploaded_by=by)
        name = found.values_list("original_name", flat=True).first()
    except ValueError:
        name = None
    return f"{name}: {message}" if name else message


@dataclass
class Attached:
    """What became of the photos given for a work."""

    added: list[WorkPhoto] = field(default_factory=list)
    # Photos already among the child's works (the same SHA-256): flagged, not stored twice.
    duplicates: list[MediaFile] = field(default_factory=list)


def _attach_photos(work: Work, photos: Iterable[MediaFile], *, seen: set[str] | None = None) -> Attached:
    """Add photos to a work, skipping any the child already has (same SHA-256)."""
    result = Attached()
    photos = list(photos)
    hashes = {m.sha256 for m in photos if m.sha256}
    known = set(
        WorkPhoto.objects.filter(work__child_id=work.child_id, sha256__in=hashes).values_list("sha256", flat=True)
    )
    seen = seen if seen is not None else set()
    position = work.photos.count()
    for media in photos:
        if media.sha256 and (media.sha256 in known or media.sha256 in seen):
            result.duplicates.append(media)
            continue
        if media.sha256:
            seen.add(media.sha256)
        result.added.append(
            WorkPhoto.objects.create(
                school_id=work.school_id, work=work, media=media, sha256=media.sha256, position=position
            )
        )
        position += 1
    return result


# --- Fields --------------------------------------------------------------------------------------------------


def _clean_fields(*, title: str, domain: str, made_on, errors: dict) -> tuple[str, str, datetime.date | None]:
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the work a title, for example “My family”.")
    elif len(title) > TITLE_MAX:
        errors["title"] = ngettext(
            "The title is too long: at most %(count)s character.",
            "The title is too long: at most %(count)s characters.",
            TITLE_MAX,
        ) % {"count": TITLE_MAX}
    if domain not in Domain.values:
        errors["domain"] = _("Choose the developmental domain of the work.")
    if made_on is None:
        errors["made_on"] = _("Give the date the work was made.")
    elif made_on > school_today():
        errors["made_on"] = _("The date cannot be in the future.")
    return title, domain, made_on


def _check_child(child: Child, classroom: Classroom) -> None:
    if child.classroom_id != classroom.pk or child.left_on is not None:
        raise ValidationError(_("This child is not in the class."))


# --- Recording ----------------------------------------------------------------------------------------------


@dataclass
class Sitting:
    """The works recorded in one sitting, and the photos flagged as already stored."""

    works: list[Work] = field(default_factory=list)
    duplicates: int = 0


@transaction.atomic
def works_record(
    *,
    classroom: Classroom,
    by,
    title: str,
    domain: str,
    made_on: datetime.date | None,
    description: str = "",
    teacher_note: str = "",
    photos_by_child: dict[int, list] | None = None,
    children_without_photo: Iterable[int] = (),
) -> Sitting:
    """Record the class's works of one sitting: one work per child, with the photos assigned to the child.

    `photos_by_child` maps a child's id to the ids of the photos assigned to them (uploaded by `by`);
    `children_without_photo` are children whose work is recorded without a photo (no consent, or a
    work that cannot be photographed). A photo assigned to a child whose guardians do not consent to
    portfolio photos is refused. A photo the child already has (same SHA-256) is flagged, not stored
    twice. Bad input raises ValidationError (a dict of messages) and changes nothing."""
    if not policies.can_record_works(by, classroom):
        raise PermissionDenied
    photos_by_child = {int(k): list(v) for k, v in (photos_by_child or {}).items() if v}
    without = [int(c) for c in children_without_photo if int(c) not in photos_by_child]
    errors: dict[str, str] = {}
    title, domain, made_on = _clean_fields(title=title, domain=domain, made_on=made_on, errors=errors)
    child_ids = list(photos_by_child) + without
    if not child_ids:
        errors["children"] = _("Assign the photos to children, or choose the children whose work has no photo.")
    children = {c.pk: c for c in Child.objects.filter(pk__in=child_ids, classroom=classroom, left_on__isnull=True)}
    if set(child_ids) - set(children):
        errors["children"] = _("This child is not in the class.")
    count = sum(len(v) for v in photos_by_child.values())
    if count > MAX_PHOTOS_PER_SITTING:
        errors["photos"] = _("Too many photos at once: at most %(count)s.") % {"count": MAX_PHOTOS_PER_SITTING}
    if any(len(v) > MAX_PHOTOS_PER_WORK for v in photos_by_child.values()):
        errors["photos"] = ngettext(
            "At most %(count)s photo for one child's work.",
            "At most %(count)s photos for one child's work.",
            MAX_PHOTOS_PER_WORK,
        ) % {"count": MAX_PHOTOS_PER_WORK}
    consented = policies.consented_child_ids(list(photos_by_child), policies.PHOTOS)
    refused = [children[c].given_name for c in photos_by_child if c in children and c not in consented]
    if refused:
        errors["photos"] = ngettext(
            "The guardians of %(names)s have not agreed to photos in the portfolio: record the work without a photo.",
            "The guardians of %(names)s have not agreed to portfolio photos: record their works without a photo.",
            len(refused),
        ) % {"names": ", ".join(refused)}
    given = [str(v) for values in photos_by_child.values() for v in dict.fromkeys(values)]
    if len(given) != len(set(given)):
        errors["photos"] = _("One photo was given to two children. Give each photo to one child.")
    picked: dict[int, list[MediaFile]] = {}
    if not errors:
        problems: list[str] = []
        for child_id, values in photos_by_child.items():
            picked[child_id], found = _pick_photos(values, by=by, school=classroom.school)
            problems += found
        if problems:
            errors["photos"] = problems
    if errors:
        raise ValidationError(errors)
    sitting = Sitting()
    for child_id in child_ids:
        work = Work.objects.create(
            school_id=classroom.school_id,
            child=children[child_id],
            classroom=classroom,
            title=title,
            description=(description or "").strip(),
            teacher_note=(teacher_note or "").strip(),
            domain=domain,
            made_on=made_on,
            created_by=by,
        )
        attached = _attach_photos(work, picked.get(child_id, []))
        sitting.duplicates += len(attached.duplicates)
        sitting.works.append(work)
        _queue_build(work.pk)
    return sitting


@transaction.atomic
def work_update(
    *,
    work: Work,
    by,
    title: str,
    domain: str,
    made_on: datetime.date | None,
    description: str = "",
    teacher_note: str = "",
    add_photos: Iterable = (),
    remove_photos: Iterable[int] = (),
    voice=None,
    remove_voice: bool = False,
) -> Attached:
    """Change a work's text, add or remove photos, set or remove its voice note."""
    if not policies.can_manage_work(by, work):
        raise PermissionDenied
    errors: dict[str, str] = {}
    title, domain, made_on = _clean_fields(title=title, domain=domain, made_on=made_on, errors=errors)
    add_photos = [v for v in add_photos if v]
    remove_ids = {int(p) for p in remove_photos}
    if add_photos and work.child_id not in policies.consented_child_ids([work.child_id], policies.PHOTOS):
        errors["photos"] = _(
            "The guardians of %(name)s have not agreed to photos in the portfolio: record the work without a photo."
        ) % {"name": work.child.given_name}
    kept = work.photos.exclude(pk__in=remove_ids).count()
    if kept + len(add_photos) > MAX_PHOTOS_PER_WORK:
        errors["photos"] = ngettext(
            "At most %(count)s photo for one child's work.",
            "At most %(count)s photos for one child's work.",
            MAX_PHOTOS_PER_WORK,
        ) % {"count": MAX_PHOTOS_PER_WORK}
    picked: list[MediaFile] = []
    voice_media = None
    if not errors:
        picked, problems = _pick_photos(add_photos, by=by, school=work.school)
        if problems:
            errors["photos"] = problems
    if voice and not errors:
        if work.child_id not in policies.consented_child_ids([work.child_id], policies.VOICE):
            errors["voice"] = _(
                "The guardians of %(name)s have not agreed to voice recordings: the work is kept without a voice note."
            ) % {"name": work.child.given_name}
        else:
            try:
                voice_media = media_pick(voice, by=by, school=work.school, kind=Kind.AUDIO)
            except ValidationError as exc:
                errors["voice"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    work.title, work.domain, work.made_on = title, domain, made_on
    work.description, work.teacher_note = (description or "").strip(), (teacher_note or "").strip()
    fields = ["title", "domain", "made_on", "description", "teacher_note"]
    if voice_media is not None:
        work.voice = voice_media
        fields.append("voice")
    elif remove_voice:
        work.voice = None
        fields.append("voice")
    work.save(update_fields=fields)
    if remove_ids:
        WorkPhoto.objects.filter(work=work, pk__in=remove_ids).delete()
    return _attach_photos(work, picked)


@transaction.atomic
def work_voice_set(*, work: Work, by, voice) -> Work:
    """Give the work the child's voice note (the teacher's recording), replacing any earlier one."""
    if not policies.can_manage_work(by, work):
        raise PermissionDenied
    if work.child_id not in policies.consented_child_ids([work.child_id], policies.VOICE):
        raise ValidationError(
            {
                "voice": _(
                    "The guardians of %(name)s have not agreed to voice recordings: "
                    "the work is kept without a voice note."
                )
                % {"name": work.child.given_name}
            }
        )
    try:
        media = media_pick(voice, by=by, school=work.school, kind=Kind.AUDIO)
    except ValidationError as exc:
        raise ValidationError({"voice": exc.messages[0]}) from None
    work.voice = media
    work.save(update_fields=["voice"])
    return work


@transaction.atomic
def work_delete(*, work: Work, by) -> None:
    if not policies.can_manage_work(by, work):
        raise PermissionDenied
    work.delete()  # its photos' and voice note's files go with the daily cleanup of unused files


# --- Codes -------------------------------------------------------------------------------------------------


@transaction.atomic
def work_code_replace(*, work: Work, by) -> Work:
    """Revoke the work's code (a lost label, one stuck on the wrong work) and give it a new one.

    The old code keeps telling the child's guardians that the label was replaced; for everyone else it
    is the 404 of a code that never existed. The new QR images are made by a worker."""
    if not policies.can_manage_work(by, work):
        raise PermissionDenied
    work = Work.objects.select_for_update().get(pk=work.pk)
    RevokedToken.objects.create(school_id=work.school_id, work=work, token=work.token, revoked_by=by)
    work.token = new_token()
    work.save(update_fields=["token"])
    _queue_build(work.pk)
    return work


# --- Opening -------------------------------------------------------------------------------------------------


def work_opened(*, work: Work, user, by_family: bool, already: bool = False) -> None:
    """Mark that this person opened the work: written once per person and work (a second visit writes
    nothing). The family's first opening is kept on the work for the teacher's list.

    `already`: the page read that this person opened it before (selectors.work_for_token) and so
    writes nothing. Otherwise one insert that does nothing if two first visits race (no savepoint),
    and for the family's first opening one conditional update."""
    if already:
        return
    now = timezone.now()
    WorkOpen.objects.bulk_create(
        [WorkOpen(school_id=work.school_id, work_id=work.pk, user=user, opened_at=now, by_family=by_family)],
        ignore_conflicts=True,
    )
    if by_family and work.family_opened_at is None:
        Work.objects.filter(school_id=work.school_id, pk=work.pk, family_opened_at__isnull=True).update(
            family_opened_at=now
        )
        work.family_opened_at = now
    # The work kept for this person (portfolio/views_works.py) says they have not opened it yet.
    fragments.people_changed([user.pk])


def work_transcript_set(*, work: Work, text: str) -> Work:
    """Keep what the child says in the work's voice note, for families who cannot listen (empty: remove it).

    The work's page is drawn again: its cached content is keyed on the transcript too."""
    if work.voice is None:
        raise ValidationError(_("This work has no voice note."), code="no_voice")
    media_transcript_set(media=work.voice, text=text)
    return work
