from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediafilesConfig(AppConfig):
    name = "mediafiles"
    verbose_name = _("Photos and videos")

    def ready(self):
        from mediafiles import checks  # noqa: F401  (registers the ffmpeg check)
