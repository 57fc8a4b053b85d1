"""Check that each school's ledger chain is intact: `manage.py verify_ledger [--school SLUG]`."""

from django.core.management.base import BaseCommand, CommandError

from donations.ledger import ledger_verify
from schools.models import School


class Command(BaseCommand):
    help = "Recompute every ledger entry's hash and name the first broken entry of each school."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="the school's slug (default: every school with a ledger)")

    def handle(self, *args, school=None, **options):
        if school:
            schools = list(School.objects.filter(slug=school))
            if not schools:
                raise CommandError(f"No school with the slug {school!r}.")
        else:
            schools = list(School.objects.filter(ledger__isnull=False).distinct().order_by("slug"))
        broken = 0
        for each in schools:
            result = ledger_verify(school=each)
            if result.ok:
                self.stdout.write(
                    f"{each.slug}: {result.entries} entries, chain intact, latest hash {result.latest_hash}"
                )
            else:
                broken += 1
                self.stdout.write(
                    f"{each.slug}: BROKEN at entry {result.problem.seq}: {result.problem.reason} "
                    f"({result.entries} entries read)"
                )
        if broken:
            raise CommandError(f"{broken} ledger(s) broken.")
