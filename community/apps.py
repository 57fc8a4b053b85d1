from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community: library, events and menus")

    def ready(self):
        from community import demo

        demo.register()  # the demo's library, festival, open lesson and menus (step "community")

        from community import hooks_library

        hooks_library.install()  # the lending library: families' and staff's links, loan reminders, media

        from community import hooks_events

        hooks_events.install()  # events: links, the day-before reminder, the gallery's media

        from community import hooks_menus

        hooks_menus.install()  # menus: the kitchen's landing, links for families, teachers and leaders
