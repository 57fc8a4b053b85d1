from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy rights")

    def ready(self):
        from privacy import hooks

        hooks.install()  # links, the retention and deadline jobs, demo step "privacy"
