from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self):
        from schools import linked_accounts

        # A donor's own account is linked to the school: the school's forms may name it.
        linked_accounts.register("donors", _donor_accounts)

        # Each part plugs its links, reminder sources, media access and demo steps in.
        from donations import hooks_campaigns, hooks_honour, hooks_public

        hooks_public.install()
        hooks_campaigns.install()
        hooks_honour.install()


def _donor_accounts(school_ids):
    from donations.models import Donor

    return Donor.objects.filter(school__in=school_ids, user__isnull=False).values("user_id")
