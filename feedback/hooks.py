"""How the feedback box plugs into the core and the mechanisms (called from FeedbackConfig.ready()): links on
the menu, the leaders' home, the school's public page and the authority's page; who may open a photo;
the daily escalation job."""

from __future__ import annotations

from celery.schedules import crontab
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BEAT_SCHEDULE = {
    # 07:30 every day: items unanswered after their school's working days go to the commune officer, who
    # reads them in the morning. Escalating is a conditional update, so a late or double run tells once.
    "feedback-escalations": {
        "task": "feedback.tasks.notify_feedback_escalations",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 12 * 3600},
    },
}


def _in_feedback(user, _obj=None) -> bool:
    """Families, leaders and officers (from the request's caches: the menu costs no query)."""
    from parents.policies import is_guardian
    from schools.models import LEADER_ROLES
    from schools.policies import access_for

    access = access_for(user)
    return bool(set(access.roles_by_school.values()) & LEADER_ROLES) or bool(access.authority_ids) or is_guardian(user)


def _in_polls(user, _obj=None) -> bool:
    from parents.policies import is_guardian
    from schools.models import LEADER_ROLES
    from schools.policies import access_for

    return bool(set(access_for(user).roles_by_school.values()) & LEADER_ROLES) or is_guardian(user)


def _leads(user, school) -> bool:
    from schools.policies import is_leader_of

    return school is not None and is_leader_of(user, school.pk)


def _commune_officer(user, authority) -> bool:
    from schools.policies import access_for

    return authority is not None and not authority.is_province and authority.pk in access_for(user).authority_ids


def _media_resolver(user, media) -> bool:
    from feedback import policies
    from feedback.models import FeedbackItem

    item = FeedbackItem.objects.select_related("school").filter(photo_id=media.pk).first()
    return item is not None and policies.can_read_text(user, item)


def _withheld_photos():
    from feedback.models import FeedbackItem, Route

    return FeedbackItem.objects.filter(Q(route=Route.AUTHORITY) | Q(anonymous=True), photo__isnull=False).values(
        "photo_id"
    )


def install() -> None:
    from coordination.celery import app
    from coordination.lib.links import PageLink, register
    from feedback.models import FeedbackItem
    from mediafiles import access, usage

    register("menu", PageLink(label=_("Feedback box"), url=lambda _o: reverse("feedback:home"), visible=_in_feedback))
    register("menu", PageLink(label=_("Polls"), url=lambda _o: reverse("feedback:polls"), visible=_in_polls))
    register(
        "school",
        PageLink(
            label=_("Feedback box"),
            url=lambda school: reverse("feedback:school_inbox", args=[school.slug]),
            visible=_leads,
            order=75,
        ),
    )
    register(
        "school",
        PageLink(
            label=_("Ask the families"),
            url=lambda school: reverse("feedback:poll_new", args=[school.slug]),
            visible=_leads,
            order=76,
        ),
    )
    register(
        "school_public",
        PageLink(
            label=_("You asked, we answered"),
            url=lambda school: reverse("feedback:published", args=[school.slug]),
            order=60,
        ),
    )
    register(
        "authority",
        PageLink(
            label=_("Feedback for the authority"),
            url=lambda _authority: reverse("feedback:authority_inbox"),
            visible=_commune_officer,
            order=60,
        ),
    )
    access.register(_media_resolver)
    access.register_withheld(_withheld_photos)
    usage.register(FeedbackItem, "photo")
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
