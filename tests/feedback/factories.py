"""Feedback items and polls made directly, for tests that are not about making them."""

from __future__ import annotations

import datetime

from django.utils import timezone

MESSAGE = "The gate at the back of the playground does not close properly."


def item_make(world, *, by=None, school=None, route="school", kind="concern", topic="facilities", **fields):
    from feedback.models import FeedbackItem

    fields.setdefault("created_at", timezone.now())
    fields.setdefault("message", MESSAGE)
    return FeedbackItem.objects.create(
        school=school or world.school, sender=by or world.parent, route=route, kind=kind, topic=topic, **fields
    )


def answered(item, *, by, answer="We repaired it on Monday. Thank you for telling us.", published=False):
    now = timezone.now()
    item.answer, item.answered_at, item.answered_by, item.response_working_days = answer, now, by, 1
    item.published_at = now if published else None
    item.save()
    return item


def poll_make(world, *, question="Which date for the festival?", options=("Saturday", "Sunday"), closed=False):
    from feedback.models import Poll, PollOption

    now = timezone.now()
    poll = Poll.objects.create(
        school=world.school,
        question=question,
        created_by=world.principal,
        created_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(hours=1) if closed else now + datetime.timedelta(days=3),
    )
    poll.choices = [
        PollOption.objects.create(school=world.school, poll=poll, label=label, position=n)
        for n, label in enumerate(options)
    ]
    return poll
