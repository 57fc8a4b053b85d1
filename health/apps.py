from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Health and growth")

    def ready(self):
        from django.db.models.signals import post_save

        from schools.models import Child

        # A corrected date of birth or sex: the child's z-scores are computed again.
        post_save.connect(_child_saved, sender=Child, dispatch_uid="health-child-corrected")

        from health import hooks_followup

        hooks_followup.install()  # check-ups (their files and the day-before reminder), follow-up and summaries

        from health import demo

        demo.register()  # the demo's measuring days, allergies, check-ups and consents (step "health")

        from health import hooks_grid

        hooks_grid.install()  # measuring day: the nurse's landing, "Measuring day" on a class and a leader's home

        from health import hooks_record

        hooks_record.install()  # a child's record and chart: links from the family's and the staff's pages

        from health import hooks_links

        hooks_links.install()  # a leader's home: summary, follow-up, check-ups, read log; an authority's counts

        from health import hooks_exchange

        hooks_exchange.install()  # the station's import on a leader's home, a class's export on the class page


def _child_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    from health.services import measurements_recompute

    measurements_recompute(instance)
