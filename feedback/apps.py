from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback box and polls")

    def ready(self):
        from feedback import demo, hooks

        demo.register()  # answered, escalated and direct items; a closed poll and an open one (step "feedback")
        hooks.install()  # links, the photo's readers, the daily escalation
