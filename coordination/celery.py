import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")

app = Celery("coordination")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Media, notifications and everything else scale independently.
app.conf.task_routes = {
    "*.tasks.media_*": {"queue": "media"},
    "*.tasks.notify_*": {"queue": "notifications"},
}
app.autodiscover_tasks()


def database_connections_tidy(sender=None, **kwargs) -> None:
    """Around each task, what Django does around a web request: reuse a connection, drop an old or broken one."""
    # (Celery's own closing of every connection around every task is off: see CELERY_DB_REUSE_MAX.)
    if getattr(sender.request, "is_eager", False):
        return  # inside the caller's own request or test: its connection is not ours to close
    from django.db import close_old_connections

    close_old_connections()


signals.task_prerun.connect(database_connections_tidy)
signals.task_postrun.connect(database_connections_tidy)


def production_secrets_refuse(process: str) -> None:
    """Stop a worker or beat, before it takes any task, when DEBUG=0 and a secret is missing or published."""
    from django.conf import settings

    from coordination.lib.deploy import UnsafeProduction, refuse_unsafe_start

    try:
        refuse_unsafe_start(settings, process=process)
    except UnsafeProduction as exc:
        # Celery logs and forgets exceptions raised by signal handlers; an exit is not one of them.
        raise SystemExit(str(exc)) from None


# Only the programs that run tasks: `celery inspect`, the web process and
# manage.py import this module too, and are not stopped here.
signals.celeryd_init.connect(lambda **kwargs: production_secrets_refuse("Celery worker"), weak=False)
signals.beat_init.connect(lambda **kwargs: production_secrets_refuse("Celery beat"), weak=False)
