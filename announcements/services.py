"""Writes for announcements and pick-up notices. Each is one atomic function."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from announcements import policies, selectors
from announcements.models import Announcement, AnnouncementReceipt, PickupNotice
from notifications.models import Category
from notifications.selectors import notices_for
from notifications.services import notice_fan_out, notice_mark_read, notice_send
from schools.models import Child, Classroom, PickupPerson, School, StaffRole, school_today

# Pick-up notices are about a school day: times outside these hours are a typing mistake.
PICKUP_EARLIEST = datetime.time(6, 0)
PICKUP_LATEST = datetime.time(19, 0)
PICKUP_DAYS_AHEAD = 30


@transaction.atomic
def announcement_post(
    *,
    school: School,
    by,
    title: str,
    body: str,
    kind: str,
    classrooms=(),
    requires_acknowledgement: bool = False,
    urgent: bool = False,
    publish: bool = True,
) -> Announcement:
    """Post an announcement to chosen classes, or to the whole school when none are given; publish it unless a draft."""
    if not policies.can_manage_announcements(by, school):
        raise PermissionDenied
    classrooms = list(classrooms)
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the announcement a title.")
    elif len(title) > Announcement._meta.get_field("title").max_length:
        errors["title"] = _("The title is too long: keep it under 200 characters.")
    if not body:
        errors["body"] = _("Write the text of the announcement.")
    if kind not in Announcement.Kind.values:
        errors["kind"] = _("Choose what the announcement is about.")
    if any(c.school_id != school.pk for c in classrooms):
        errors["classrooms"] = _("The class belongs to another school.")
    elif not policies.can_post_announcement(by, school, classrooms):
        errors["classrooms"] = (
            _("You can post only to the classes you teach.")
            if classrooms
            else _("Only the principal or a vice-principal can post to the whole school. Choose your classes.")
        )
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(
        school=school,
        title=title,
        body=body,
        kind=kind,
        audience=Announcement.Audience.CLASSES if classrooms else Announcement.Audience.SCHOOL,
        requires_acknowledgement=requires_acknowledgement,
        urgent=urgent,
        created_by=by,
    )
    if classrooms:
        announcement.classrooms.set(classrooms, through_defaults={"school": school})
    if publish:
        announcement_publish(announcement=announcement, by=by)
    return announcement


ANNOUNCEMENT_NOTICE_TITLE = gettext_lazy("%(kind)s: %(title)s")
ANNOUNCEMENT_NOTICE_ASK = gettext_lazy("Please open the announcement and confirm that you have read it.")


# Each guardian told of an announcement gets one notice with this key and the announcement's id: the
# report counts the families reached from these notices.
ANNOUNCEMENT_DEDUPE_PREFIX = "announcement:"


def _announcement_dedupe_key(announcement: Announcement) -> str:
    return f"{ANNOUNCEMENT_DEDUPE_PREFIX}{announcement.pk}"


@transaction.atomic
def announcement_publish(*, announcement: Announcement, by) -> int:
    """Publish a draft and tell each guardian of the children it is for once; returns how many are told."""
    if not policies.can_publish_announcement(by, announcement):
        raise PermissionDenied
    now = timezone.now()
    # Conditional, so that a double click or two leaders at once publish (and tell families) once.
    if not Announcement.objects.filter(pk=announcement.pk, published_at__isnull=True).update(published_at=now):
        return 0
    announcement.published_at = now
    recipient_ids = selectors.announcement_guardian_ids(announcement=announcement)
    ask = announcement.requires_acknowledgement

    def body() -> str:
        return "%(body)s\n\n" + str(ANNOUNCEMENT_NOTICE_ASK) if ask else "%(body)s"

    notice_fan_out(
        recipient_ids=recipient_ids,
        category=Category.ANNOUNCEMENT,
        title=ANNOUNCEMENT_NOTICE_TITLE,
        body=body,
        url=_announcement_url(announcement),
        dedupe_key=_announcement_dedupe_key(announcement),
        school=announcement.school,
        urgent=announcement.urgent,
        context={
            "kind": Announcement.Kind(announcement.kind).label,
            "title": announcement.title,
            "body": announcement.body,
        },
    )
    return len(recipient_ids)


def _announcement_url(announcement: Announcement) -> str:
    return reverse("announcements:announcement", args=[announcement.pk])


@transaction.atomic
def announcement_mark_read(*, announcement: Announcement, guardian) -> AnnouncementReceipt:
    """Record that a guardian opened the announcement (the first opening counts); its notice is read too."""
    if not policies.is_announcement_for(guardian, announcement):
        raise PermissionDenied
    unread = notices_for(user=guardian).filter(dedupe_key=_announcement_dedupe_key(announcement), read_at__isnull=True)
    for notice in unread:
        notice_mark_read(notice=notice, user=guardian)
    receipts = AnnouncementReceipt.objects.filter(announcement=announcement, guardian=guardian)
    receipt = receipts.first()
    if receipt is None:
        # Two tabs opening it at once make one receipt.
        AnnouncementReceipt.objects.bulk_create(
            [AnnouncementReceipt(school_id=announcement.school_id, announcement=announcement, guardian=guardian)],
            ignore_conflicts=True,
        )
        receipt = receipts.get()
    return receipt


@transaction.atomic
def announcement_acknowledge(*, announcement: Announcement, guardian) -> bool:
    """Record once that a guardian has read and understood; False if they already had."""
    if not policies.can_acknowledge_announcement(guardian, announcement):
        raise PermissionDenied
    receipt = announcement_mark_read(announcement=announcement, guardian=guardian)
    now = timezone.now()
    updated = AnnouncementReceipt.objects.filter(pk=receipt.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now
    )
    return bool(updated)


# --- Pick-up notices ----------------------------------------------------------------------------

# A notice leaves the portal by e-mail and SMS: it names the child by given name only and says what
# kind of notice it is. The family's note, the class and who picks up stay on the portal's page,
# which the notice links to.
PICKUP_NOTICE_TITLE = gettext_lazy("%(kind)s: %(child)s, %(date)s")
PICKUP_CANCELLED_TITLE = gettext_lazy("Cancelled – %(kind)s: %(child)s, %(date)s")
PICKUP_CANCELLED_BODY = gettext_lazy("The family cancelled this notice.")
PICKUP_NOTICE_BODIES = {
    PickupNotice.Kind.LATE: gettext_lazy("%(child)s will be picked up late, at about %(time)s."),
    PickupNotice.Kind.EARLY: gettext_lazy("%(child)s will be picked up early, at %(time)s."),
    PickupNotice.Kind.ABSENT: gettext_lazy("%(child)s will not come to school. The family's note is in the portal."),
    PickupNotice.Kind.OTHER_PERSON: gettext_lazy(
        "Someone else will pick %(child)s up. Open the portal to see who, and check their ID card."
    ),
}
PICKUP_NOTICE_AT = gettext_lazy("Around %(time)s.")
PICKUP_NOTICE_NOTE = gettext_lazy("The family wrote a note: read it in the portal.")


def _pickup_notice_errors(*, child: Child, by, kind: str, date, time, reason: str, pickup_person) -> dict:
    today = school_today()
    errors = {}
    if kind not in PickupNotice.Kind.values:
        errors["kind"] = _("Choose what the notice is about.")
    if date < today:
        errors["date"] = _("This day is in the past. Choose today or a later day.")
    elif date > today + datetime.timedelta(days=PICKUP_DAYS_AHEAD):
        errors["date"] = ngettext(
            "Choose a day within the next %(days)d day.",
            "Choose a day within the next %(days)d days.",
            PICKUP_DAYS_AHEAD,
        ) % {"days": PICKUP_DAYS_AHEAD}
    if kind in (PickupNotice.Kind.LATE, PickupNotice.Kind.EARLY) and time is None:
        errors["time"] = _("Enter the time you will come.")
    elif time is not None and not PICKUP_EARLIEST <= time <= PICKUP_LATEST:
        errors["time"] = _("Choose a time between %(start)s and %(end)s.") % {
            "start": PICKUP_EARLIEST.strftime("%H:%M"),
            "end": PICKUP_LATEST.strftime("%H:%M"),
        }
    if kind == PickupNotice.Kind.ABSENT and not reason:
        errors["reason"] = _("Say why the child will be absent (for example: a fever).")
    elif len(reason) > PickupNotice._meta.get_field("reason").max_length:
        errors["reason"] = _("Keep the note under 300 characters.")
    if kind == PickupNotice.Kind.OTHER_PERSON:
        if pickup_person is None:
            errors["pickup_person"] = _("Choose who will pick the child up.")
        elif pickup_person.child_id != child.pk or not pickup_person.can_pick_up:
            errors["pickup_person"] = _(
                "This person is not approved to pick up this child. Add them to the child's pick-up persons first."
            )
    already_sent = PickupNotice.objects.filter(child=child, sent_by=by, date=date, kind=kind, cancelled_at__isnull=True)
    if not errors and already_sent.exists():
        errors[NON_FIELD_ERRORS] = _("You already sent this notice for that day. Cancel it first to send another.")
    return errors


def _class_teachers(classroom: Classroom) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            staff_memberships__classrooms=classroom,
            staff_memberships__school_id=classroom.school_id,
            staff_memberships__role=StaffRole.TEACHER,
            staff_memberships__is_active=True,
        ).distinct()
    )


def _pickup_context(notice: PickupNotice) -> dict:
    """What a pick-up notice's message may say: the kind, the child's given name, the day and time."""
    return {
        "kind": PickupNotice.Kind(notice.kind).label,
        "child": notice.child.given_name,
        "date": notice.date.strftime("%d/%m/%Y"),
        "time": notice.time.strftime("%H:%M") if notice.time else "",
    }


def _pickup_notice_url(notice: PickupNotice) -> str:
    url = reverse("announcements:classroom_pickup_notices", args=[notice.classroom_id])
    return f"{url}?date={notice.date.isoformat()}"


@transaction.atomic
def pickup_notice_send(
    *,
    child: Child,
    by,
    kind: str,
    date: datetime.date | None = None,
    time: datetime.time | None = None,
    reason: str = "",
    pickup_person: PickupPerson | None = None,
) -> PickupNotice:
    """Tell the class teachers that a child is picked up late, early, by someone else, or is absent."""
    if not policies.can_send_pickup_notice(by, child):
        raise PermissionDenied
    date = date or school_today()
    reason = (reason or "").strip()
    if kind == PickupNotice.Kind.ABSENT:
        time = None
    if kind != PickupNotice.Kind.OTHER_PERSON:
        pickup_person = None
    errors = _pickup_notice_errors(
        child=child, by=by, kind=kind, date=date, time=time, reason=reason, pickup_person=pickup_person
    )
    if errors:
        raise ValidationError(errors)
    notice = PickupNotice.objects.create(
        school_id=child.school_id,
        child=child,
        classroom_id=child.classroom_id,
        kind=kind,
        date=date,
        time=time,
        reason=reason,
        pickup_person=pickup_person,
        sent_by=by,
    )
    notice.child = child
    parts = [PICKUP_NOTICE_BODIES[kind]]
    if time and kind == PickupNotice.Kind.OTHER_PERSON:
        parts.append(PICKUP_NOTICE_AT)
    if reason and kind != PickupNotice.Kind.ABSENT:
        parts.append(PICKUP_NOTICE_NOTE)

    def body() -> str:
        return " ".join(str(part) for part in parts)

    context = _pickup_context(notice)
    for teacher in _class_teachers(notice.classroom):
        # Urgent: the teacher needs it today, not in tomorrow's digest.
        notice_send(
            recipient=teacher,
            category=Category.PICKUP,
            title=PICKUP_NOTICE_TITLE,
            body=body,
            url=_pickup_notice_url(notice),
            dedupe_key=f"pickup:{notice.pk}:teacher:{teacher.pk}",
            school=child.school,
            urgent=True,
            context=context,
            child_name=child.given_name,
            kind=PickupNotice.Kind(kind).label,
        )
    return notice


@transaction.atomic
def pickup_notice_cancel(*, notice: PickupNotice, by) -> bool:
    """Withdraw one's own pick-up notice and tell the teachers; False if it was already withdrawn."""
    if not policies.can_cancel_pickup_notice(by, notice, today=school_today()):
        raise PermissionDenied
    now = timezone.now()
    if not PickupNotice.objects.filter(pk=notice.pk, cancelled_at__isnull=True).update(cancelled_at=now):
        return False
    notice.cancelled_at = now
    context = _pickup_context(notice)
    for teacher in _class_teachers(notice.classroom):
        notice_send(
            recipient=teacher,
            category=Category.PICKUP,
            title=PICKUP_CANCELLED_TITLE,
            body=PICKUP_CANCELLED_BODY,
            url=_pickup_notice_url(notice),
            dedupe_key=f"pickup:{notice.pk}:cancelled:teacher:{teacher.pk}",
            school=notice.classroom.school,
            urgent=True,
            context=context,
            child_name=notice.child.given_name,
        )
    return True
