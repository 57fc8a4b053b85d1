"""Load the demo: every installed app's part of it, in the order the parts need (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from coordination.lib.demo import DEMO_PASSWORD, run_all


class Command(BaseCommand):
    help = "Load the demo schools, accounts, children, families and each app's data (safe to run again)."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 1
        with transaction.atomic():
            steps = run_all(log=self.stdout.write if verbose else lambda _message: None)
        if options["verbosity"]:
            self.stdout.write(f"Demo steps: {', '.join(steps)}")
            self.stdout.write(self.style.SUCCESS(f"Demo ready. Every demo account's password is {DEMO_PASSWORD}"))
