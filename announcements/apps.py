from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "announcements"
    verbose_name = _("Announcements and pick-up notices")

    def ready(self):
        from announcements import demo, links
        from coordination.lib import demo as demo_steps

        links.install()
        demo_steps.register("announcements", demo.seed_announcements, after=("families", "zalo"))
