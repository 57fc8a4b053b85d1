from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self):
        from schools import linked_accounts

        # A donor's own account is linked to the school: the school's forms may name it.
        linked_accounts.register("donors", _donor_accounts)

        from donations import policies
        from donations.models import ContributionEvidence, HonourLine, Letter, SpendingEvidence
        from mediafiles import access, usage

        # Who may download evidence, honour-roll photos and letters' drawings; which files are in use.
        access.register(policies.can_view_donation_media)
        usage.register(ContributionEvidence, "media")
        usage.register(SpendingEvidence, "media")
        usage.register(HonourLine, "photo")
        usage.register(Letter, "drawing")

        from coordination.lib import demo as demo_steps
        from donations import demo

        demo_steps.register("donations", demo.seed_donations, after=("families",))

        # Each part plugs its links, reminder sources, media access and demo steps in.
        from donations import hooks_campaigns, hooks_honour, hooks_public

        hooks_public.install()
        hooks_campaigns.install()
        hooks_honour.install()


def _donor_accounts(school_ids):
    from donations.models import Donor

    return Donor.objects.filter(school__in=school_ids, user__isnull=False).values("user_id")
