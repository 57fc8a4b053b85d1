"""Reminders to the school's data protection contact before a request's deadlines pass."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from notifications.services import notice_send
from privacy.models import OPEN_STATUSES, PrivacyRequest, RequestEvent, RequestKind, RequestStatus


def deadline_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Tell the contacts of each open request whose acknowledgement or completion is due soon (once per deadline)."""
    from privacy.services import contacts_of

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    soon = today + datetime.timedelta(days=settings.PRIVACY_REMIND_DAYS_BEFORE)
    sent = 0
    requests = (
        PrivacyRequest.objects.filter(status__in=OPEN_STATUSES)
        .exclude(status=RequestStatus.WAITING)
        .select_related("school")
    )
    for request in requests.order_by("pk"):
        due = []
        if request.acknowledged_at is None and request.acknowledge_by <= soon:
            due.append(("acknowledge", request.acknowledge_by, _("Acknowledge a privacy request by %(date)s")))
        if request.deadline <= soon:
            due.append(
                (f"complete-{request.deadline:%Y%m%d}", request.deadline, _("Complete a privacy request by %(date)s"))
            )
        for step, deadline, title in due:
            told = 0
            for contact in contacts_of(request.school):
                notice = notice_send(
                    recipient=contact,
                    category=Category.ACCOUNT,
                    title=title,
                    body=_("%(kind)s, received on %(received)s."),
                    url=reverse("privacy:queue_item", args=[request.school.slug, request.pk]),
                    dedupe_key=f"privacy:request:{request.pk}:remind:{step}",
                    school=request.school,
                    urgent=deadline <= today,
                    context={
                        "date": deadline.strftime("%d/%m/%Y"),
                        "kind": RequestKind(request.kind).label,
                        "received": timezone.localtime(request.received_at).strftime("%d/%m/%Y"),
                    },
                )
                told += notice is not None
            if told:
                RequestEvent.objects.create(
                    school_id=request.school_id, request=request, action=RequestEvent.Action.REMINDED, at=now
                )
                sent += told
    return sent
