"""Privacy requests: received, acknowledged, extended once, carried out or refused; every step recorded.

The school's data protection contact (its leaders) works the queue; the person who asked sees each step.
Carrying out a request does what it asks where the portal can: a copy of the data (an export), a consent
withdrawn, data erased. Correction, restriction and objection are answered by the contact, who changes
the records where they live and writes what was done.

Two guardians: a child's data is erased when every guardian has asked (or by the retention job once the
child has left). One guardian's request erases that guardian's own account data at once; the others are
told, and the request waits for them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from notifications.services import notice_send
from parents.models import ConsentPurpose, Guardianship
from parents.policies import guardian_child_ids
from parents.services import consent_record
from privacy import deadlines, erasing
from privacy.models import (
    OPEN_STATUSES,
    Channel,
    Erasure,
    LegalHold,
    PrivacyRequest,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RetentionPeriod,
)
from schools.models import LEADER_ROLES, Child, School, StaffMembership
from schools.policies import access_for

Action = RequestEvent.Action


def _event(request: PrivacyRequest, action: str, *, by=None, note: str = "", at=None) -> RequestEvent:
    return RequestEvent.objects.create(
        school_id=request.school_id, request=request, action=action, by=by, note=note, at=at or timezone.now()
    )


def _tell_requester(request: PrivacyRequest, *, title, body, step: str) -> None:
    if request.requester_id is None:
        return
    notice_send(
        recipient=request.requester,
        category=Category.ACCOUNT,
        title=title,
        body=body,
        url=reverse("privacy:request", args=[request.pk]),
        dedupe_key=f"privacy:request:{request.pk}:{step}",
        school=request.school,
        context={"kind": RequestKind(request.kind).label, "date": request.deadline.strftime("%d/%m/%Y")},
    )


def _check_child(user, child: Child | None) -> None:
    if child is not None and child.pk not in guardian_child_ids(user):
        raise ValidationError({"child": _("You can only ask about your own children.")})


def _school_for(user, child: Child | None) -> School:
    """The school that answers: the child's; else the person's first school as staff, as a guardian, as a donor."""
    if child is not None:
        return child.school
    school_ids = sorted(access_for(user).roles_by_school) or sorted(
        Child.objects.filter(pk__in=guardian_child_ids(user)).values_list("school_id", flat=True).distinct()
    )
    if not school_ids and hasattr(School, "donors"):  # donations installed: the school a donor gave to
        school_ids = sorted(School.objects.filter(donors__user=user).values_list("pk", flat=True).distinct())
    if not school_ids:
        raise ValidationError(_("The portal holds no school's data about you, so there is no school to ask."))
    return School.objects.get(pk=school_ids[0])


def _create(
    *, school, kind: str, requester=None, child=None, channel=Channel.PORTAL, by=None, **fields
) -> PrivacyRequest:
    received_at = fields.pop("received_at", None) or timezone.now()
    acknowledge_by, complete_by = deadlines.request_deadlines(school=school, received_at=received_at)
    duplicate = PrivacyRequest.objects.filter(requester=requester, kind=kind, child=child, status__in=OPEN_STATUSES)
    if requester is not None and duplicate.exists():
        raise ValidationError(_("You already made this request and it is still open. You can follow it below."))
    try:
        with transaction.atomic():
            request = PrivacyRequest.objects.create(
                school=school,
                kind=kind,
                requester=requester,
                child=child,
                channel=channel,
                received_at=received_at,
                acknowledge_by=acknowledge_by,
                complete_by=complete_by,
                recorded_by=by,
                **fields,
            )
    except IntegrityError as error:  # the same request sent twice at once
        raise ValidationError(
            _("You already made this request and it is still open. You can follow it below.")
        ) from error
    _event(request, Action.RECEIVED, by=by, at=received_at)
    _tell_contacts(request)
    return request


def contacts_of(school) -> list:
    """The school's data protection contacts: its active principal and vice-principals."""
    return [
        membership.user
        for membership in StaffMembership.objects.filter(school=school, role__in=LEADER_ROLES, is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _tell_contacts(request: PrivacyRequest) -> None:
    for contact in contacts_of(request.school):
        notice_send(
            recipient=contact,
            category=Category.ACCOUNT,
            title=_("A privacy request to answer"),
            body=_("%(kind)s: acknowledge it by %(acknowledge)s and complete it by %(complete)s."),
            url=reverse("privacy:queue_item", args=[request.school.slug, request.pk]),
            dedupe_key=f"privacy:request:{request.pk}:new",
            school=request.school,
            context={
                "kind": RequestKind(request.kind).label,
                "acknowledge": request.acknowledge_by.strftime("%d/%m/%Y"),
                "complete": request.complete_by.strftime("%d/%m/%Y"),
            },
        )


def request_make(
    *, user, kind: str, child: Child | None = None, details: str = "", consent_purpose: str = ""
) -> PrivacyRequest:
    """A person asks, for themselves or for their child."""
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose what you are asking for.")})
    _check_child(user, child)
    if kind == RequestKind.WITHDRAWAL:
        if child is None:
            raise ValidationError({"child": _("Choose the child whose consent you withdraw.")})
        if consent_purpose not in ConsentPurpose.values:
            raise ValidationError({"consent_purpose": _("Choose the consent you withdraw.")})
    if kind in (RequestKind.CORRECTION, RequestKind.RESTRICTION, RequestKind.OBJECTION) and not details.strip():
        raise ValidationError({"details": _("Say what should change, so that the school can act on it.")})
    school = _school_for(user, child)
    return _create(
        school=school,
        kind=kind,
        requester=user,
        child=child,
        details=details.strip(),
        consent_purpose=consent_purpose if kind == RequestKind.WITHDRAWAL else "",
    )


def request_record_paper(
    *,
    school,
    by,
    kind: str,
    requester_name: str,
    requester_contact: str = "",
    relationship: str = "",
    child: Child | None = None,
    details: str = "",
    received_at: datetime.datetime | None = None,
) -> PrivacyRequest:
    """The contact records a request received on paper or in person (a pick-up person, for example)."""
    if not requester_name.strip():
        raise ValidationError({"requester_name": _("Write the name of the person who asked.")})
    if child is not None and child.school_id != school.pk:
        raise ValidationError({"child": _("Choose a child of this school.")})
    if received_at is not None and received_at > timezone.now():
        raise ValidationError({"received_at": _("A request cannot be received in the future.")})
    return _create(
        school=school,
        kind=kind,
        child=child,
        channel=Channel.PAPER,
        by=by,
        requester_name=requester_name.strip(),
        requester_contact=requester_contact.strip(),
        relationship=relationship.strip(),
        details=details.strip(),
        received_at=received_at,
    )


def _open(request: PrivacyRequest) -> None:
    if not request.is_open:
        raise ValidationError(_("This request is closed: nothing more can be done with it."))


@transaction.atomic
def request_acknowledge(*, request: PrivacyRequest, by) -> PrivacyRequest:
    """The contact confirms the request was received and is being handled."""
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    _open(request)
    if request.acknowledged_at is not None:
        raise ValidationError(_("This request was already acknowledged."))
    request.acknowledged_at = timezone.now()
    request.status = RequestStatus.ACKNOWLEDGED
    request.save(update_fields=["acknowledged_at", "status"])
    _event(request, Action.ACKNOWLEDGED, by=by)
    transaction.on_commit(
        lambda: _tell_requester(
            request,
            title=_("Your privacy request was received"),
            body=_("The school is handling your request (%(kind)s) and will answer by %(date)s."),
            step="acknowledged",
        )
    )
    return request


@transaction.atomic
def request_extend(*, request: PrivacyRequest, by, until: datetime.date, reason: str) -> PrivacyRequest:
    """The one extension the law allows, with its reason."""
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    _open(request)
    if request.extended_to is not None:
        raise ValidationError(_("The deadline was already extended once; it cannot be extended again."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed: the person will read it.")})
    if until <= request.complete_by:
        raise ValidationError({"until": _("The new deadline must come after the current one.")})
    if until > deadlines.extension_limit(request.complete_by):
        raise ValidationError(
            {
                "until": _("The deadline can be extended by at most %(days)s days.")
                % {"days": settings.PRIVACY_EXTENSION_DAYS}
            }
        )
    request.extended_to, request.extension_reason = until, reason.strip()
    request.save(update_fields=["extended_to", "extension_reason"])
    _event(request, Action.EXTENDED, by=by, note=reason.strip())
    transaction.on_commit(
        lambda: _tell_requester(
            request,
            title=_("Your privacy request needs more time"),
            body=_("The school will answer by %(date)s."),
            step="extended",
        )
    )
    return request


def _close(request: PrivacyRequest, *, status: str, by, outcome: str, action: str) -> PrivacyRequest:
    now = timezone.now()
    request.status, request.outcome, request.completed_at = status, outcome, now
    if request.acknowledged_at is None:
        request.acknowledged_at = now
    request.save(update_fields=["status", "outcome", "completed_at", "acknowledged_at"])
    _event(request, action, by=by, note=outcome)
    return request


def request_refuse(*, request: PrivacyRequest, by, reason: str) -> PrivacyRequest:
    """Refused, with the reason the person reads (the law allows it in set cases)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is refused: the person will read it.")})
    with transaction.atomic():
        request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
        _open(request)
        _close(request, status=RequestStatus.REFUSED, by=by, outcome=reason.strip(), action=Action.REFUSED)
    _tell_requester(
        request,
        title=_("Your privacy request was answered"),
        body=_("%(kind)s: refused, with the reason."),
        step="closed",
    )
    return request


def request_cancel(*, request: PrivacyRequest, by) -> PrivacyRequest:
    """The person takes their request back."""
    with transaction.atomic():
        request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
        _open(request)
        if request.status == RequestStatus.WAITING:
            raise ValidationError(_("Your own data was already erased; the request waits for the other guardians."))
        _close(request, status=RequestStatus.CANCELLED, by=by, outcome="", action=Action.CANCELLED)
    return request


def request_note(*, request: PrivacyRequest, by, note: str) -> RequestEvent:
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    return _event(request, Action.NOTE, by=by, note=note.strip())


def _guardians_of(child: Child) -> list:
    return [
        guardianship.guardian
        for guardianship in Guardianship.objects.filter(child=child, status=Guardianship.Status.ACTIVE)
        .select_related("guardian")
        .order_by("pk")
    ]


def request_complete(*, request: PrivacyRequest, by, outcome: str = "") -> PrivacyRequest:
    """Carry the request out where the portal can, and close it (or leave it waiting for the other guardians)."""
    request = PrivacyRequest.objects.select_related("school", "child", "requester").get(pk=request.pk)
    _open(request)
    if request.status == RequestStatus.WAITING:
        raise ValidationError(_("This request waits for the child's other guardians; nothing more to do now."))
    kind = request.kind
    if kind in (RequestKind.CORRECTION, RequestKind.RESTRICTION, RequestKind.OBJECTION) and not outcome.strip():
        raise ValidationError({"outcome": _("Write what was done, for the person to read.")})
    if kind == RequestKind.ERASURE:
        return _erasure_carry_out(request, by=by, outcome=outcome)
    with transaction.atomic():
        if kind == RequestKind.ACCESS and request.requester_id:
            from privacy.services_export import export_request

            export_request(user=request.requester, request=request)
            _event(request, Action.EXPORTED, by=by)
            outcome = outcome.strip() or gettext("A copy of your family's data is being prepared; you will get a link.")
        elif kind == RequestKind.WITHDRAWAL and request.requester_id and request.child_id:
            consent_record(
                guardian=request.requester, child=request.child, purpose=request.consent_purpose, granted=False
            )
            _event(request, Action.WITHDRAWN, by=by)
            outcome = outcome.strip() or gettext("The consent is withdrawn.")
        _close(request, status=RequestStatus.COMPLETED, by=by, outcome=outcome.strip(), action=Action.COMPLETED)
    _tell_requester(request, title=_("Your privacy request was answered"), body=_("%(kind)s: done."), step="closed")
    return request


def _holds_message(reasons) -> ValidationError:
    return ValidationError(
        _("The data cannot be erased now: %(reasons)s. It will be erased when the hold ends.")
        % {"reasons": "; ".join(str(reason) for reason in reasons)}
    )


def _erasure_carry_out(request: PrivacyRequest, *, by, outcome: str) -> PrivacyRequest:
    child, requester = request.child, request.requester
    if requester is None:  # on paper: the contact removed the records where they live
        if not outcome.strip():
            raise ValidationError({"outcome": _("Write what was erased, for the record.")})
        with transaction.atomic():
            _close(request, status=RequestStatus.COMPLETED, by=by, outcome=outcome.strip(), action=Action.COMPLETED)
        return request
    reasons = erasing.legal_holds(child=child, user=requester) if child else erasing.legal_holds(user=requester)
    if reasons:
        raise _holds_message(reasons)
    # Told before the account goes: the erased person gets nothing afterwards.
    _tell_requester(
        request,
        title=_("Your privacy request was answered"),
        body=_("%(kind)s: your account's data is being erased."),
        step="closed",
    )
    others = [guardian for guardian in _guardians_of(child) if guardian.pk != requester.pk] if child else []
    erasing.person_erase(user=requester, reason=Erasure.Reason.REQUEST, request=request, school=request.school)
    _event(request, Action.ERASED, by=by, note=gettext("The person's own account data."))
    if child is None:
        with transaction.atomic():
            _close(request, status=RequestStatus.COMPLETED, by=by, outcome=outcome.strip(), action=Action.COMPLETED)
        return request
    waiting_for = [
        guardian
        for guardian in others
        if not PrivacyRequest.objects.filter(
            requester=guardian, child=child, kind=RequestKind.ERASURE, status__in=OPEN_STATUSES
        ).exists()
    ]
    if waiting_for:
        with transaction.atomic():
            request.status = RequestStatus.WAITING
            request.save(update_fields=["status"])
            _event(request, Action.WAITING, by=by)
        for guardian in waiting_for:
            notice_send(
                recipient=guardian,
                category=Category.FAMILY,
                title=_("Another guardian asked to erase your child's data"),
                body=_(
                    "Another guardian of %(child)s asked the school to erase %(child)s's data. It is erased when every"
                    " guardian asks, or when the retention period ends after %(child)s leaves the school. You can ask"
                    " too on the privacy page."
                ),
                url=reverse("privacy:mine"),
                dedupe_key=f"privacy:request:{request.pk}:others:{guardian.pk}",
                school=request.school,
                context={"child": child.given_name},
                child_name=child.given_name,
            )
        _event(request, Action.OTHERS_TOLD, by=by)
        return request
    if others:  # each of them has asked too: their accounts go with the child's data
        for guardian in others:
            erasing.person_erase(user=guardian, reason=Erasure.Reason.REQUEST, request=request, school=request.school)
    erasing.child_erase(child=child, reason=Erasure.Reason.REQUEST, request=request)
    _event(request, Action.ERASED, by=by, note=gettext("The child's data."))
    with transaction.atomic():
        _close(request, status=RequestStatus.COMPLETED, by=by, outcome=outcome.strip(), action=Action.COMPLETED)
        for other in PrivacyRequest.objects.filter(child=child, kind=RequestKind.ERASURE, status__in=OPEN_STATUSES):
            _close(other, status=RequestStatus.COMPLETED, by=by, outcome="", action=Action.COMPLETED)
    return request


def requests_close_for_erased_child(*, child, by=None) -> int:
    """The retention job erased a child: requests waiting for it are complete."""
    closed = 0
    for request in PrivacyRequest.objects.filter(child=child, kind=RequestKind.ERASURE, status__in=OPEN_STATUSES):
        _close(request, status=RequestStatus.COMPLETED, by=by, outcome="", action=Action.COMPLETED)
        closed += 1
    return closed


def hold_place(*, school, by, reason: str, child: Child | None = None, user=None) -> LegalHold:
    """A legal hold: the child's or the person's data is kept until it is lifted."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data must be kept.")})
    if child is None and user is None:
        raise ValidationError(_("Choose the child or the person whose data is held."))
    if child is not None and child.school_id != school.pk:
        raise ValidationError({"child": _("Choose a child of this school.")})
    return LegalHold.objects.create(school=school, child=child, user=user, reason=reason.strip(), placed_by=by)


def hold_lift(*, hold: LegalHold, by) -> LegalHold:
    if hold.lifted_at is None:
        hold.lifted_at = timezone.now()
        hold.save(update_fields=["lifted_at"])
    return hold


def retention_periods_set(*, school, days: dict[str, int]) -> None:
    """A school's own retention periods, replacing the defaults of the declarations."""
    from privacy.declarations import retention_rules
    from privacy.retention import LEFT_CHILDREN_RULE

    known = {rule["key"] for rule in [LEFT_CHILDREN_RULE, *retention_rules()]}
    with transaction.atomic():
        for key, value in days.items():
            if key not in known or value < 1:
                raise ValidationError(_("Unknown retention rule or period."))
            RetentionPeriod.objects.update_or_create(school=school, key=key, defaults={"days": value})
