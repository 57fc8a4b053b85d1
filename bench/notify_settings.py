"""The project's settings plus one change the notification benchmark measures as a proposal.

Celery's Django fixup closes every database connection before and after each
task unless CELERY_DB_REUSE_MAX is set, so each notify_deliver task opens a new
PostgreSQL connection. With it set, a pool process keeps its connection (and
Django's CONN_MAX_AGE and health checks still apply).
"""

from coordination.settings import *  # noqa: F403

CELERY_DB_REUSE_MAX = 1000
