from django.core.checks import Warning, register


@register()
def pdf_font_check(app_configs, **kwargs):
    from coordination.lib.pdf import FontMissing, unicode_fonts

    try:
        unicode_fonts()
    except FontMissing as exc:
        return [Warning(str(exc), id="coordination.W001")]
    return []
