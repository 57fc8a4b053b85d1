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

        from health import hooks_exchange

        hooks_exchange.install()


def _child_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    from health.services import measurements_recompute

    measurements_recompute(instance)
