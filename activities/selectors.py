"""Reads of home activities. Every queryset that reaches a person is scoped here, in a fixed
number of queries whatever the amount of data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from activities import policies
from activities.models import Activity, ActivityClassroom, ActivityPhoto, ActivityView, Answer
from coordination.lib.fragments import kept
from parents.models import ConsentPurpose, Guardianship, GuardianshipStatus
from parents.policies import family_school_ids, remember_guardianships
from parents.selectors import consent_granted_child_ids
from schools.models import Child, Classroom, School
from schools.policies import access_for, is_leader_of, person_school_ids

# --- Consent ----------------------------------------------------------------------------------------


def shared_consent_child_ids(*, child_ids) -> set[int]:
    """Of these children, those whose photos may be shown to other families, in one query."""
    return consent_granted_child_ids(child_ids=child_ids, purpose=ConsentPurpose.SHARED_PHOTOS)


# --- Media --------------------------------------------------------------------------------------------


def activity_of_media(*, media) -> Activity | None:
    """The activity whose video, voice instructions or photo this file is, with its classes."""
    return (
        Activity.objects.filter(Q(video_id=media.pk) | Q(voice_id=media.pk) | Q(photos__media_id=media.pk))
        .prefetch_related("classrooms")
        .distinct()
        .first()
    )


def answer_of_media(*, media) -> Answer | None:
    return Answer.objects.filter(media_id=media.pk).first()


# --- One activity ---------------------------------------------------------------------------------------


def _activities(*, school_ids) -> QuerySet[Activity]:
    """Activities with their classes and photos, all read of `school_ids` (the schools the activity may
    be of: an activity found by its id alone does not say its school's shard), unless None."""
    activities, classrooms, photos = Activity.objects.all(), Classroom.objects.all(), ActivityPhoto.objects.all()
    if school_ids is not None:
        activities = activities.filter(school_id__in=school_ids)
        classrooms, photos = classrooms.filter(school_id__in=school_ids), photos.filter(school_id__in=school_ids)
    return activities.select_related("school", "video", "voice", "created_by", "adopted_from").prefetch_related(
        Prefetch("classrooms", queryset=classrooms.order_by("name")),
        Prefetch("photos", queryset=photos.select_related("media")),
    )


def activity_get(*, user, activity_id: int) -> Activity:
    """The activity, or 404 for anyone it is not for and who does not run it (no hint that it exists)."""
    activity = _activities(school_ids=person_school_ids(user)).filter(pk=activity_id).first()
    if activity is None or not policies.can_view_activity(user, activity):
        raise Http404
    return activity


def activity_get_for_staff(*, user, activity_id: int) -> Activity:
    school_ids = set(access_for(user).roles_by_school)
    activity = _activities(school_ids=school_ids).filter(pk=activity_id).first()
    if activity is None or not policies.staff_can_view_activity(user, activity):
        raise Http404
    return activity


@dataclass
class FamilyView:
    """What a family sees of one activity: each child with its answer, and the answers shared with the class."""

    rows: list[tuple[Child, Answer | None]]
    class_answers: list[Answer]


def activity_for_family(*, activity: Activity, children: list[Child]) -> FamilyView:
    """The family's own answers (one per child at most) and the approved answers of their children's classes
    whose guardians consent to shared photos: three queries."""
    if not children:
        return FamilyView(rows=[], class_answers=[])
    own_ids = [c.pk for c in children]
    own = {
        a.child_id: a
        for a in Answer.objects.filter(activity=activity, child_id__in=own_ids).select_related("media", "feedback_by")
    }
    shared = list(
        Answer.objects.filter(
            activity=activity,
            sharing=Answer.Sharing.APPROVED,
            classroom_id__in={c.classroom_id for c in children},
        )
        .exclude(child_id__in=own_ids)
        .select_related("media", "child")
        .order_by("-decided_at", "-pk")
    )
    consented = shared_consent_child_ids(child_ids={a.child_id for a in shared})
    return FamilyView(
        rows=[(c, own.get(c.pk)) for c in children],
        class_answers=[a for a in shared if a.child_id in consented],
    )


# --- A child's approved answers, for the family viewers ---------------------------------------------------


@dataclass
class SharedAnswersPage:
    child: Child
    answers: list[Answer]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def child_shared_answers(*, user, child_id: int, page: int = 1, per_page: int = 10) -> SharedAnswersPage:
    """The child's answers that the teacher approved for the class, newest first, for the child's guardians
    and family viewers (404 for anyone else): two queries whatever the number of answers."""
    child = Child.objects.filter(pk=child_id).first()
    if child is None or not policies.can_view_child_answers(user, child):
        raise Http404
    page = max(1, page)
    start = (page - 1) * per_page
    rows = list(
        Answer.objects.filter(child=child, sharing=Answer.Sharing.APPROVED)
        .select_related("activity", "media", "feedback_by")
        .order_by("-decided_at", "-pk")[start : start + per_page + 1]
    )
    for answer in rows:
        answer.child = child  # already read: no query per answer
    return SharedAnswersPage(child=child, answers=rows[:per_page], number=page, has_next=len(rows) > per_page)


# --- Families' feed -------------------------------------------------------------------------------------


def _family_children(user) -> list[Child]:
    """The person's children, each with `classroom_name` and `school_name`, in one plain query.

    Plain SQL because the feed is the page families open most, and building this query through
    the ORM cost more than the rest of a cached feed page (BENCHMARKS.md, Home activities).
    """
    child, link = Child._meta.db_table, Guardianship._meta.db_table
    classroom, school = Classroom._meta.db_table, School._meta.db_table
    sql = (
        "SELECT c.id, c.full_name, c.nickname, c.left_on, c.school_id, c.classroom_id, "  # noqa: S608 (table names)
        f"r.name AS classroom_name, s.name AS school_name FROM {child} c "
        f"JOIN {link} g ON g.child_id = c.id JOIN {school} s ON s.id = c.school_id "
        f"LEFT JOIN {classroom} r ON r.id = c.classroom_id WHERE g.guardian_id = %s AND g.status = %s"
    )
    # Only an active guardianship counts (a pending or suspended one gives no access).
    return list(Child.objects.raw(sql, [user.pk, GuardianshipStatus.ACTIVE]))


def feed_child_get(*, user, child_id: int, along: Iterable[str] = ()) -> Child:
    """The family's own child, in a class; 404 for anyone else.

    One query reads all the person's children (the menu needs them too, so it is spared its own).
    """
    # Kept between requests until the children, their classes or schools change, or the person's
    # guardianships do (coordination/lib/fragments.py).
    children = kept(
        user.pk,
        "activities.family_children",
        lambda: _family_children(user),
        schools=family_school_ids(user) or (),
        along=along,  # what the feed reads next, in the same round trip
    )
    remember_guardianships(user, [c.pk for c in children])
    child = next((c for c in children if c.pk == child_id), None)
    if child is None or not policies.can_view_feed(user, child):
        raise Http404
    return child


@dataclass
class FeedPage:
    activities: list[Activity]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def activity_feed(*, child: Child, page: int = 1, per_page: int = 10) -> FeedPage:
    """One page of the published activities of the child's class, newest first, each with whether the
    family opened and answered it: one query, and one more when some activity has no video (its photos).

    Pages are counted forward (newer, older) without counting every activity.
    """
    page = max(1, page)
    start = (page - 1) * per_page
    rows = list(
        Activity.objects.filter(
            school_id=child.school_id, state=Activity.State.PUBLISHED, links__classroom_id=child.classroom_id
        )
        # What the card and the family's marks show; the video is read only to render a card
        # that is not in the cache yet (activities.fragments).
        .only("id", "school_id", "title", "instructions", "domain", "answer_by", "published_at", "video_id", "voice_id")
        # At most one answer and one opening per activity and child (unique constraints): plain joins.
        .annotate(
            mine=FilteredRelation("answers", condition=Q(answers__child=child)),
            seen=FilteredRelation("views", condition=Q(views__child=child)),
        )
        .annotate(
            answer_sharing=F("mine__sharing"),
            answer_sticker=F("mine__sticker"),
            answer_feedback_at=F("mine__feedback_at"),
            viewed_at=F("seen__viewed_at"),
        )
        .order_by("-published_at", "-pk")[start : start + per_page + 1]
    )
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    without_video = [a.pk for a in rows if a.video_id is None]
    first_photos: dict[int, ActivityPhoto] = {}
    if without_video:
        photos = ActivityPhoto.objects.filter(school_id=child.school_id, activity_id__in=without_video)
        for photo in photos.only("activity_id", "media_id"):
            first_photos.setdefault(photo.activity_id, photo)
    for activity in rows:
        activity.first_photo = first_photos.get(activity.pk)
    return FeedPage(activities=rows, number=page, has_next=has_next)


# --- Staff ------------------------------------------------------------------------------------------------


def school_get_for_activities(*, user, slug: str) -> School:
    school = School.objects.filter(slug=slug).first()
    if school is None or not policies.can_post_activities(user, school):
        raise Http404
    return school


def classrooms_for_posting(*, user, school: School) -> QuerySet[Classroom]:
    """The classes the person may post to: every current class for leaders, their own for a teacher."""
    classrooms = Classroom.objects.filter(school=school, school_year__is_current=True)
    if not is_leader_of(user, school):
        classrooms = classrooms.filter(pk__in=access_for(user).taught_classroom_ids)
    return classrooms.order_by("name")


def activities_for_staff(*, user, school: School, classroom_id: int | None = None) -> QuerySet[Activity]:
    """The school's activities the person may open, with their answers in the person's classes."""
    activities = Activity.objects.filter(school=school)
    scope = None
    if not is_leader_of(user, school):
        scope = access_for(user).taught_classroom_ids
        mine = ActivityClassroom.objects.filter(classroom_id__in=scope).values("activity_id")
        activities = activities.filter(Q(state=Activity.State.PUBLISHED, pk__in=mine) | Q(created_by=user))
    if classroom_id is not None:
        activities = activities.filter(links__classroom_id=classroom_id)
    answers = Answer.objects.filter(activity=OuterRef("pk"))
    if scope is not None:
        answers = answers.filter(classroom_id__in=scope)
    counted = answers.order_by().values("activity").annotate(n=Count("pk")).values("n")
    return (
        activities.select_related("created_by")
        .prefetch_related(Prefetch("classrooms", queryset=Classroom.objects.order_by("name")))
        .annotate(answer_count=Coalesce(Subquery(counted[:1]), 0))
        .order_by("-created_at", "-pk")
    )


def answer_get(*, user, answer_id: int) -> Answer:
    """An answer for its family or the staff who review it; 404 for everyone else."""
    answer = (
        Answer.objects.select_related("activity", "child", "classroom", "media", "school").filter(pk=answer_id).first()
    )
    if answer is None or not (policies.can_share_answer(user, answer) or policies.can_review_answer(user, answer)):
        raise Http404
    return answer


@dataclass
class ChildRow:
    child: Child
    guardians: list
    viewed_at: datetime.datetime | None
    answer: Answer | None


@dataclass
class ClassParticipation:
    classroom: Classroom
    link: ActivityClassroom
    rows: list[ChildRow] = field(default_factory=list)

    @property
    def enrolled(self) -> int:
        return len(self.rows)

    @property
    def viewed(self) -> int:
        return sum(1 for r in self.rows if r.viewed_at or r.answer)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.answer)

    @property
    def rate(self) -> float | None:
        return self.answered / self.enrolled if self.enrolled else None

    @property
    def rate_percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    @property
    def not_answered(self) -> list[ChildRow]:
        return [r for r in self.rows if not r.answer]

    @property
    def answers(self) -> list[Answer]:
        return [r.answer for r in self.rows if r.answer]

    @property
    def nudgeable(self) -> list[ChildRow]:
        """Children without an answer whose family has an account to be reminded."""
        return [r for r in self.not_answered if r.guardians]


def activity_participation(*, user, activity: Activity) -> list[ClassParticipation]:
    """Per class the person follows: each child of the class now, whether the family opened the
    activity and what it answered. Six queries whatever the number of classes and children."""
    scope = policies.staff_classroom_ids(user, activity)
    school_id = activity.school_id  # every read names the school: one shard under Citus (docs/scaling.md)
    links = list(
        ActivityClassroom.objects.filter(school_id=school_id, activity=activity, classroom_id__in=scope)
        .select_related("classroom")
        .order_by("classroom__name")
    )
    children = list(
        Child.objects.filter(
            school_id=school_id, classroom_id__in=[link.classroom_id for link in links], left_on__isnull=True
        )
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.active()
                .filter(school_id=school_id)
                .select_related("guardian")
                .order_by("-is_primary", "created_at"),
            )
        )
        .order_by("full_name")
    )
    ids = [c.pk for c in children]
    views = ActivityView.objects.filter(school_id=school_id, activity=activity, child_id__in=ids)
    views = dict(views.values_list("child_id", "viewed_at"))
    answers = {
        a.child_id: a
        for a in Answer.objects.filter(school_id=school_id, activity=activity, child_id__in=ids).select_related(
            "media", "guardian", "feedback_by"
        )
    }
    by_class = {link.classroom_id: ClassParticipation(classroom=link.classroom, link=link) for link in links}
    for child in children:
        if child.pk in answers:
            answers[child.pk].child = child  # already read: no query per answer
        by_class[child.classroom_id].rows.append(
            ChildRow(
                child=child,
                guardians=[g.guardian for g in child.guardianships.all()],
                viewed_at=views.get(child.pk),
                answer=answers.get(child.pk),
            )
        )
    return list(by_class.values())


def nudge_recipient_ids(*, activity: Activity, classroom: Classroom) -> list[int]:
    """The guardians of the class's children who have no answer yet, each once."""
    answered = Answer.objects.filter(activity=activity).values("child_id")
    return list(
        Guardianship.objects.active()
        .filter(child__classroom=classroom, child__left_on__isnull=True)
        .exclude(child_id__in=answered)
        .values_list("guardian_id", flat=True)
        .distinct()
        .order_by("guardian_id")
    )


def activity_guardian_ids(*, activity: Activity) -> list[int]:
    """Every guardian of a child now in one of the activity's classes, each once."""
    return list(
        Guardianship.objects.active()
        .filter(child__classroom__activity_links__activity=activity, child__left_on__isnull=True)
        .values_list("guardian_id", flat=True)
        .distinct()
        .order_by("guardian_id")
    )


# --- The school's participation over time -------------------------------------------------------------

# Schools reported that 60–70 % of families answered during the closures.
TARGET_BAND = (0.60, 0.70)


@dataclass
class WeekRate:
    week: datetime.date  # its Monday
    activities: int
    answered: int
    expected: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.expected if self.expected else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


@dataclass
class ClassSeries:
    classroom: Classroom
    weeks: list[WeekRate]

    @property
    def has_data(self) -> bool:
        return any(w.activities for w in self.weeks)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def school_participation(*, school: School, weeks: int = 12, today: datetime.date | None = None) -> list[ClassSeries]:
    """Each current class's share of answered children week by week (by the week an activity was
    published), over the last `weeks` weeks: three queries whatever the size."""
    zone = timezone.get_default_timezone()
    today = today or timezone.localdate(timezone=zone)
    first = _monday(today) - datetime.timedelta(weeks=weeks - 1)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    classrooms = list(
        Classroom.objects.filter(school=school, school_year__is_current=True).order_by("age_group", "name")
    )
    links = ActivityClassroom.objects.filter(
        school=school,
        classroom__in=classrooms,
        activity__state=Activity.State.PUBLISHED,
        activity__published_at__gte=start,
    ).values_list("classroom_id", "activity_id", "enrolled", "activity__published_at")
    answered = {
        (row["activity_id"], row["classroom_id"]): row["n"]
        for row in Answer.objects.filter(
            school=school, activity__state=Activity.State.PUBLISHED, activity__published_at__gte=start
        )
        .values("activity_id", "classroom_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    mondays = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    table = {(c.pk, m): WeekRate(week=m, activities=0, answered=0, expected=0) for c in classrooms for m in mondays}
    for classroom_id, activity_id, enrolled, published_at in links:
        week = table.get((classroom_id, _monday(timezone.localtime(published_at, zone).date())))
        if week is None:
            continue
        week.activities += 1
        week.expected += enrolled or 0
        week.answered += min(answered.get((activity_id, classroom_id), 0), enrolled or 0)
    return [ClassSeries(classroom=c, weeks=[table[(c.pk, m)] for m in mondays]) for c in classrooms]
