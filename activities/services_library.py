"""Writes of the authorities' library of home activities, and commendations.

A school offers a published activity to its commune's library or its province's, confirming that its
video, photos and voice show no child; an officer approves it (tagged, perhaps featured) or refuses it
with a reason; the staff of other schools under the authority copy it into a class. The copy is an
activity of the adopting school with its own copies of the files (counted in its storage), crediting
the school it came from. Answers, views and everything about the children stay where they are.

Each function checks its policy first, is one transaction, and changes nothing when it refuses.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import policies
from activities.models import Activity, ActivityClassroom, ActivityPhoto, Commendation, LibraryAdoption, LibraryEntry
from mediafiles.services import media_copy
from schools.models import AgeGroup, Authority, Classroom, Domain, School

REASON_MAX = LibraryEntry._meta.get_field("refusal_reason").max_length
COMMENDATION_MAX = 2000


def _no_child_message() -> str:
    return _(
        "Confirm that the video, the photos and the voice show no child: only such activities can go to the library."
    )


@transaction.atomic
def library_offer(*, activity: Activity, by, authority: Authority, no_child_confirmed: bool) -> LibraryEntry:
    """Offer a published activity of the school's own to its commune's or its province's library."""
    if not policies.can_offer_to_library(by, activity):
        raise PermissionDenied
    if not no_child_confirmed:
        raise ValidationError({"no_child_confirmed": _no_child_message()})
    if authority.pk not in policies.library_authority_ids_of(activity.school):
        raise ValidationError({"authority": _("Choose the library of your school's commune or province.")})
    if LibraryAdoption.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity came from another school's library: only that school can offer it."))
    entry = LibraryEntry.objects.select_for_update().filter(activity=activity, authority=authority).first()
    if entry is not None and entry.state != LibraryEntry.State.REFUSED:
        raise ValidationError(_("This activity is already in this library or waiting for it."))
    fields = {
        "school": activity.school,
        "state": LibraryEntry.State.OFFERED,
        "no_child_confirmed": True,
        "offered_by": by,
        "offered_at": timezone.now(),
        "domain": activity.domain,
        "age_group": activity.age_group,
        "featured": False,
        "refusal_reason": "",
        "decided_by": None,
        "decided_at": None,
    }
    if entry is None:
        return LibraryEntry.objects.create(activity=activity, authority=authority, **fields)
    # Offered again after a refusal (the school changed what was wrong): the officer decides again.
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=list(fields))
    return entry


@transaction.atomic
def library_entry_decide(
    *,
    entry: LibraryEntry,
    by,
    approve: bool,
    no_child_checked: bool = False,
    reason: str = "",
    domain: str = "",
    age_group: str = "",
    featured: bool = False,
) -> LibraryEntry:
    """The officer approves an offered activity (having checked that it shows no child), with its tags, or
    refuses it with a reason the school reads; an approved one may be re-tagged, featured or withdrawn."""
    if not policies.can_curate_library(by, entry.authority):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if approve:
        if not no_child_checked:
            errors["no_child_checked"] = _(
                "Check the video, the photos and the voice: approve only an activity that shows no child."
            )
        if domain not in Domain.values:
            errors["domain"] = _("Choose the developmental domain.")
        if age_group not in AgeGroup.values:
            errors["age_group"] = _("Choose the age group.")
    elif not reason:
        errors["reason"] = _("Tell the school why the activity is refused, so that it can do better.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason is too long: keep it under 500 characters.")
    if errors:
        raise ValidationError(errors)
    entry = LibraryEntry.objects.select_for_update().get(pk=entry.pk)
    if approve:
        entry.state, entry.domain, entry.age_group = LibraryEntry.State.APPROVED, domain, age_group
        entry.featured, entry.refusal_reason = bool(featured), ""
    else:
        entry.state, entry.featured, entry.refusal_reason = LibraryEntry.State.REFUSED, False, reason
    entry.decided_by, entry.decided_at = by, timezone.now()
    entry.save(update_fields=["state", "domain", "age_group", "featured", "refusal_reason", "decided_by", "decided_at"])
    return entry


@transaction.atomic
def library_entry_adopt(*, entry: LibraryEntry, by, classroom: Classroom) -> Activity:
    """Copy an approved activity into a class of another school: a draft of that school, with copies of the
    video, voice and photos in its own storage, crediting the school it came from. No answer is copied."""
    if not policies.can_adopt(by, entry, classroom):
        raise PermissionDenied
    source = entry.activity
    school = classroom.school
    copies = {
        name: media_copy(media=media, school=school, by=by)
        for name, media in (("video", source.video), ("voice", source.voice))
        if media is not None
    }
    copy = Activity.objects.create(
        school=school,
        title=source.title,
        instructions=source.instructions,
        materials=source.materials,
        domain=entry.domain,
        age_group=entry.age_group,
        created_by=by,
        state=Activity.State.DRAFT,
        **copies,
    )
    ActivityClassroom.objects.create(school=school, activity=copy, classroom=classroom)
    for position, photo in enumerate(source.photos.select_related("media").order_by("position", "pk")):
        ActivityPhoto.objects.create(
            school=school, activity=copy, media=media_copy(media=photo.media, school=school, by=by), position=position
        )
    LibraryAdoption.objects.create(
        school=school,
        entry=entry,
        activity=copy,
        source_school=entry.school,
        source_school_name=entry.school.name,
        adopted_by=by,
    )
    return copy


@transaction.atomic
def commendation_delete(*, commendation: Commendation, by) -> None:
    """Take a commendation back (a wrong name, a mistake): it leaves the school's public page at once."""
    if not policies.can_curate_library(by, commendation.authority):
        raise PermissionDenied
    commendation.delete()


@transaction.atomic
def commendation_create(
    *, authority: Authority, by, school: School, text: str, awarded_on: datetime.date, family_name: str = ""
) -> Commendation:
    """Commend a school under the authority, or one of its families by the name the officer gives."""
    if not policies.can_commend(by, authority, school):
        raise PermissionDenied
    text, family_name = (text or "").strip(), (family_name or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write what the school or the family is commended for.")
    elif len(text) > COMMENDATION_MAX:
        errors["text"] = _("The commendation is too long: keep it under 2000 characters.")
    if len(family_name) > Commendation._meta.get_field("family_name").max_length:
        errors["family_name"] = _("The name is too long: keep it under 150 characters.")
    if awarded_on is None:
        errors["awarded_on"] = _("Give the date of the commendation.")
    if errors:
        raise ValidationError(errors)
    return Commendation.objects.create(
        authority=authority, school=school, family_name=family_name, text=text, awarded_on=awarded_on, created_by=by
    )
