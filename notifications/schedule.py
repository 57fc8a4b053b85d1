"""The Celery beat schedule of the whole project, in one place.

Times are in CELERY_TIMEZONE (Asia/Ho_Chi_Minh). Each job is safe to run late,
twice or concurrently: what it does is claimed in the database first.
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Every minute: sends what quiet hours held back and retries whose message
    # was lost, and takes over deliveries of workers that died. Expires before
    # the next run so that sweeps do not pile up while workers are down.
    "notify-sweep": {
        "task": "notifications.tasks.notify_sweep",
        "schedule": crontab(),
        "options": {"expires": 50},
    },
    # Every 15 minutes: each person's digest goes out in the first run at or
    # after their chosen time (so within 15 minutes of it), outside their
    # quiet hours, once per day or week.
    "notify-digests": {
        "task": "notifications.tasks.notify_digests_send",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # 03:30 every day: text-message counts past SMS_COUNTS_KEEP_DAYS go
    # (notifications/budgets.py); the budgets only read today's.
    "notify-sms-counts-purge": {
        "task": "notifications.tasks.notify_sms_counts_purge",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Reminders (notifications/reminders.py): what they say comes from the
    # sources other apps register; a job without one does nothing. Every
    # reminder carries a dedupe key, so a job run late, again or twice at once
    # tells nobody twice; each expires before the moment it is about has
    # passed. The afternoon ones go at 16:00-16:30, before families pick their
    # children up and before the default 18:00 digest, which then carries them
    # to those who get their e-mail once a day; none falls in quiet hours.
    #
    # 16:30 every day: toys and costumes of the lending library due back
    # tomorrow, so that they come back in the school bag in the morning.
    "notify-reminders-loans-due-tomorrow": {
        "task": "notifications.tasks.notify_reminders_loans_due_tomorrow",
        "schedule": crontab(hour=16, minute=30),
        "options": {"expires": 4 * 3600},
    },
    # 07:00 every day: loans past their date, at drop-off time, when the item
    # can be handed in at once.
    "notify-reminders-loans-overdue": {
        "task": "notifications.tasks.notify_reminders_loans_overdue",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 8 * 3600},
    },
    # 16:00 every day: tomorrow's events (a festival, a working morning) to
    # the families and volunteers signed up for them.
    "notify-reminders-events-tomorrow": {
        "task": "notifications.tasks.notify_reminders_events_tomorrow",
        "schedule": crontab(hour=16, minute=0),
        "options": {"expires": 4 * 3600},
    },
    # 10:00 on weekdays: follow-ups of open pledges, to the people who pledged
    # only. The job runs daily; the rule registered with its source (at most
    # two per pledge, a week apart) decides who gets one that day.
    "notify-reminders-pledge-follow-ups": {
        "task": "notifications.tasks.notify_reminders_pledge_follow_ups",
        "schedule": crontab(hour=10, minute=0, day_of_week="mon-fri"),
        "options": {"expires": 6 * 3600},
    },
    # 16:15 every day: a check-up with the health station tomorrow, so that
    # the family brings the health book and the child comes on time.
    "notify-reminders-health-checkup-day": {
        "task": "notifications.tasks.notify_reminders_health_checkup_day",
        "schedule": crontab(hour=16, minute=15),
        "options": {"expires": 4 * 3600},
    },
    # 09:00 on the 1st of the month: the honour roll of the month before is
    # published (its source reads which schools published it, and to whom).
    "notify-reminders-honour-roll": {
        "task": "notifications.tasks.notify_reminders_honour_roll",
        "schedule": crontab(day_of_month=1, hour=9, minute=0),
        "options": {"expires": 12 * 3600},
    },
    # Every hour: uploads left unfinished for a day (MEDIA_ABANDONED_HOURS) are
    # marked failed and their bytes removed, with stray unfinished files; files
    # whose processing message was lost are queued again.
    "media-uploads-sweep": {
        "task": "mediafiles.tasks.media_uploads_sweep",
        "schedule": crontab(minute=17),
        "options": {"expires": 50 * 60},
    },
    # 03:40 every day, when nobody uploads: files that nothing uses and that
    # have not changed for a day (MEDIA_UNUSED_HOURS) are deleted, rows and
    # stored files together: uploads never attached, the files of deleted
    # answers and activities, and files replaced by others (mediafiles.usage).
    "media-unused-cleanup": {
        "task": "mediafiles.tasks.media_unused_cleanup",
        "schedule": crontab(hour=3, minute=40),
        "options": {"expires": 6 * 3600},
    },
}


def beat_schedule_install() -> None:
    """Give the Celery app this schedule (called when Django starts, before beat reads it)."""
    from coordination.celery import app

    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
