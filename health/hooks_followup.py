"""What the follow-up part plugs into the portal: who may open a check-up's files, that those files are
in use, and the check-up-day reminder."""

from __future__ import annotations


def can_view_checkup_media(user, media) -> bool:
    """The mediafiles resolver: a check-up's file, to whoever may see the child's health (one query, and
    the person's access, read once)."""
    from health.policies import can_view_health
    from health.selectors_followup import checkup_of_media

    checkup = checkup_of_media(media=media)
    return checkup is not None and can_view_health(user, checkup.child)


def install() -> None:
    from health.models import CheckUpAttachment
    from health.reminders import checkups_tomorrow
    from mediafiles import access, usage
    from notifications.reminders import Job, reminder_source_register

    access.register(can_view_checkup_media)
    usage.register(CheckUpAttachment, "media")
    reminder_source_register(job=Job.HEALTH_CHECKUP_DAY, produce=checkups_tomorrow, name="health.checkups_tomorrow")
