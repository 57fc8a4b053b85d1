from django.core.checks import Warning, register
from django.utils.translation import gettext_lazy as _


@register()
def ffmpeg_check(app_configs, **kwargs):
    """Without ffmpeg, videos are served as uploaded: large, and in formats some phones cannot play."""
    from mediafiles import ffmpeg

    found = {"ffmpeg": ffmpeg.ffmpeg_path(), "ffprobe": ffmpeg.ffprobe_path()}
    missing = [name for name, path in found.items() if not path]
    if not missing:
        return []
    return [
        Warning(
            _("%(programs)s not found: videos will be served as uploaded, without a small rendition or a poster.")
            % {"programs": ", ".join(missing)},
            hint=_("Install ffmpeg (apt-get install ffmpeg), or set MEDIA_FFMPEG and MEDIA_FFPROBE to the programs."),
            id="mediafiles.W001",
        )
    ]


@register()
def media_uses_check(app_configs, **kwargs):
    """Every foreign key to MediaFile should be registered with mediafiles.usage (it is counted as a use anyway)."""
    from mediafiles import usage

    return [
        Warning(
            _("%(model)s.%(field)s keeps photos or videos but is not registered with mediafiles.usage.")
            % {"model": use.model._meta.label, "field": use.field},
            hint=_("Call mediafiles.usage.register(%(model)s, %(field)r) in the app's AppConfig.ready().")
            % {"model": use.model.__name__, "field": use.field},
            id="mediafiles.W002",
        )
        for use in usage.unregistered_foreign_keys()
    ]
