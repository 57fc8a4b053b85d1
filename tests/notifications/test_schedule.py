"""Beat runs the sweeper every minute and the digests every 15 minutes, on the notifications queue."""

from celery.schedules import crontab
from django.conf import settings

from coordination.celery import app
from notifications import tasks


def test_the_beat_schedule_has_the_notification_jobs():
    schedule = app.conf.beat_schedule
    assert schedule["notify-sweep"]["task"] == tasks.notify_sweep.name
    assert schedule["notify-sweep"]["schedule"] == crontab(minute="*")
    assert schedule["notify-digests"]["task"] == tasks.notify_digests_send.name
    assert schedule["notify-digests"]["schedule"] == crontab(minute="*/15")


def test_every_notification_task_goes_to_the_notifications_queue():
    for task in (
        tasks.notify_deliver_batch,
        tasks.notify_deliver,
        tasks.notify_fan_out_batch,
        tasks.notify_sweep,
        tasks.notify_digests_send,
    ):
        assert app.amqp.router.route({}, task.name)["queue"].name == "notifications", task.name


def test_deliveries_are_acknowledged_late_and_time_limited_within_their_lease():
    for task in (tasks.notify_deliver_batch, tasks.notify_deliver):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.soft_time_limit < task.time_limit < settings.NOTIFY_LEASE_SECONDS
