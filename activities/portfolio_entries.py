"""What home activities give to a child's portfolio: the family's answers that the teacher approved.

The portfolio (its timeline and the album) finds this module by its name with
`autodiscover_modules("portfolio_entries")` and never imports `activities`; this module does not
import the portfolio either. It returns plain records, one per answer, newest first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from activities import policies
from activities.models import Answer
from mediafiles.models import MediaFile
from parents.policies import can_follow_child


@dataclass(frozen=True)
class PortfolioEntry:
    """One approved answer, as the portfolio shows it."""

    key: str  # unique among every app's entries: "activities.answer:<pk>"
    date: datetime.date  # the day the family sent it
    title: str  # the activity's title
    domain: str  # the developmental domain's label (schools.models.Domain)
    domain_code: str  # its value, for filtering
    text: str  # the family's note
    feedback: str  # the teacher's reply
    media: list[MediaFile] = field(default_factory=list)  # the photo, clip or recording (none when hidden)
    media_kind: str = ""  # "image", "video", "audio" (mediafiles.models.Kind), "" without a file
    url: str = ""  # the answer's page for the person asking; "" when they have none


def _bounds(start, end):
    """The local days [start, end] as aware datetimes [from, until) on Answer.created_at."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz) if start else None
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz) if end else None
    return since, until


def _answers(*, child, start, end, domain, limit):
    answers = Answer.objects.filter(school_id=child.school_id, child_id=child.pk, sharing=Answer.Sharing.APPROVED)
    since, until = _bounds(start, end)
    if since is not None:
        answers = answers.filter(created_at__gte=since)
    if until is not None:
        answers = answers.filter(created_at__lt=until)
    if domain:
        answers = answers.filter(activity__domain=domain)
    answers = answers.select_related("activity", "media").order_by("-created_at", "-pk")
    return answers[:limit] if limit is not None else answers


def _url(user, answer: Answer, child) -> str:
    if user is None:
        return ""
    if can_follow_child(user, child):
        # The family's page of the child's approved answers, at this answer.
        return reverse("activities:child_answers", args=[child.pk]) + f"#answer-{answer.pk}"
    if policies.can_review_answer(user, answer):
        return reverse("activities:participation", args=[answer.activity_id])
    return ""


def _may_see_file(user, answer: Answer) -> bool:
    """The answer's file to the same people as activities' media resolver allows for the child's own
    family and staff (no query: the person's roles and children are read once per request)."""
    if user is None:
        return True  # the album's worker, building for a guardian
    return (
        policies.can_share_answer(user, answer)
        or policies.can_review_answer(user, answer)
        or policies.is_follower_of_answer(user, answer)
    )


def entries_for_child(
    *,
    child,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    domain: str | None = None,
    limit: int | None = None,
    user=None,
) -> list[PortfolioEntry]:
    """The child's approved answers sent between `start` and `end` (inclusive, either may be None),
    optionally of one developmental domain and at most `limit`, newest first: one query however many.

    With `user`, each entry carries the address of the answer's page for that person (or none) and
    its file only if they may download it; without, the files are given (the album's worker)."""
    entries = []
    for answer in _answers(child=child, start=start, end=end, domain=domain, limit=limit):
        answer.child = child  # already read: the policies ask for it without a query
        media = answer.media if answer.media is not None and _may_see_file(user, answer) else None
        entries.append(
            PortfolioEntry(
                key=f"activities.answer:{answer.pk}",
                date=timezone.localdate(answer.created_at),
                title=answer.activity.title,
                domain=str(answer.activity.get_domain_display()),
                domain_code=answer.activity.domain,
                text=answer.note,
                feedback=answer.feedback,
                media=[media] if media is not None else [],
                media_kind=media.kind if media is not None else "",
                url=_url(user, answer, child),
            )
        )
    return entries
