"""Erase again everyone in the erasure log: after every restore of the database (safe to run again)."""

from django.core.management.base import BaseCommand, CommandError

from privacy.restore import ReplayReport, erasures_replay


def report_write(command: BaseCommand, report: ReplayReport) -> None:
    """The replay's counts on stdout, what went wrong on stderr; raises when something did."""
    command.stdout.write(
        f"Erasures replayed: {report.replayed}; subjects no longer in the database: {report.missing}; "
        f"rows erased again: {sum(report.rows.values())}"
    )
    for label, count in sorted(report.rows.items()):
        command.stdout.write(f"  {label}: {count}")
    for problem in [*report.unreadable, *report.failed]:
        command.stderr.write(f"not replayed: {problem}")
    if not report.ok:
        raise CommandError(
            f"{len(report.unreadable)} unreadable log objects, {len(report.failed)} failed replays: "
            "fix them and run this command again"
        )


class Command(BaseCommand):
    help = (
        "Replay the erasure log kept outside the database (PRIVACY_ERASURE_LOG_STORAGE): erase again every "
        "child and person erased since the backup was taken. Run it after every restore; running it again "
        "changes nothing more."
    )

    def handle(self, *args, **options):
        report_write(self, erasures_replay())
