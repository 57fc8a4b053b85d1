"""Reads of children's works."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from mediafiles.models import State
from parents.models import ConsentPurpose, ConsentRecord
from portfolio.models import Work, WorkPhoto

PHOTOS = ConsentPurpose.PORTFOLIO_PHOTOS
VOICE = ConsentPurpose.VOICE_RECORDINGS


def work_of_media(*, media) -> tuple[Work, bool] | None:
    """The work a file belongs to, as a photo or as its voice note (True), in one query; None for other files."""
    work = (
        Work.objects.filter(Q(photos__media_id=media.pk) | Q(voice_id=media.pk)).select_related("child__school").first()
    )
    if work is None:
        return None
    return work, work.voice_id == media.pk


def work_is_ready(work: Work, photos) -> bool:
    """Whether the work's page shows it whole: its QR images are made and its files are processed.

    `photos` are the work's WorkPhoto rows with their media (already read)."""
    if not work.qr_ready:
        return False
    if any(photo.media.state != State.READY for photo in photos):
        return False
    return work.voice is None or work.voice.state == State.READY


# --- The work's page (/w/<token>) -----------------------------------------------------------------

# Earlier works of the child in the same domain shown under a work.
EARLIER_WORKS = 4


def _consent_stands(purpose: str):
    """Whether the guardians' consent to `purpose` stands for the outer row's child, as SQL.

    The rule of parents.selectors.consent_granted_child_ids (at least one guardian said yes, and no
    guardian's latest word is a withdrawal), written as a condition so that the page reads it with
    the work instead of in queries of its own (tests/portfolio/test_consent.py holds them equal)."""
    records = ConsentRecord.objects.filter(child_id=OuterRef("child_id"), purpose=purpose)
    # A later word of the same guardian (in the same order as the rule: recorded_at, then pk).
    later = ConsentRecord.objects.filter(
        Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk")),
        child_id=OuterRef("child_id"),
        guardian_id=OuterRef("guardian_id"),
        purpose=purpose,
    )
    standing_withdrawal = records.filter(granted=False).filter(~Exists(later))
    return ExpressionWrapper(
        Q(Exists(records.filter(granted=True))) & ~Q(Exists(standing_withdrawal)), output_field=BooleanField()
    )


def work_for_token(*, token: str, user) -> Work | None:
    """The work whose current or replaced code `token` is, in one query, or None.

    The current and the replaced codes are looked up together (a union), so that an unknown code, a
    replaced one and another family's cost the same query. The work comes with its child, school,
    class and voice note, and with:
    - `token_is_current`: False for a replaced code;
    - `viewer_opened`: whether `user` opened it before (the page writes the mark only once);
    - `photos_allowed`, `voice_allowed`: whether the guardians' consents stand."""
    from portfolio.models import RevokedToken, WorkOpen

    codes = (
        Work.objects.filter(token=token)
        .order_by()
        .values("pk")
        .union(RevokedToken.objects.filter(token=token).order_by().values("work_id"), all=True)
    )
    return (
        Work.objects.filter(pk__in=codes)
        .select_related("child__school", "classroom", "voice")
        .annotate(
            token_is_current=ExpressionWrapper(Q(token=token), output_field=BooleanField()),
            viewer_opened=Exists(WorkOpen.objects.filter(work_id=OuterRef("pk"), user_id=user.pk)),
            photos_allowed=_consent_stands(PHOTOS),
            voice_allowed=_consent_stands(VOICE),
        )
        .order_by()
        .first()
    )


@dataclass
class WorkPage:
    work: Work
    photos: list  # the work's WorkPhoto rows with their media, in order
    earlier: list[Work]  # earlier works of the child in the same domain, newest first, each with `.cover`
    ready: bool


def work_page(work: Work) -> WorkPage:
    """What the page shows beside the work itself, in two queries whatever the numbers of photos and
    works: the child's earlier works in the same domain, and the photos of the work and of those."""
    earlier = list(
        Work.objects.filter(child_id=work.child_id, domain=work.domain)
        .filter(Q(made_on__lt=work.made_on) | Q(made_on=work.made_on, pk__lt=work.pk))
        .only("pk", "title", "made_on", "token", "child_id")
        .order_by("-made_on", "-pk")[:EARLIER_WORKS]
    )
    rows = list(
        WorkPhoto.objects.filter(work_id__in=[work.pk, *(w.pk for w in earlier)])
        .select_related("media")
        .order_by("position", "pk")
    )
    photos = [row for row in rows if row.work_id == work.pk]
    covers: dict[int, WorkPhoto] = {}
    for row in rows:
        covers.setdefault(row.work_id, row)
    for other in earlier:
        other.cover = covers.get(other.pk)
    return WorkPage(work=work, photos=photos, earlier=earlier, ready=work_is_ready(work, photos))
