"""Writes for check-ups and follow-up plans.

- `checkups_plan(...)`: a check-up day for some classes: one planned check-up per child;
- `checkup_record(...)`: the findings and advice of one child's check-up, its files, the next date;
- `follow_up_plan_save(...)` / `follow_up_plan_close(...)`: a child's nutrition follow-up plan.

Each raises ValidationError ({field: message}) for values that cannot be right, and saves nothing then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from health.models import CheckUp, CheckUpAttachment, FollowUpPlan
from health.policies import can_manage_health
from mediafiles.models import Kind, MediaFile
from mediafiles.services import media_pick_for_attaching
from schools.models import Child, Classroom, School

MAX_ATTACHMENTS = 10


def _check(by, school_id: int) -> None:
    if not can_manage_health(by, school_id):
        raise PermissionDenied


@transaction.atomic
def checkups_plan(
    *, by, school: School, on: datetime.date, provider: str, classrooms: Iterable[Classroom], today=None
) -> int:
    """Plan a check-up day: one planned check-up for each current child of these classes who has none that
    day. Returns how many were planned."""
    _check(by, school.pk)
    today = today or timezone.localdate()
    problems = {}
    provider = (provider or "").strip()
    classrooms = [c for c in classrooms if c.school_id == school.pk]
    if on is None:
        problems["on"] = _("Enter the date of the check-up.")
    elif on < today:
        problems["on"] = _("A check-up is planned for today or a later day.")
    if not provider:
        problems["provider"] = _("Enter who examines the children, for example the ward's health station.")
    if not classrooms:
        problems["classrooms"] = _("Choose at least one class.")
    if problems:
        raise ValidationError(problems)
    children = list(
        Child.objects.filter(classroom__in=classrooms, left_on__isnull=True, date_of_birth__lte=on).exclude(
            checkups__on=on
        )
    )
    CheckUp.objects.bulk_create(
        [CheckUp(school=school, child=child, on=on, provider=provider[:200]) for child in children]
    )
    return len(children)


def _media_pick(value, *, by, school_id: int) -> MediaFile:
    """The uploaded photo a form names, checked and locked for attaching."""
    media = media_pick_for_attaching(
        value, by=by, school_id=school_id, kinds={Kind.IMAGE}, wrong_kind=_("Attach a photo or a scan of the report.")
    )
    if CheckUpAttachment.objects.filter(media=media).exists():
        raise ValidationError(_("This file is already attached. Please upload it again."))
    return media


def dates_problems(*, child: Child, on: datetime.date | None, next_on: datetime.date | None, today) -> dict:
    problems = {}
    if on is None:
        problems["on"] = _("Enter the date of the check-up.")
    elif on < child.date_of_birth:
        problems["on"] = _("The date is before the child was born.")
    elif on > today:
        problems["on"] = _("The check-up has not happened yet: record it on the day or after.")
    if next_on is not None:
        if next_on < child.date_of_birth:
            problems["next_on"] = _("The date is before the child was born.")
        elif on is not None and next_on <= on:
            problems["next_on"] = _("The next check-up comes after this one.")
    return problems


@transaction.atomic
def checkup_record(
    *,
    by,
    checkup: CheckUp,
    on: datetime.date | None,
    findings: str,
    advice: str,
    next_on: datetime.date | None,
    add_media: Iterable[str] = (),
    remove_attachments: Iterable[int] = (),
    today: datetime.date | None = None,
) -> CheckUp:
    """Record a child's check-up (it is then done); a next date plans the next one with the same provider."""
    _check(by, checkup.school_id)
    today = today or timezone.localdate()
    child = checkup.child
    problems = dates_problems(child=child, on=on, next_on=next_on, today=today)
    picked, file_problems = [], []
    for value in dict.fromkeys(v for v in add_media if v):
        try:
            picked.append(_media_pick(value, by=by, school_id=checkup.school_id))
        except ValidationError as exc:
            file_problems.extend(exc.messages)
    remove = {int(pk) for pk in remove_attachments}
    kept = checkup.attachments.exclude(pk__in=remove).count()
    if kept + len(picked) > MAX_ATTACHMENTS:
        file_problems.append(
            ngettext(
                "A check-up keeps at most %(count)s file.", "A check-up keeps at most %(count)s files.", MAX_ATTACHMENTS
            )
            % {"count": MAX_ATTACHMENTS}
        )
    if file_problems:
        problems["attachments"] = file_problems
    if problems:
        raise ValidationError(problems)
    checkup.on, checkup.findings, checkup.advice, checkup.next_on = on, findings.strip(), advice.strip(), next_on
    checkup.done, checkup.recorded_by = True, by
    checkup.save(update_fields=["on", "findings", "advice", "next_on", "done", "recorded_by", "updated_at"])
    checkup.attachments.filter(pk__in=remove).delete()
    CheckUpAttachment.objects.bulk_create(
        [
            CheckUpAttachment(
                school_id=checkup.school_id, checkup=checkup, media=media, title=media.original_name[:150]
            )
            for media in picked
        ]
    )
    if next_on is not None and not CheckUp.objects.filter(child=child, on=next_on).exists():
        CheckUp.objects.create(school_id=checkup.school_id, child=child, on=next_on, provider=checkup.provider)
    return checkup


@transaction.atomic
def follow_up_plan_save(
    *, by, child: Child, notes: str, next_measurement_on: datetime.date | None, today: datetime.date | None = None
) -> FollowUpPlan:
    """Open a child's follow-up plan, or update the open one."""
    _check(by, child.school_id)
    today = today or timezone.localdate()
    notes = (notes or "").strip()
    problems = {}
    if not notes:
        problems["notes"] = _("Write what the plan is: what to watch, what the family and the school do.")
    if next_measurement_on is not None and next_measurement_on < today:
        problems["next_measurement_on"] = _("The next measurement is today or a later day.")
    if problems:
        raise ValidationError(problems)
    plan = FollowUpPlan.objects.select_for_update().filter(child=child, closed_at__isnull=True).first()
    if plan is None:
        plan = FollowUpPlan(school_id=child.school_id, child=child, opened_by=by)
    plan.notes, plan.next_measurement_on = notes, next_measurement_on
    plan.save()
    return plan


@transaction.atomic
def follow_up_plan_close(*, by, child: Child) -> FollowUpPlan | None:
    """Close the child's open plan (kept as history); None when there was none."""
    _check(by, child.school_id)
    plan = FollowUpPlan.objects.select_for_update().filter(child=child, closed_at__isnull=True).first()
    if plan is None:
        return None
    plan.closed_at, plan.closed_by = timezone.now(), by
    plan.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return plan
