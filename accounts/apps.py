from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import caching

        caching.connect()
        from allauth.account.signals import password_reset

        from accounts import checks  # noqa: F401 (registers the system checks)
        from accounts.receivers import address_verified_by_reset_link

        password_reset.connect(address_verified_by_reset_link, dispatch_uid="accounts-reset-verifies-address")
