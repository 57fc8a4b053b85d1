"""Feedback box and polls: URLs and admin models (merged into tests/test_authorization_matrix.py).

The objects: a concern the parent sent to Sao Mai (escalated to the ward, so its officer sees it too), a
question the parent agreed to publish, answered; a poll of Sao Mai, open. Sao Mai's families are the
parent and the other parent; its leaders answer, assign and publish; the ward's officer handles what is
escalated. Provincial officers, the other staff, family viewers and Hoa Sen have nothing to do with them.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import EVERYONE_200, READ_ONLY, SCOPED, SIGNED_IN_200, Entry, expect

FAMILIES = expect(parent=200, other_parent=200)
LEADERS_POST = expect(leaders="redirect")
QUESTION = "Which date for the festival?"


def _escalated(w: World):
    from django.utils import timezone

    from tests.feedback.factories import item_make

    return item_make(w, escalated_at=timezone.now())


def _publishable(w: World):
    from tests.feedback.factories import answered, item_make

    return answered(item_make(w, kind="question", topic="meals", publish_agreed=True), by=w.principal)


def _poll(w: World):
    from tests.feedback.factories import poll_make

    return poll_make(w, question=QUESTION)


def _items(w: World):
    from feedback.models import FeedbackItem

    return sorted(FeedbackItem.objects.values_list("sender_id", "message"))


def _answers(w: World):
    from feedback.models import FeedbackItem

    return sorted(FeedbackItem.objects.values_list("pk", "answer"))


def _assigned(w: World):
    from feedback.models import FeedbackItem

    return sorted(FeedbackItem.objects.values_list("pk", "assigned_to_id"))


def _published(w: World):
    from feedback.models import FeedbackItem

    return sorted(FeedbackItem.objects.filter(published_at__isnull=False).values_list("pk", flat=True))


def _polls(w: World):
    from feedback.models import Poll

    return sorted(Poll.objects.values_list("question", flat=True))


def _poll_answers(w: World):
    from feedback.models import PollAnswer

    return sorted(PollAnswer.objects.values_list("child_id", "option_id"))


def _closing(w: World):
    from feedback.models import Poll

    return sorted(Poll.objects.values_list("pk", "closes_at"))


def _new_poll(w: World) -> dict:
    import datetime

    from django.utils import timezone

    later = timezone.localtime() + datetime.timedelta(days=5)
    return {
        "question": "Morning or afternoon?",
        "options": "Morning\nAfternoon",
        "closes_at": f"{later:%Y-%m-%dT%H:%M}",
    }


def _item_url(suffix: str = ""):
    return lambda w: f"/feedback/{w.made.pk}/{suffix}"


MATRIX: dict[str, Entry | list[Entry]] = {
    "feedback/": Entry("/feedback/", SIGNED_IN_200),
    "feedback/schools/<slug:slug>/new/": [
        Entry("/feedback/schools/sao-mai/new/", FAMILIES, shows="Sao Mai"),
        Entry(
            "/feedback/schools/sao-mai/new/",
            expect(parent="redirect", other_parent="redirect"),
            method="post",
            data=lambda w: {"route": "school", "kind": "suggestion", "topic": "meals", "message": "More fruit."},
            effect=_items,
        ),
    ],
    "feedback/schools/<slug:slug>/inbox/": Entry(
        "/feedback/schools/sao-mai/inbox/", expect(leaders=200), setup=_escalated, shows="Sao Mai"
    ),
    "feedback/schools/<slug:slug>/answered/": Entry(
        "/feedback/schools/sao-mai/answered/", EVERYONE_200, setup=lambda w: _publishable(w), shows="Sao Mai"
    ),
    # Commune-level officers (of Sao Mai's ward, and of Hoa Sen's, who sees an empty list); not the province.
    "feedback/authority/": Entry("/feedback/authority/", expect(officer=200, foreign_officer=200), setup=_escalated),
    "feedback/<int:item_id>/": Entry(
        _item_url(), expect(parent=200, leaders=200, officer=200), setup=_escalated, shows="Sao Mai"
    ),
    "feedback/<int:item_id>/answer/": Entry(
        _item_url("answer/"),
        LEADERS_POST,
        method="post",
        setup=_escalated,
        data=lambda w: {"answer": "It is repaired."},
        effect=_answers,
    ),
    "feedback/<int:item_id>/assign/": Entry(
        _item_url("assign/"),
        LEADERS_POST,
        method="post",
        setup=_escalated,
        data=lambda w: {"assigned_to": str(w.teacher.pk)},
        effect=_assigned,
    ),
    "feedback/<int:item_id>/publish/": Entry(
        _item_url("publish/"),
        LEADERS_POST,
        method="post",
        setup=_publishable,
        data=lambda w: {"action": "publish"},
        effect=_published,
    ),
    "polls/": Entry("/polls/", SIGNED_IN_200),
    "polls/schools/<slug:slug>/new/": [
        Entry("/polls/schools/sao-mai/new/", expect(leaders=200), shows="Sao Mai"),
        Entry("/polls/schools/sao-mai/new/", LEADERS_POST, method="post", data=_new_poll, effect=_polls),
    ],
    "polls/<int:poll_id>/": Entry(
        lambda w: f"/polls/{w.made.pk}/", expect(parent=200, other_parent=200, leaders=200), setup=_poll, shows=QUESTION
    ),
    "polls/<int:poll_id>/answer/": Entry(
        lambda w: f"/polls/{w.made.pk}/answer/",
        # The other parent answers for a child who is not theirs: told so, and nothing is saved.
        expect(parent="redirect", other_parent=400),
        method="post",
        setup=_poll,
        data=lambda w: {"child": str(w.child.pk), "option": str(w.made.choices[0].pk)},
        effect=_poll_answers,
    ),
    "polls/<int:poll_id>/close/": Entry(
        lambda w: f"/polls/{w.made.pk}/close/", LEADERS_POST, method="post", setup=_poll, effect=_closing
    ),
}


def _settings(w: World):
    from feedback.models import FeedbackSettings

    return FeedbackSettings.objects.create(school=w.school, escalation_working_days=3)


ADMIN_MODELS: dict = {
    "feedback/feedbacksettings": (SCOPED, _settings),
    "feedback/feedbackitem": (READ_ONLY, _escalated),
    "feedback/poll": (SCOPED, _poll),
}
