"""What the campaigns part of donations plugs into the rest of the portal: links to the school's
campaigns and to a donor's own page, and the follow-ups of open pledges."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.signals import user_logged_in
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# A pledge is followed up at most twice, a week apart, and only for whoever pledged: nobody who did
# not pledge is ever reminded of a campaign.
PLEDGE_FOLLOW_UPS_LIMIT = 2
PLEDGE_FOLLOW_UPS_SPACING = timedelta(days=7)
# The menu's "My gifts" is known from a cache mark set when the person signs in, pledges or accepts
# an invitation: the menu is on every page and must cost no query.
MENU_CACHE_SECONDS = 60 * 60 * 24 * 30


def install() -> None:
    from coordination.lib import percache
    from coordination.lib.links import PageLink, register
    from notifications.reminders import FollowUps, Job, reminder_source_register

    register(
        "family_child",
        PageLink(
            label=_("School campaigns"),
            url=lambda child: reverse("donations:campaigns", kwargs={"slug": child.school.slug}),
            order=90,
        ),
    )
    register("menu", PageLink(label=_("My gifts"), url=lambda _obj: reverse("donations:mine"), visible=_is_donor))
    percache.read_along(_donor_key)  # read with the person's other values, in the same round trip
    user_logged_in.connect(_remember_donor, dispatch_uid="donations.remember_donor")
    reminder_source_register(
        job=Job.PLEDGE_FOLLOW_UPS,
        produce=open_pledges,
        name="donations.open_pledges",
        follow_ups=FollowUps(limit=PLEDGE_FOLLOW_UPS_LIMIT, spacing=PLEDGE_FOLLOW_UPS_SPACING),
    )


def _is_donor(user, _obj) -> bool:
    from coordination.lib import percache

    return bool(percache.get(menu_cache_key(user)))


def menu_cache_key(user) -> str:
    return _donor_key(user.pk)


def _donor_key(user_id) -> str:
    return f"donations:donor:{user_id}"


def donor_mark_remember(user) -> None:
    """Remember for the menu whether the person has donor records (one query, at sign-in or after a change)."""
    from django.core.cache import cache

    from donations import selectors_campaigns

    cache.set(menu_cache_key(user), selectors_campaigns.has_donor_records(user=user), MENU_CACHE_SECONDS)


def _remember_donor(sender, request, user, **kwargs):
    donor_mark_remember(user)


def open_pledges(run):
    """Each open pledge of a person with an account, on a campaign still open: a gentle follow-up."""
    from donations.models import CampaignState, Contribution, ContributionState
    from notifications.reminders import Reminder

    pledges = (
        Contribution.objects.filter(
            state=ContributionState.PLEDGED, campaign__state=CampaignState.OPEN, donor__user__isnull=False
        )
        .select_related("campaign", "donor")
        .order_by("pk")
    )
    for pledge in pledges.iterator(chunk_size=500):
        yield Reminder(
            recipients=(pledge.donor.user_id,),
            category="pledges",
            title=_("Your pledge to “%(campaign)s”"),
            body=_(
                "Thank you for your pledge. If you have given it already, or changed your mind, you can say so "
                "on your page: giving is voluntary."
            ),
            context={"campaign": pledge.campaign.title},
            url=reverse("donations:contribution", kwargs={"pk": pledge.pk}),
            key=f"pledge:{pledge.pk}",
            since=pledge.pledged_at,
            school_id=pledge.school_id,
        )
