from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Home activities")

    def ready(self):
        from activities import policies, receivers
        from mediafiles import access
        from mediafiles.signals import media_processed

        # Who may download an activity's video and photos, and the families' answers.
        access.register(policies.can_view_activity_media)
        media_processed.connect(receivers.activity_media_processed, dispatch_uid="activities.media_processed")
