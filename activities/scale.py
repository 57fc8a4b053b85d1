"""Rows of home activities for the benchmark's scale generator (bench seed_scale), built in memory
and inserted in bulk.

Every class of every scale school gets `per_class` published activities over the last
weeks, each with a ready video (its files are never read: the feed only links to them).
The sample school's families also open and answer them (about two thirds of the
families with an account), so that the family feed measured by the benchmark shows
real "answered" marks.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from activities.models import Activity, ActivityClassroom, ActivityView, Answer
from mediafiles.models import Audience, Kind, MediaFile, State
from schools.models import Domain

BATCH_SIZE = 2000
ANSWER_SHARE = 2 / 3
TITLES = [
    "Gấp thuyền giấy",
    "Đếm hạt đậu",
    "Kể chuyện theo tranh",
    "Nhảy lò cò",
    "Tưới cây cùng bố mẹ",
    "Nặn con vật bằng bột mì",
    "Ném bóng vào rổ",
    "Đoán đồ vật trong túi",
    "Xếp hình bằng que tăm",
    "Vẽ chân dung gia đình",
    "Tập cài cúc áo",
    "Hát “Cả nhà thương nhau”",
]
INSTRUCTIONS = (
    "Bố mẹ làm mẫu trước, bé quan sát rồi làm theo từng bước. Khuyến khích bé tự làm, "
    "chỉ giúp khi bé cần. Hỏi bé: con thấy khó nhất ở bước nào? Con muốn làm lại lần nữa không? "
    "Chụp một tấm ảnh hoặc quay một đoạn ngắn gửi cho cô nhé."
)


@dataclass
class Rows:
    """Unsaved activities and what hangs on them, for a few schools."""

    media: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    links: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    views: list = field(default_factory=list)


def _media(rows: Rows, *, school, by, kind: str, when: datetime.datetime) -> MediaFile:
    media = MediaFile(
        id=uuid.uuid4(),
        school=school,
        uploaded_by=by,
        audience=Audience.STAFF if kind == Kind.VIDEO else Audience.FAMILY,
        kind=kind,
        state=State.READY,
        original_name="huong-dan.mp4" if kind == Kind.VIDEO else "anh.jpg",
        content_type="video/mp4" if kind == Kind.VIDEO else "image/jpeg",
        size=4_000_000 if kind == Kind.VIDEO else 250_000,
        received=4_000_000 if kind == Kind.VIDEO else 250_000,
        duration=95.0 if kind == Kind.VIDEO else None,
        width=854 if kind == Kind.VIDEO else 1280,
        height=480 if kind == Kind.VIDEO else 960,
        ready_at=when,
    )
    rows.media.append(media)
    return media


def add_school(
    rows: Rows,
    *,
    school,
    taught: list[tuple[object, object]],
    children: list,
    families: list[tuple[object, object]],
    rng: random.Random,
    per_class: int,
    with_answers: bool,
) -> None:
    """`taught`: (teacher, classroom) pairs; `children`: the school's children; `families`: (child, guardian) pairs."""
    now = timezone.now()
    by_class: dict[int, list] = {}
    for child, guardian in families:
        by_class.setdefault(id(child.classroom), []).append((child, guardian))
    for teacher, classroom in taught:
        size = sum(1 for child in children if child.classroom is classroom)
        for k in range(per_class):
            published = now - datetime.timedelta(days=4 * (per_class - k), hours=rng.randint(0, 8))
            activity = Activity(
                school=school,
                title=f"{TITLES[(k + rng.randint(0, 3)) % len(TITLES)]} ({k + 1})",
                instructions=INSTRUCTIONS,
                materials="Giấy báo cũ, một chậu nước, bút màu",
                domain=rng.choice(Domain.values),
                age_group=classroom.age_group,
                video=_media(rows, school=school, by=teacher, kind=Kind.VIDEO, when=published),
                state=Activity.State.PUBLISHED,
                created_by=teacher,
                created_at=published,
                published_at=published,
            )
            rows.activities.append(activity)
            rows.links.append(
                ActivityClassroom(school=school, activity=activity, classroom=classroom, enrolled=size or None)
            )
            if not with_answers:
                continue
            for child, guardian in by_class.get(id(classroom), []):
                if rng.random() >= ANSWER_SHARE:
                    continue
                sent = published + datetime.timedelta(hours=rng.randint(2, 48))
                rows.views.append(
                    ActivityView(school=school, activity=activity, child=child, guardian=guardian, viewed_at=sent)
                )
                rows.answers.append(
                    Answer(
                        school=school,
                        activity=activity,
                        child=child,
                        classroom=classroom,
                        guardian=guardian,
                        media=_media(rows, school=school, by=guardian, kind=Kind.IMAGE, when=sent),
                        note="Bé rất thích!",
                        created_at=sent,
                    )
                )


def save(rows: Rows) -> None:
    """Insert the rows; the schools, users, classes and children they point at are saved already."""
    for media in rows.media:
        # The stored names follow mediafiles' layout; nothing is ever read from them.
        base = f"schools/{media.school.pk}/media/{media.pk}"
        media.original = f"{base}/original"
        if media.kind == Kind.VIDEO:
            media.rendition, media.poster = f"{base}/video.mp4", f"{base}/poster.jpg"
        else:
            media.rendition, media.thumbnail = f"{base}/photo.jpg", f"{base}/thumb.jpg"
    for model, objects in (
        (MediaFile, rows.media),
        (Activity, rows.activities),
        (ActivityClassroom, rows.links),
        (ActivityView, rows.views),
        (Answer, rows.answers),
    ):
        # Rows point at objects inserted just before; bulk_create picks up their new keys.
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
