from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import caching

        caching.connect()
        from notifications.schedule import beat_schedule_install

        beat_schedule_install()

        from anymail.signals import tracking

        from notifications.email_events import tracking_received

        tracking.connect(tracking_received, dispatch_uid="notifications.email_events")

        from coordination.lib import demo as demo_steps
        from notifications import demo

        # After the families (who choose Zalo), before the pick-up notices that show the fallback.
        demo_steps.register("zalo", demo.seed_zalo, after=("families",))
