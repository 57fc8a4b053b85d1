from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import hooks

        hooks.install()  # links, the nightly summary job, demo step "reports"

        from coordination.lib import percache
        from reports import views_area

        percache.read_along_request(views_area.read_ahead)  # a dashboard's kept page, with the person's values
