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


def task_queue(name: str) -> str:
    """The queue a task of this name goes to, as Celery's router decides when the task is sent.

    A queue named on the task itself comes first, then the first of task_routes that matches, else the
    default queue.
    """
    task = app.tasks.get(name)
    options = {"queue": task.queue} if task is not None and getattr(task, "queue", None) else {}
    return app.amqp.router.route(options, name, (), {})["queue"].name


def routed_queues() -> dict[str, list[str]]:
    """Every queue a task of the code goes to, with the tasks routed to it (Celery's own tasks left out).

    docker-compose.yml has one worker service per queue: tests/coordination/test_compose.py compares
    the two, and /metrics reports the length of each of these queues.
    """
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker imports them
    queues: dict[str, list[str]] = {}
    for name in sorted(app.tasks):
        if not name.startswith("celery."):
            queues.setdefault(task_queue(name), []).append(name)
    return queues


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
