"""Restore the database from a nightly dump, migrate it, and replay the erasures the dump predates."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from privacy.management.commands.privacy_erasures_replay import report_write
from privacy.restore import RestoreError, database_restore, erasures_replay


class Command(BaseCommand):
    help = (
        "Replace the database's content with a pg_dump custom-format dump (-Fc, what deploy/backup makes), "
        "apply the migrations the dump lacks, then replay the erasure log so that an erased family stays "
        "erased. Stop the web application, the worker and beat first. Needs pg_restore of the server's "
        "major version on PATH."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dump", required=True, type=Path, help="the dump file (pg_dump -Fc)")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, dump: Path, interactive: bool, **options):
        database = DEFAULT_DB_ALIAS
        name = connections[database].settings_dict["NAME"]
        if interactive:
            answer = input(f"Everything in database {name!r} will be replaced by {dump}. Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("restore cancelled")
        try:
            database_restore(dump=dump, using=database)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {dump} into {name}.")
        call_command("migrate", database=database, interactive=False, verbosity=max(options["verbosity"] - 1, 0))
        report_write(self, erasures_replay())
        self.stdout.write(self.style.SUCCESS("Restore done."))
