"""The breach register's writes: record, notify the authority, tell the families, close. Each step a BreachEvent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Category
from notifications.services import notice_send
from parents.models import Guardianship
from privacy import policies
from privacy.models import Breach, BreachEvent


class Step:
    RECORDED = "recorded"
    AUTHORITY_NOTIFIED = "authority_notified"
    FAMILIES_TOLD = "families_told"
    CLOSED = "closed"


STEP_LABELS = {
    Step.RECORDED: gettext_lazy("Recorded"),
    Step.AUTHORITY_NOTIFIED: gettext_lazy("Authority notified"),
    Step.FAMILIES_TOLD: gettext_lazy("Affected families told"),
    Step.CLOSED: gettext_lazy("Closed"),
}


def _event(breach: Breach, *, by, action: str, note: str = "", at=None) -> BreachEvent:
    return BreachEvent.objects.create(
        school_id=breach.school_id, breach=breach, by=by, action=action, note=note, at=at or timezone.now()
    )


@transaction.atomic
def breach_record(*, by, school, children=(), **fields) -> Breach:
    """Record a suspected breach of a school's personal data: the 72-hour clock runs from `found_at`."""
    if not policies.can_manage_breaches(by, school):
        raise PermissionDenied
    if any(child.school_id != school.pk for child in children):
        raise ValidationError(_("Only the school's own children may be named."))
    breach = Breach.objects.create(school=school, reported_by=by, **fields)
    breach.children.set(children)
    _event(breach, by=by, action=Step.RECORDED)
    return breach


def _check_open(breach: Breach, by) -> None:
    if not policies.can_manage_breaches(by, breach.school_id):
        raise PermissionDenied
    if breach.status == Breach.Status.CLOSED:
        raise ValidationError(_("The breach is closed."))


@transaction.atomic
def breach_authority_notified(*, breach: Breach, by, note: str = "") -> Breach:
    """Mark that the authority was sent the notification (the clock stops)."""
    _check_open(breach, by)
    if breach.authority_notified_at is not None:
        raise ValidationError(_("The authority was already notified."))
    now = timezone.now()
    breach.authority_notified_at = now
    breach.status = Breach.Status.NOTIFIED
    breach.save(update_fields=["authority_notified_at", "status"])
    _event(breach, by=by, action=Step.AUTHORITY_NOTIFIED, note=note, at=now)
    return breach


@transaction.atomic
def breach_families_tell(*, breach: Breach, by, message: str) -> int:
    """Send the affected children's current guardians a notice; returns how many were sent.

    The notice's title names no child: it says only that the school had an incident with personal data.
    """
    _check_open(breach, by)
    message = message.strip()
    if not message:
        raise ValidationError(_("Write what the families should know."))
    guardians = (
        Guardianship.objects.active()
        .filter(child__in=breach.children.all())
        .select_related("guardian")
        .order_by("guardian_id")
    )
    recipients = {g.guardian_id: g.guardian for g in guardians}
    sent = 0
    for guardian in recipients.values():
        notice = notice_send(
            recipient=guardian,
            category=Category.FAMILY,
            title=gettext_lazy("An incident with personal data at the school"),
            body=message,
            url=reverse("home"),
            dedupe_key=f"privacy:breach:{breach.pk}:told",
            school=breach.school,
            urgent=True,
        )
        sent += notice is not None
    now = timezone.now()
    breach.families_told_at = now
    breach.save(update_fields=["families_told_at"])
    _event(breach, by=by, action=Step.FAMILIES_TOLD, note=message, at=now)
    return sent


@transaction.atomic
def breach_close(*, breach: Breach, by, note: str) -> Breach:
    """Close a breach with a note of how it ended."""
    _check_open(breach, by)
    note = note.strip()
    if not note:
        raise ValidationError(_("Say how the breach was dealt with before closing it."))
    now = timezone.now()
    breach.status = Breach.Status.CLOSED
    breach.closed_at = now
    breach.closing_note = note
    breach.save(update_fields=["status", "closed_at", "closing_note"])
    _event(breach, by=by, action=Step.CLOSED, note=note, at=now)
    return breach
