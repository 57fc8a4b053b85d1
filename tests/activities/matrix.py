"""Who may use the home-activity URLs (merged into tests/test_authorization_matrix.py).

The objects: an activity the teacher published for Lá 1 (the parent's child's class),
and the parent's answer to it. A parent of another class, a teacher of another class and
another school's principal are refused like strangers (404), anonymous people are sent to
sign in. Downloads of the activities' and answers' files: tests/activities/test_media_access.py.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import CLASS_VIEWERS, GUARDIAN_ONLY, SCHOOL_LEADERS, SCOPED_NO_ADD, Entry, expect


def _photo(w: World, by):
    from tests.activities.makers import photo_make

    return photo_make(school=w.school, by=by)


def _activity(w: World, *, published: bool = True):
    from tests.activities.makers import activity_make

    return activity_make(
        school=w.school, by=w.teacher, classrooms=[w.classroom], published=published, photos=[_photo(w, w.teacher)]
    )


def _answer(w: World, *, sharing: str = "private"):
    from tests.activities.makers import answer_make

    return answer_make(activity=_activity(w), child=w.child, by=w.parent, sharing=sharing)


def _answer_with_consent(w: World):
    """A private answer whose family has given the consent to offer it to the class."""
    from tests import factories as f

    f.ConsentFactory(child=w.child, guardian=w.parent, purpose="shared_photos")
    return _answer(w)


def _offered_with_consent(w: World):
    from tests import factories as f

    f.ConsentFactory(child=w.child, guardian=w.parent, purpose="shared_photos")
    return _answer(w, sharing="offered")


def _activity_states(w: World) -> list:
    from activities.models import Activity

    return list(Activity.objects.order_by("pk").values_list("pk", "state", "published_at"))


def _answer_sharing(w: World) -> list:
    from activities.models import Answer

    return list(Answer.objects.order_by("pk").values_list("pk", "sharing", "offered_at", "decided_at"))


def _nudges(w: World) -> list:
    from activities.models import ActivityClassroom

    return list(ActivityClassroom.objects.order_by("pk").values_list("pk", "nudged_at"))


def _feedback(w: World) -> list:
    from activities.models import Answer

    return list(Answer.objects.order_by("pk").values_list("pk", "sticker", "feedback", "feedback_at"))


TITLE = "Gấp thuyền giấy"  # tests/activities/makers.py
# Its viewers: the families of its classes, their teachers and the school's leaders.
ACTIVITY_VIEWERS = expect(parent=200, teacher=200, leaders=200)
# Posting and following the school's activities: its teachers and leaders.
SCHOOL_POSTERS = expect(school_teachers=200, leaders=200)
# A change made by the class teacher or a leader, who are sent back to the activity.
CLASS_STAFF_ACT = expect(teacher="redirect", leaders="redirect")
FAMILY_ACT = expect(parent="redirect")

VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nBé gấp thuyền.\n"


def _with_video(w: World):
    """A published activity of Lá 1 with a video and the teacher's voice instructions."""
    from tests.activities.makers import activity_make, clip_make, voice_make

    return activity_make(
        school=w.school,
        by=w.teacher,
        classrooms=[w.classroom],
        video=clip_make(school=w.school, by=w.teacher),
        voice=voice_make(school=w.school, by=w.teacher),
    )


def _media_texts(w: World) -> list:
    from mediafiles.models import MediaFile

    return list(MediaFile.objects.order_by("pk").values_list("captions", "transcript"))


MATRIX: dict[str, Entry | list[Entry]] = {
    # Families
    "children/<int:child_id>/activities/": Entry(
        lambda w: _activity(w) and f"/children/{w.child.pk}/activities/", GUARDIAN_ONLY, shows=TITLE
    ),
    "activities/<int:activity_id>/": Entry(lambda w: f"/activities/{_activity(w).pk}/", ACTIVITY_VIEWERS, shows=TITLE),
    "activities/<int:activity_id>/children/<int:child_id>/answer/": Entry(
        lambda w: f"/activities/{_activity(w).pk}/children/{w.child.pk}/answer/", GUARDIAN_ONLY, shows=TITLE
    ),
    # A child's answers approved for the class: the child's guardians and family viewers, read-only.
    "children/<int:child_id>/shared-answers/": Entry(
        lambda w: _answer(w, sharing="approved") and f"/children/{w.child.pk}/shared-answers/",
        expect(parent=200, family_viewer=200),
        shows=TITLE,
    ),
    "answers/<int:answer_id>/share/": Entry(
        lambda w: f"/answers/{_answer_with_consent(w).pk}/share/",
        FAMILY_ACT,
        method="post",
        data=lambda w: {"action": "offer"},
        effect=_answer_sharing,
    ),
    # Staff
    "schools/<slug:slug>/activities/": Entry(
        lambda w: _activity(w) and f"/schools/{w.school.slug}/activities/",
        SCHOOL_POSTERS,
        shows={"teacher": TITLE, "principal": TITLE, "vice_principal": TITLE},
    ),
    "schools/<slug:slug>/activities/new/": Entry(
        lambda w: f"/schools/{w.school.slug}/activities/new/",
        SCHOOL_POSTERS,
        shows={"teacher": "Lá 1", "other_teacher": "Chồi 1", "principal": "Mầm 1"},
    ),
    "schools/<slug:slug>/activities/participation/": Entry(
        lambda w: f"/schools/{w.school.slug}/activities/participation/", SCHOOL_LEADERS, shows="Lá 1"
    ),
    "activities/<int:activity_id>/edit/": Entry(
        lambda w: f"/activities/{_activity(w, published=False).pk}/edit/",
        expect(teacher=200, leaders=200),
        shows=TITLE,
    ),
    # Captions and a transcript: whoever on the staff sees the activity, published or not.
    "activities/<int:activity_id>/captions/": [
        Entry(lambda w: f"/activities/{w.made.pk}/captions/", CLASS_VIEWERS, setup=_with_video, shows=TITLE),
        Entry(
            lambda w: f"/activities/{w.made.pk}/captions/",
            CLASS_STAFF_ACT,
            method="post",
            data=lambda w: {"captions_text": VTT, "transcript": "Bố mẹ gấp mẫu trước."},
            setup=_with_video,
            effect=_media_texts,
        ),
    ],
    "activities/<int:activity_id>/publish/": Entry(
        lambda w: f"/activities/{_activity(w, published=False).pk}/publish/",
        CLASS_STAFF_ACT,
        method="post",
        effect=_activity_states,
    ),
    "activities/<int:activity_id>/card.pdf": Entry(
        lambda w: f"/activities/{_activity(w).pk}/card.pdf", ACTIVITY_VIEWERS
    ),
    "activities/<int:activity_id>/participation/": Entry(
        lambda w: f"/activities/{_activity(w).pk}/participation/", CLASS_VIEWERS, shows=TITLE
    ),
    "activities/<int:activity_id>/classes/<int:classroom_id>/nudge/": Entry(
        lambda w: f"/activities/{_activity(w).pk}/classes/{w.classroom.pk}/nudge/",
        CLASS_STAFF_ACT,
        method="post",
        effect=_nudges,
    ),
    "answers/<int:answer_id>/review/": Entry(
        lambda w: f"/answers/{_offered_with_consent(w).pk}/review/",
        CLASS_STAFF_ACT,
        method="post",
        data=lambda w: {"decision": "approve"},
        effect=_answer_sharing,
    ),
    "answers/<int:answer_id>/feedback/": Entry(
        lambda w: f"/answers/{_answer(w).pk}/feedback/",
        CLASS_STAFF_ACT,
        method="post",
        data=lambda w: {"sticker": "star", "comment": "Giỏi lắm!"},
        effect=_feedback,
    ),
}

ADMIN_MODELS = {
    "activities/activity": (SCOPED_NO_ADD, lambda w: _activity(w)),
    "activities/answer": (SCOPED_NO_ADD, lambda w: _answer(w)),
}
