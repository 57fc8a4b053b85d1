"""What the honour part of donations plugs into the rest of the portal.

- the honour roll on the school's public page (the "school_public" slot);
- the drawings page on a teacher's home, when a letter of their school waits to be sent;
- the honour-roll reminder: at the start of a month the portal drafts the roll of the month before
  (and of a school year that ended in it) and tells the school's principal that it is ready to review.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REVIEW_TITLE = _("The honour roll is ready to review: %(title)s")
REVIEW_BODY = _(
    "The portal drafted the honour roll from the contributions received. Check the order, the names "
    "shown and the photos, then publish it."
)


def install() -> None:
    from coordination.lib.links import PageLink, register
    from notifications.reminders import Job, reminder_source_register

    register(
        "school_public",
        PageLink(
            label=_("Honour roll"),
            url=lambda school: reverse("donations:honour", kwargs={"slug": school.slug}),
            visible=_has_published_roll,
            order=40,
        ),
    )
    register(
        "teacher",
        PageLink(
            label=_("Drawings for thank-you letters"),
            url=lambda _obj: reverse("donations:drawings"),
            visible=_letters_wait,
            order=80,
        ),
    )
    reminder_source_register(job=Job.HONOUR_ROLL, produce=honour_rolls_to_review, name="donations.honour_roll")

    from donations import demo_honour

    demo_honour.register()


def _has_published_roll(user, school) -> bool:
    from donations.honour import has_published_roll

    return has_published_roll(school)


def _letters_wait(user, _obj) -> bool:
    from donations.models import Letter
    from schools.models import StaffRole
    from schools.policies import access_for

    school_ids = access_for(user).schools_with({StaffRole.TEACHER})
    return bool(school_ids) and Letter.objects.filter(school_id__in=school_ids, sent_at__isnull=True).exists()


def honour_rolls_to_review(run):
    """The reminder source: last month's roll (and a school year's that ended last month), drafted, to review."""
    from donations import honour
    from donations.models import Contribution, ContributionState, HonourRoll, RollPeriod
    from schools.models import School, SchoolYear, StaffMembership, StaffRole

    last_day = run.today.replace(day=1) - datetime.timedelta(days=1)
    first_day = last_day.replace(day=1)
    school_ids = set(
        Contribution.objects.filter(
            state=ContributionState.RECEIVED, received_on__gte=first_day, received_on__lte=last_day
        ).values_list("school_id", flat=True)
    )
    years = {
        year.school_id: year
        for year in SchoolYear.objects.filter(ends_on__gte=first_day, ends_on__lte=last_day).order_by("ends_on")
    }
    principals: dict[int, list[int]] = {}
    for school_id, user_id in StaffMembership.objects.filter(
        school_id__in=school_ids | set(years), role=StaffRole.PRINCIPAL, is_active=True
    ).values_list("school_id", "user_id"):
        principals.setdefault(school_id, []).append(user_id)
    for school in School.objects.filter(pk__in=school_ids | set(years)).order_by("pk"):
        periods = []
        if school.pk in school_ids:
            periods.append((RollPeriod.MONTH, first_day))
        if (
            school.pk in years
            and honour.received_in(
                school=school, starts_on=years[school.pk].starts_on, ends_on=years[school.pk].ends_on
            ).exists()
        ):
            periods.append((RollPeriod.YEAR, years[school.pk].starts_on))
        for period, starts_on in periods:
            existing = HonourRoll.objects.filter(school=school, period=period, starts_on=starts_on).first()
            if existing is not None and existing.published_at is not None:
                continue
            roll = honour.honour_roll_draft(school=school, period=period, starts_on=starts_on)
            if not principals.get(school.pk):
                continue
            yield _reminder(roll, principals[school.pk])


def _reminder(roll, recipients):
    from notifications.models import Category
    from notifications.reminders import Reminder

    return Reminder(
        recipients=tuple(recipients),
        category=Category.HONOUR_ROLL,
        title=REVIEW_TITLE,
        body=REVIEW_BODY,
        context={"title": roll.title},
        url=reverse("admin:donations_honourroll_change", args=[roll.pk]),
        key=f"honour:{roll.school_id}:{roll.period}:{roll.starts_on:%Y-%m-%d}",
        school_id=roll.school_id,
    )
