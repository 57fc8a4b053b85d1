from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediafilesConfig(AppConfig):
    name = "mediafiles"
    verbose_name = _("Photos and videos")

    def ready(self):
        from coordination.lib import fragments
        from mediafiles import checks  # noqa: F401  (registers the ffmpeg check)
        from mediafiles.models import MediaFile

        # A leader's home keeps the school's storage figure (coordination/lib/fragments.py).
        fragments.shows(MediaFile)
