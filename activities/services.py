"""Writes for home activities: post, publish, answer, share, review, give feedback, remind.

Each is one atomic function that checks the policy first and changes nothing
when it refuses. Refusals a person can act on are ValidationErrors with a
message in their language (keyed by form field where there is one).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities import feedcache, fragments, policies, selectors
from activities.models import Activity, ActivityClassroom, ActivityPhoto, ActivityView, Answer, Sticker
from mediafiles.captions import media_captions_set, media_transcript_set
from mediafiles.models import Kind, MediaFile
from mediafiles.services import media_pick_for_attaching
from notifications.models import Category
from notifications.selectors import notices_for
from notifications.services import notice_fan_out, notice_mark_read, notice_send
from parents.models import ConsentPurpose
from parents.policies import is_guardian_of
from parents.selectors import child_consent_granted
from schools.models import AgeGroup, Child, Classroom, Domain, School, school_today

MAX_PHOTOS = 3
NOTE_MAX = 1000
FEEDBACK_MAX = 1000
# How far ahead an answer-by date may be: a typing mistake beyond that.
ANSWER_BY_MAX_DAYS = 120


# --- Media to attach ------------------------------------------------------------------------------


def _is_attached(media: MediaFile, *, activity: Activity | None = None) -> bool:
    """Whether the file already belongs to an activity (other than `activity`) or an answer."""
    activities = Activity.objects.filter(Q(video=media) | Q(voice=media))
    photos = ActivityPhoto.objects.filter(media=media)
    if activity is not None and activity.pk:
        activities, photos = activities.exclude(pk=activity.pk), photos.exclude(activity=activity)
    return activities.exists() or photos.exists() or Answer.objects.filter(media=media).exists()


def _media_pick(
    value, *, by, school: School, kinds: set[str], activity: Activity | None = None, checked: bool = False
) -> MediaFile | None:
    """The uploaded file named by a form's hidden input, checked and locked for attaching; ValidationError with
    the reason. With `checked`, a file still being checked by the worker is refused (wait for it)."""
    if value in (None, ""):
        return None
    # Locked until the attachment commits: the daily cleanup of unused files waits for it (mediafiles.usage).
    media = media_pick_for_attaching(value, by=by, school_id=school.pk, kinds=kinds, checked=checked)
    if _is_attached(media, activity=activity):
        raise ValidationError(_("This file is already used elsewhere. Please upload it again."))
    return media


def _pick_into(errors: dict, key: str, value, **kwargs) -> MediaFile | None:
    try:
        return _media_pick(value, **kwargs)
    except ValidationError as exc:
        errors[key] = exc.messages[0]
        return None


# --- Posting ----------------------------------------------------------------------------------------


def _activity_fields(
    *,
    school: School,
    by,
    title: str,
    instructions: str,
    materials: str,
    domain: str,
    age_group: str,
    classrooms: Iterable[Classroom],
    video,
    photos: Iterable,
    answer_by: datetime.date | None,
    voice=None,
    activity: Activity | None = None,
) -> dict:
    """The checked fields of an activity; ValidationError (by field) with every problem at once."""
    classrooms = list(classrooms)
    title, instructions, materials = (title or "").strip(), (instructions or "").strip(), (materials or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the activity a title.")
    elif len(title) > Activity._meta.get_field("title").max_length:
        errors["title"] = _("The title is too long: keep it under 200 characters.")
    if not instructions:
        errors["instructions"] = _("Write what the family does with the child.")
    if domain not in Domain.values:
        errors["domain"] = _("Choose the developmental domain.")
    if age_group not in AgeGroup.values:
        errors["age_group"] = _("Choose the age group.")
    if not classrooms:
        errors["classrooms"] = _("Choose at least one class.")
    elif not policies.can_post_to(by, school, classrooms):
        errors["classrooms"] = _("You can post only to the classes you teach.")
    today = school_today()
    if answer_by is not None:
        if answer_by < today:
            errors["answer_by"] = _("This day is in the past. Choose today or a later day, or leave it empty.")
        elif answer_by > today + datetime.timedelta(days=ANSWER_BY_MAX_DAYS):
            errors["answer_by"] = ngettext(
                "Choose a day within the next %(days)d day.",
                "Choose a day within the next %(days)d days.",
                ANSWER_BY_MAX_DAYS,
            ) % {"days": ANSWER_BY_MAX_DAYS}
    photo_values = [p for p in photos if p not in (None, "")]
    if len(photo_values) > MAX_PHOTOS:
        errors["photos"] = ngettext("Add at most %(n)d photo.", "Add at most %(n)d photos.", MAX_PHOTOS) % {
            "n": MAX_PHOTOS
        }
        photo_values = []
    media_kwargs = {"by": by, "school": school, "activity": activity}
    chosen_video = _pick_into(errors, "video", video, kinds={Kind.VIDEO}, **media_kwargs)
    chosen_voice = _pick_into(errors, "voice", voice, kinds={Kind.AUDIO}, **media_kwargs)
    chosen_photos = []
    for value in photo_values:
        photo = _pick_into(errors, "photos", value, kinds={Kind.IMAGE}, **media_kwargs)
        if photo is not None and photo not in chosen_photos:
            chosen_photos.append(photo)
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "instructions": instructions,
        "materials": materials,
        "domain": domain,
        "age_group": age_group,
        "answer_by": answer_by,
        "classrooms": classrooms,
        "video": chosen_video,
        "voice": chosen_voice,
        "photos": chosen_photos,
    }


def _attach(activity: Activity, *, classrooms: list[Classroom], photos: list[MediaFile]) -> None:
    ActivityClassroom.objects.filter(activity=activity).exclude(classroom__in=classrooms).delete()
    ActivityClassroom.objects.bulk_create(
        [ActivityClassroom(school_id=activity.school_id, activity=activity, classroom=c) for c in classrooms],
        ignore_conflicts=True,
    )
    ActivityPhoto.objects.filter(activity=activity).exclude(media__in=photos).delete()
    kept = set(ActivityPhoto.objects.filter(activity=activity).values_list("media_id", flat=True))
    for position, media in enumerate(photos):
        if media.pk in kept:
            ActivityPhoto.objects.filter(activity=activity, media=media).update(position=position)
        else:
            ActivityPhoto.objects.create(
                school_id=activity.school_id, activity=activity, media=media, position=position
            )


@transaction.atomic
def activity_create(
    *,
    school: School,
    by,
    title: str,
    instructions: str,
    domain: str,
    age_group: str,
    classrooms: Iterable[Classroom],
    materials: str = "",
    video=None,
    voice=None,
    photos: Iterable = (),
    answer_by: datetime.date | None = None,
    publish: bool = False,
) -> Activity:
    """Write an activity for some of the person's classes; publish it (or have it wait for its video) if asked."""
    if not policies.can_post_activities(by, school):
        raise PermissionDenied
    data = _activity_fields(
        school=school,
        by=by,
        title=title,
        instructions=instructions,
        materials=materials,
        domain=domain,
        age_group=age_group,
        classrooms=classrooms,
        video=video,
        voice=voice,
        photos=photos,
        answer_by=answer_by,
    )
    if publish:
        _check_publishable(video=data["video"], photos=data["photos"], voice=data["voice"])
    classrooms, photos = data.pop("classrooms"), data.pop("photos")
    activity = Activity.objects.create(school=school, created_by=by, **data)
    _attach(activity, classrooms=classrooms, photos=photos)
    if publish:
        activity_publish(activity=activity, by=by)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    title: str,
    instructions: str,
    domain: str,
    age_group: str,
    classrooms: Iterable[Classroom],
    materials: str = "",
    video=None,
    voice=None,
    photos: Iterable = (),
    answer_by: datetime.date | None = None,
    publish: bool = False,
) -> Activity:
    """Change a draft (or an activity waiting for its video); it goes back to draft unless published again."""
    if not policies.can_edit_activity(by, activity):
        raise PermissionDenied
    data = _activity_fields(
        school=activity.school,
        by=by,
        title=title,
        instructions=instructions,
        materials=materials,
        domain=domain,
        age_group=age_group,
        classrooms=classrooms,
        video=video,
        voice=voice,
        photos=photos,
        answer_by=answer_by,
        activity=activity,
    )
    if publish:
        _check_publishable(video=data["video"], photos=data["photos"], voice=data["voice"])
    classrooms, photos = data.pop("classrooms"), data.pop("photos")
    # Conditional, so that an activity published meanwhile (its video became ready) is left alone.
    updated = Activity.objects.filter(pk=activity.pk).exclude(state=Activity.State.PUBLISHED)
    if not updated.update(state=Activity.State.DRAFT, held_reason="", **data):
        raise ValidationError(_("This activity was published meanwhile: it can no longer be changed here."))
    for name, value in data.items():
        setattr(activity, name, value)
    activity.state, activity.held_reason = Activity.State.DRAFT, ""
    _attach(activity, classrooms=classrooms, photos=photos)
    if publish:
        activity_publish(activity=activity, by=by)
    return activity


# --- Publishing -------------------------------------------------------------------------------------


def _check_publishable(*, video: MediaFile | None, photos: list[MediaFile], voice: MediaFile | None = None) -> None:
    if video is None and voice is None and not photos:
        raise ValidationError(
            {"video": _("Add a video, your voice instructions or at least one photo before publishing.")}
        )
    for media in [video, voice, *photos]:
        if media is not None and media.is_failed:
            raise ValidationError(
                _("This file could not be used: %(reason)s Please upload another one.")
                % {"reason": media.failure_reason}
            )


def _activity_media(activity: Activity) -> list[MediaFile]:
    """The activity's video, voice instructions and photos as they are now in the database."""
    ids = list(ActivityPhoto.objects.filter(activity=activity).values_list("media_id", flat=True))
    ids += [pk for pk in (activity.video_id, activity.voice_id) if pk]
    return list(MediaFile.objects.filter(pk__in=ids))


class Publication:
    PUBLISHED = "published"
    WAITING = "waiting"
    ALREADY = "already"


@transaction.atomic
def activity_publish(*, activity: Activity, by) -> str:
    """Publish now when the video, recording and photos are ready, else wait for them; returns what happened."""
    if activity.is_published:
        return Publication.ALREADY
    if not policies.can_publish_activity(by, activity):
        raise PermissionDenied
    media = _activity_media(activity)
    video = next((m for m in media if m.pk == activity.video_id), None)
    voice = next((m for m in media if m.pk == activity.voice_id), None)
    photos = [m for m in media if m.pk not in (activity.video_id, activity.voice_id)]
    _check_publishable(video=video, photos=photos, voice=voice)
    if any(m.is_pending for m in media):
        Activity.objects.filter(pk=activity.pk, state=Activity.State.DRAFT).update(
            state=Activity.State.WAITING, held_reason=""
        )
        activity.state, activity.held_reason = Activity.State.WAITING, ""
        return Publication.WAITING
    return Publication.PUBLISHED if _publish(activity) else Publication.ALREADY


ACTIVITY_NOTICE_TITLE = gettext_lazy("New home activity: %(title)s")
ACTIVITY_NOTICE_BODY = gettext_lazy("%(domain)s · %(classes)s\n\n%(instructions)s")
ACTIVITY_NOTICE_ANSWER_BY = gettext_lazy("Please answer by %(date)s.")


def activity_url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def _publish(activity: Activity) -> bool:
    """Publish once (a double click, the video's signal and a leader at once publish it once) and tell the families."""
    now = timezone.now()
    waiting = Q(state=Activity.State.DRAFT) | Q(state=Activity.State.WAITING)
    if not Activity.objects.filter(waiting, pk=activity.pk).update(
        state=Activity.State.PUBLISHED, published_at=now, held_reason=""
    ):
        return False
    activity.state, activity.published_at, activity.held_reason = Activity.State.PUBLISHED, now, ""
    links = list(ActivityClassroom.objects.filter(activity=activity).select_related("classroom"))
    sizes = dict(
        Child.objects.filter(classroom_id__in=[link.classroom_id for link in links], left_on__isnull=True)
        .values("classroom_id")
        .annotate(n=Count("pk"))
        .values_list("classroom_id", "n")
    )
    for link in links:
        link.enrolled = sizes.get(link.classroom_id, 0)
    ActivityClassroom.objects.bulk_update(links, ["enrolled"])
    feedcache.feed_forget(classroom_ids=[link.classroom_id for link in links])
    answer_by = activity.answer_by

    def body() -> str:
        text = str(ACTIVITY_NOTICE_BODY)
        if answer_by:
            text += "\n\n" + str(ACTIVITY_NOTICE_ANSWER_BY) % {
                "date": formats.date_format(answer_by, "SHORT_DATE_FORMAT")
            }
        return text

    notice_fan_out(
        recipient_ids=selectors.activity_guardian_ids(activity=activity),
        category=Category.ACTIVITY,
        title=ACTIVITY_NOTICE_TITLE,
        body=body,
        url=activity_url(activity),
        # The same key however often it is published: nobody is told twice.
        dedupe_key=f"activity:{activity.pk}:published",
        school=activity.school,
        context={
            "title": activity.title,
            "domain": Domain(activity.domain).label,
            "classes": ", ".join(sorted(link.classroom.name for link in links)),
            "instructions": Truncator(activity.instructions).chars(300),
        },
    )
    return True


HELD_NOTICE_TITLE = gettext_lazy("Not published: %(title)s")
HELD_NOTICE_BODY = gettext_lazy(
    "The video or a photo of this activity could not be used: %(reason)s Open the activity, upload another file "
    "and publish it again."
)


def activity_media_settle(*, media: MediaFile) -> list[Activity]:
    """A file finished processing: publish the activities that were waiting for it, or keep them back
    (in draft, with the reason) when it could not be used. Returns the activities that changed."""
    changed = []
    waiting = Activity.objects.filter(
        Q(video_id=media.pk) | Q(voice_id=media.pk) | Q(photos__media_id=media.pk), state=Activity.State.WAITING
    ).distinct()
    for activity in waiting.select_related("school", "created_by"):
        with transaction.atomic():
            files = _activity_media(activity)
            failed = next((m for m in files if m.is_failed), None)
            if failed is not None:
                if _hold(activity, reason=failed.failure_reason, media=failed):
                    changed.append(activity)
            elif not any(m.is_pending for m in files) and files and _publish(activity):
                changed.append(activity)
    return changed


def _hold(activity: Activity, *, reason: str, media: MediaFile) -> bool:
    reason = (reason or "").strip()[: Activity._meta.get_field("held_reason").max_length]
    if not Activity.objects.filter(pk=activity.pk, state=Activity.State.WAITING).update(
        state=Activity.State.DRAFT, held_reason=reason
    ):
        return False
    activity.state, activity.held_reason = Activity.State.DRAFT, reason
    author = activity.created_by
    if author is not None:
        notice_send(
            recipient=author,
            category=Category.ACTIVITY,
            title=HELD_NOTICE_TITLE,
            body=HELD_NOTICE_BODY,
            url=activity_url(activity),
            dedupe_key=f"activity:{activity.pk}:held:{media.pk}",
            school=activity.school,
            context={"title": activity.title, "reason": reason},
        )
    return True


# --- Families open and answer -------------------------------------------------------------------------


def activity_mark_viewed(*, activity: Activity, guardian, children: list[Child]) -> None:
    """Record that the family opened the activity for these children (the first opening counts),
    and mark its notices read."""
    children = [c for c in children if is_guardian_of(guardian, c)]
    if not children or not activity.is_published:
        return
    seen = set(ActivityView.objects.filter(activity=activity, child__in=children).values_list("child_id", flat=True))
    new = [c for c in children if c.pk not in seen]
    if new:
        ActivityView.objects.bulk_create(
            [ActivityView(school_id=activity.school_id, activity=activity, child=c, guardian=guardian) for c in new],
            ignore_conflicts=True,
        )
        feedcache.feed_forget(child_ids=[c.pk for c in new])
    keys = [f"activity:{activity.pk}:published"]
    keys += [f"activity:{activity.pk}:nudge:{c.classroom_id}" for c in children]
    for notice in notices_for(user=guardian).filter(dedupe_key__in=keys, read_at__isnull=True):
        notice_mark_read(notice=notice, user=guardian)


@transaction.atomic
def answer_create(*, activity: Activity, child: Child, by, media, note: str = "") -> Answer:
    """A guardian answers for their child with a photo, a short clip or a voice recording, and a note;
    private to the family and the staff."""
    if not activity.is_published:
        raise ValidationError(_("This activity is not published yet, so it cannot be answered."))
    if not policies.can_answer(by, activity, child):
        raise PermissionDenied
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if len(note) > NOTE_MAX:
        errors["note"] = ngettext(
            "The note is too long: keep it under %(n)d character.",
            "The note is too long: keep it under %(n)d characters.",
            NOTE_MAX,
        ) % {"n": NOTE_MAX}
    # Checked first: a family cannot send a new answer, so it must not be left with a refused file.
    picked = _pick_into(
        errors, "media", media, by=by, school=activity.school, kinds={Kind.IMAGE, Kind.VIDEO, Kind.AUDIO}, checked=True
    )
    if picked is None and "media" not in errors:
        errors["media"] = _("Add a photo, a short clip or a voice recording of your child doing the activity.")
    if Answer.objects.filter(activity=activity, child=child).exists():
        errors["__all__"] = _("%(child)s already has an answer to this activity.") % {"child": child.given_name}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                school_id=activity.school_id,
                activity=activity,
                child=child,
                classroom_id=child.classroom_id,
                guardian=by,
                media=picked,
                note=note,
            )
    except IntegrityError:
        # Sent twice at once (a double tap): the first one stands.
        raise ValidationError(
            _("%(child)s already has an answer to this activity.") % {"child": child.given_name}
        ) from None
    activity_mark_viewed(activity=activity, guardian=by, children=[child])
    return answer


def _answer_locked(answer: Answer) -> Answer:
    fresh = Answer.objects.select_for_update().get(pk=answer.pk)
    answer.sharing, answer.offered_at, answer.decided_at = fresh.sharing, fresh.offered_at, fresh.decided_at
    return answer


CONSENT_NEEDED = gettext_lazy(
    "Your answer stays private: to show the photos and videos of %(child)s to the other families of the class, "
    "each guardian must first agree to “photos in shared class galleries” on the consent page."
)


@transaction.atomic
def answer_offer(*, answer: Answer, by) -> None:
    """The family offers its answer to the class; other families see it once a teacher approves it."""
    if not policies.can_share_answer(by, answer):
        raise PermissionDenied
    _answer_locked(answer)
    if answer.sharing in (Answer.Sharing.OFFERED, Answer.Sharing.APPROVED):
        raise ValidationError(_("This answer is already offered to the class."))
    if answer.sharing == Answer.Sharing.DECLINED:
        raise ValidationError(_("The teacher decided to keep this answer private."))
    if not child_consent_granted(child=answer.child, purpose=ConsentPurpose.SHARED_PHOTOS):
        raise ValidationError(str(CONSENT_NEEDED) % {"child": answer.child.given_name})
    answer.sharing, answer.offered_at, answer.decided_at = Answer.Sharing.OFFERED, timezone.now(), None
    answer.save(update_fields=["sharing", "offered_at", "decided_at"])


@transaction.atomic
def answer_withdraw(*, answer: Answer, by) -> None:
    """The family takes its answer back from the class, whether or not a teacher approved it."""
    if not policies.can_share_answer(by, answer):
        raise PermissionDenied
    _answer_locked(answer)
    if answer.sharing not in (Answer.Sharing.OFFERED, Answer.Sharing.APPROVED):
        raise ValidationError(_("This answer is not offered to the class."))
    answer.sharing, answer.decided_at = Answer.Sharing.PRIVATE, None
    answer.save(update_fields=["sharing", "decided_at"])


@transaction.atomic
def answer_review(*, answer: Answer, by, approve: bool) -> None:
    """A teacher shows an offered answer to the class, or keeps it private."""
    if not policies.can_review_answer(by, answer):
        raise PermissionDenied
    _answer_locked(answer)
    if approve:
        if answer.sharing != Answer.Sharing.OFFERED:
            raise ValidationError(_("The family has not offered this answer to the class (or withdrew it)."))
        # Asked again: a guardian may have withdrawn consent since the offer.
        if not child_consent_granted(child=answer.child, purpose=ConsentPurpose.SHARED_PHOTOS):
            raise ValidationError(
                _("The family no longer consents to shared photos of %(child)s: the answer stays private.")
                % {"child": answer.child.given_name}
            )
        answer.sharing = Answer.Sharing.APPROVED
    else:
        if answer.sharing not in (Answer.Sharing.OFFERED, Answer.Sharing.APPROVED):
            raise ValidationError(_("The family has not offered this answer to the class (or withdrew it)."))
        answer.sharing = Answer.Sharing.DECLINED
    answer.decided_at, answer.decided_by = timezone.now(), by
    answer.save(update_fields=["sharing", "decided_at", "decided_by"])


FEEDBACK_NOTICE_TITLE = gettext_lazy("%(teacher)s answered %(child)s: %(title)s")
# The comment is written about the child: it stays in the portal, and the message links to it.
FEEDBACK_NOTICE_STICKER = gettext_lazy("A sticker: %(sticker)s.")
FEEDBACK_NOTICE_COMMENT = gettext_lazy("Open the portal to read the teacher's comment.")


@transaction.atomic
def answer_feedback(*, answer: Answer, by, comment: str = "", sticker: str = "") -> Answer:
    """A teacher's comment and sticker on an answer; the child's family is told once."""
    if not policies.can_review_answer(by, answer):
        raise PermissionDenied
    comment = (comment or "").strip()
    errors = {}
    if sticker and sticker not in Sticker.values:
        errors["sticker"] = _("Choose one of the stickers shown.")
    if len(comment) > FEEDBACK_MAX:
        errors["comment"] = ngettext(
            "The comment is too long: keep it under %(n)d character.",
            "The comment is too long: keep it under %(n)d characters.",
            FEEDBACK_MAX,
        ) % {"n": FEEDBACK_MAX}
    if not errors and not comment and not sticker:
        errors["comment"] = _("Write a comment or choose a sticker.")
    if errors:
        raise ValidationError(errors)
    first = answer.feedback_at is None
    answer.feedback, answer.sticker, answer.feedback_by, answer.feedback_at = comment, sticker, by, timezone.now()
    answer.save(update_fields=["feedback", "sticker", "feedback_by", "feedback_at"])
    if first:
        from parents.models import Guardianship

        activity = answer.activity
        context = {
            "teacher": by.full_name or str(by),
            "child": answer.child.given_name,
            "title": activity.title,
            "sticker": Sticker(sticker).label if sticker else "",
        }
        parts = ([FEEDBACK_NOTICE_STICKER] if sticker else []) + ([FEEDBACK_NOTICE_COMMENT] if comment else [])

        def body() -> str:
            return " ".join(str(part) for part in parts)

        for guardianship in Guardianship.objects.active().filter(child_id=answer.child_id).select_related("guardian"):
            notice_send(
                recipient=guardianship.guardian,
                category=Category.FEEDBACK,
                title=FEEDBACK_NOTICE_TITLE,
                body=body,
                url=activity_url(activity),
                dedupe_key=f"answer:{answer.pk}:feedback",
                school=activity.school,
                context=context,
            )
    return answer


# --- Reminding ------------------------------------------------------------------------------------------

NUDGE_NOTICE_TITLE = gettext_lazy("Reminder: %(title)s")
NUDGE_NOTICE_BODY = gettext_lazy(
    "%(teacher)s would love to see how the families of %(classroom)s did this activity at home. Answer with a photo "
    "or a short clip when you can."
)


@transaction.atomic
def activity_nudge(*, activity: Activity, classroom: Classroom, by) -> int:
    """Remind, once per activity and class, the families of the class who have not answered; how many are told."""
    if not policies.can_nudge(by, activity, classroom):
        raise PermissionDenied
    link = ActivityClassroom.objects.select_for_update().get(activity=activity, classroom=classroom)
    if link.nudged_at is not None:
        raise ValidationError(
            _("A reminder for this activity was already sent to %(classroom)s on %(date)s. Only one is sent.")
            % {
                "classroom": classroom.name,
                "date": formats.date_format(timezone.localtime(link.nudged_at), "SHORT_DATE_FORMAT"),
            }
        )
    recipients = selectors.nudge_recipient_ids(activity=activity, classroom=classroom)
    if not recipients:
        raise ValidationError(
            _("Every family of %(classroom)s with an account has answered: nobody to remind.")
            % {"classroom": classroom.name}
        )
    link.nudged_at, link.nudged_by = timezone.now(), by
    link.save(update_fields=["nudged_at", "nudged_by"])
    notice_fan_out(
        recipient_ids=recipients,
        category=Category.ACTIVITY,
        title=NUDGE_NOTICE_TITLE,
        body=NUDGE_NOTICE_BODY,
        url=activity_url(activity),
        dedupe_key=f"activity:{activity.pk}:nudge:{classroom.pk}",
        school=activity.school,
        context={"title": activity.title, "teacher": by.full_name or str(by), "classroom": classroom.name},
    )
    return len(recipients)


@transaction.atomic
def activity_media_texts_set(
    *,
    activity: Activity,
    captions: str | None = None,
    captions_language: str | None = None,
    transcript: str | None = None,
) -> None:
    """Keep the video's captions (in their language) and the voice recording's transcript (None: leave that
    one as it is)."""
    if captions is not None and activity.video_id:
        media_captions_set(media=activity.video, text=captions, language=captions_language)
    if transcript is not None and activity.voice_id:
        media_transcript_set(media=activity.voice, text=transcript)
    # The feed's cards show the players: they are drawn again with the new texts.
    links = list(ActivityClassroom.objects.filter(activity=activity).values_list("classroom_id", flat=True))
    transaction.on_commit(lambda: (fragments.card_forget(activity), feedcache.feed_forget(classroom_ids=links)))
