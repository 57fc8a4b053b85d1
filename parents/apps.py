from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParentsConfig(AppConfig):
    name = "parents"
    verbose_name = _("Families")

    def ready(self):
        from parents import caching

        caching.connect()
        from coordination.lib import demo as demo_steps
        from parents import demo

        demo_steps.register("families", demo.seed_families, after=("schools",))
