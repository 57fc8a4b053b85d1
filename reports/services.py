"""Every write of the submitted term reports: one atomic function each, checked by the policies.

A school submits one report per term. Until the authority acknowledges it, submitting again replaces the
figures and the cover note, and the history says so; once acknowledged it stays as it was. A cover note
may be empty: the figures speak for themselves, and the principal can still comment afterwards.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Category
from notifications.services import notice_fan_out
from reports import periods, policies, selectors
from reports.models import Submission, SubmissionEvent
from reports.report import report_to_snapshot
from schools.models import LEADER_ROLES, AuthorityOfficer, School, StaffMembership

NOTE_MAX = 4000
COMMENT_MAX = 2000

# Notices name the school and the term, never a figure or a child: they are read on a lock screen.
SUBMITTED_TITLE = gettext_lazy("%(school)s submitted its report for %(period)s")
RESUBMITTED_TITLE = gettext_lazy("%(school)s submitted its report for %(period)s again")
SUBMITTED_BODY = gettext_lazy("Open it to read the figures and acknowledge it.")
ACKNOWLEDGED_TITLE = gettext_lazy("Your report for %(period)s is acknowledged")
ACKNOWLEDGED_BODY = gettext_lazy("The authority has acknowledged the report. Open it to read its history.")
COMMENTED_TITLE = gettext_lazy("A new comment on the report of %(school)s for %(period)s")
COMMENTED_BODY = gettext_lazy("Open the report to read the comment.")
# The notices of reports go with the feedback box's: both are between a school's leaders and its authority.
CATEGORY = Category.FEEDBACK_BOX


def _url(submission: Submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


def _officer_ids(submission: Submission) -> list[int]:
    return list(AuthorityOfficer.objects.filter(authority_id=submission.authority_id).values_list("user_id", flat=True))


def _leader_ids(school_id: int) -> list[int]:
    return list(
        StaffMembership.objects.filter(school_id=school_id, is_active=True, role__in=LEADER_ROLES).values_list(
            "user_id", flat=True
        )
    )


def _tell(*, recipient_ids, title, body, submission: Submission, event: SubmissionEvent) -> None:
    recipients = [pk for pk in recipient_ids if pk != event.by_id]
    if not recipients:
        return
    period = periods.term_period(submission.year_start, submission.term)
    notice_fan_out(  # queued when the event is committed
        recipient_ids=recipients,
        category=CATEGORY,
        title=title,
        body=body,
        url=_url(submission),
        dedupe_key=f"reports:submission:{submission.pk}:{event.pk}",
        context={"school": submission.school.name, "period": period.label},
    )


def _event(submission: Submission, kind: str, *, by, at: datetime.datetime, text: str = "") -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        school_id=submission.school_id, submission=submission, kind=kind, by=by, at=at, text=text
    )


def submission_submit(
    *, by, school: School, year_start: int, term: int, cover_note: str = "", now: datetime.datetime | None = None
) -> Submission:
    """A leader submits the school's report for a term to its commune-level authority (or submits it again)."""
    if not policies.can_submit(by, school.pk):
        raise PermissionDenied
    if term not in (1, 2):
        raise ValidationError({"period": [_("Choose term I or term II.")]})
    cover_note = (cover_note or "").strip()
    if len(cover_note) > NOTE_MAX:
        message = _("Please keep the cover note under %(max)s characters (it has %(count)s).")
        raise ValidationError({"cover_note": [message % {"max": NOTE_MAX, "count": len(cover_note)}]})
    period = periods.term_period(year_start, term)
    if period.start > timezone.localdate(now or timezone.now(), timezone.get_default_timezone()):
        raise ValidationError({"period": [_("%(period)s has not started yet.") % {"period": period.label}]})
    report = selectors.school_report(school=school, period=period)
    if not report.has_data:
        message = _("There are no figures for %(period)s yet, so there is nothing to submit.")
        raise ValidationError({"period": [message % {"period": period.label}]})
    snapshot = report_to_snapshot(report)
    now = now or timezone.now()
    with transaction.atomic():
        submission, created = _locked_or_new(
            school=school, period=period, by=by, now=now, snapshot=snapshot, cover_note=cover_note
        )
        if not created:
            if submission.is_acknowledged:
                raise ValidationError(
                    {"period": [_("The authority has already acknowledged this report: it cannot be changed.")]}
                )
            submission.snapshot = snapshot
            submission.cover_note = cover_note
            submission.submitted_by = by
            submission.submitted_at = now
            submission.authority_id = school.authority_id
            submission.save(update_fields=["snapshot", "cover_note", "submitted_by", "submitted_at", "authority"])
        kind = SubmissionEvent.Kind.SUBMITTED if created else SubmissionEvent.Kind.RESUBMITTED
        event = _event(submission, kind, by=by, at=now, text=cover_note)
        _tell(
            recipient_ids=_officer_ids(submission),
            title=SUBMITTED_TITLE if created else RESUBMITTED_TITLE,
            body=SUBMITTED_BODY,
            submission=submission,
            event=event,
        )
    return submission


def _locked_or_new(*, school, period, by, now, snapshot, cover_note) -> tuple[Submission, bool]:
    """The term's submission locked for this transaction, or a new one; two leaders submitting at once
    make one submission and one resubmission."""
    lookup = {"school": school, "year_start": period.year_start, "term": period.term}
    existing = Submission.objects.select_for_update().filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Submission.objects.create(
                **lookup,
                authority_id=school.authority_id,
                snapshot=snapshot,
                cover_note=cover_note,
                submitted_by=by,
                submitted_at=now,
            ), True
    except IntegrityError:
        return Submission.objects.select_for_update().get(**lookup), False


def submission_open(*, by, submission: Submission, now: datetime.datetime | None = None) -> SubmissionEvent | None:
    """An officer opens a submitted report: recorded once per officer and version, for the school to see."""
    if not policies.reads_as_officer(by, submission):
        return None
    events = SubmissionEvent.objects.filter(submission=submission)
    latest = events.filter(kind__in=[SubmissionEvent.Kind.SUBMITTED, SubmissionEvent.Kind.RESUBMITTED]).order_by(
        "-at", "-pk"
    )[:1]
    already = events.filter(kind=SubmissionEvent.Kind.OPENED, by=by, at__gte=latest.values("at"))
    if already.exists():
        return None
    return _event(submission, SubmissionEvent.Kind.OPENED, by=by, at=now or timezone.now())


def submission_acknowledge(*, by, submission: Submission, now: datetime.datetime | None = None) -> Submission:
    """The receiving officer acknowledges the report; the school's leaders are told. Twice changes nothing."""
    if not policies.can_acknowledge(by, submission):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        # Only a report still waiting is acknowledged: a second click, or two officers at once, tell once.
        changed = Submission.objects.filter(pk=submission.pk, status=Submission.Status.SUBMITTED).update(
            status=Submission.Status.ACKNOWLEDGED, acknowledged_by=by, acknowledged_at=now
        )
        submission.refresh_from_db(fields=["status", "acknowledged_by", "acknowledged_at"])
        if changed:
            event = _event(submission, SubmissionEvent.Kind.ACKNOWLEDGED, by=by, at=now)
            _tell(
                recipient_ids=_leader_ids(submission.school_id),
                title=ACKNOWLEDGED_TITLE,
                body=ACKNOWLEDGED_BODY,
                submission=submission,
                event=event,
            )
    return submission


def submission_comment(
    *, by, submission: Submission, text: str, now: datetime.datetime | None = None
) -> SubmissionEvent:
    """The receiving officer or the school's leaders comment on a submitted report; the other side is told."""
    if not policies.can_comment(by, submission):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Please write your comment.")]})
    if len(text) > COMMENT_MAX:
        message = _("Please keep the comment under %(max)s characters (it has %(count)s).")
        raise ValidationError({"text": [message % {"max": COMMENT_MAX, "count": len(text)}]})
    with transaction.atomic():
        event = _event(submission, SubmissionEvent.Kind.COMMENTED, by=by, at=now or timezone.now(), text=text)
        from_school = policies.is_school_side(by, submission)
        _tell(
            recipient_ids=_officer_ids(submission) if from_school else _leader_ids(submission.school_id),
            title=COMMENTED_TITLE,
            body=COMMENTED_BODY,
            submission=submission,
            event=event,
        )
    return event
