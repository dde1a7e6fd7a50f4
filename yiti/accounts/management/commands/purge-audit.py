import datetime

from django.core.management.base import BaseCommand, CommandError

from yiti.accounts.audit import RetentionError, purge_before


class Command(BaseCommand):
    help = "Delete audit records older than a date; refuses anything younger than the 180-day retention."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="cut-off date, YYYY-MM-DD")

    def handle(self, before, **options):
        try:
            cutoff = datetime.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"--before: not a date: {before!r} (expected YYYY-MM-DD)") from None
        try:
            deleted = purge_before(cutoff)
        except RetentionError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(", ".join(f"{label}: {n} deleted" for label, n in deleted.items()))
