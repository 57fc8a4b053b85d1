import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")

app = Celery("coordination")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Media, notifications and everything else scale independently.
app.conf.task_routes = {
    "*.tasks.media_*": {"queue": "media"},
    "*.tasks.notify_*": {"queue": "notifications"},
}
app.autodiscover_tasks()
