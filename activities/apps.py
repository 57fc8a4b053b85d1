from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Home activities")

    def ready(self):
        from activities import demo, hooks_library, links, policies, receivers
        from activities.models import Activity, ActivityClassroom, ActivityPhoto, Answer
        from coordination.lib import demo as demo_steps
        from mediafiles import access, usage
        from mediafiles.models import MediaFile
        from mediafiles.signals import media_processed

        links.install()
        hooks_library.install()
        from activities import feedcache
        from coordination.lib import percache

        percache.read_along_request(feedcache.read_ahead)  # a feed's page, with the person's values
        demo_steps.register("activities", demo.seed_demo_step, after=("families",))
        # Who may download an activity's video, voice instructions and photos, and the families' answers.
        access.register(policies.can_view_activity_media)
        # Which files are in use: the rest is deleted by the daily cleanup (a replaced video,
        # the files of a deleted activity or answer).
        usage.register(Activity, "video")
        usage.register(Activity, "voice")
        usage.register(ActivityPhoto, "media")
        usage.register(Answer, "media")
        media_processed.connect(receivers.activity_media_processed, dispatch_uid="activities.media_processed")
        # Cached feed pages follow changes made anywhere, the admin included.
        post_save.connect(receivers.activity_changed, sender=Activity, dispatch_uid="activities.feed.activity_saved")
        pre_delete.connect(receivers.activity_changed, sender=Activity, dispatch_uid="activities.feed.activity_deleted")
        post_save.connect(receivers.answer_changed, sender=Answer, dispatch_uid="activities.feed.answer_saved")
        post_delete.connect(receivers.answer_changed, sender=Answer, dispatch_uid="activities.feed.answer_deleted")
        post_delete.connect(receivers.link_changed, sender=ActivityClassroom, dispatch_uid="activities.feed.link")
        pre_delete.connect(receivers.media_deleting, sender=MediaFile, dispatch_uid="activities.feed.media")
