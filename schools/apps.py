from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        from schools import caching

        caching.connect()
        from coordination.lib import demo as demo_steps
        from schools import demo

        demo_steps.register("schools", demo.seed_schools)
