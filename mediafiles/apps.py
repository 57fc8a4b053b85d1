from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediafilesConfig(AppConfig):
    name = "mediafiles"
    verbose_name = _("Photos and videos")
