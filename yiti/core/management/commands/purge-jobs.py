from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.jobs import purge
from yiti.core.models import IdempotentCall


class Command(BaseCommand):
    help = ("Delete background jobs of every kind (imports, code suggestions, …) that ended more than "
            "YITI_JOB_RETENTION_DAYS days ago, with their files (uploads, side files, reports); running jobs "
            "are kept, those whose worker died are marked failed; also the API's idempotency keys older than that "
            "(a retry comes within minutes, not weeks). Safe to run again; prints what it removed.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"keep jobs that ended fewer days ago (default YITI_JOB_RETENTION_DAYS, "
                                 f"now {settings.YITI_JOB_RETENTION_DAYS})")
        parser.add_argument("--dry-run", action="store_true", help="print what would be removed, remove nothing")

    def handle(self, days, dry_run, **options):
        if days is not None and days < 0:
            raise CommandError(_("--days must be 0 or more."))
        done = purge(days, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        media = Path(settings.MEDIA_ROOT)

        def shown(path: Path) -> str:
            return str(path.relative_to(media)) if path.is_relative_to(media) else str(path)

        for kind, pk in done.reaped:
            self.stdout.write(f"{'would mark' if dry_run else 'marked'} {kind} {pk} failed: its worker stopped")
        for path in done.uploads:
            self.stdout.write(f"{verb} upload of an ended job: {shown(path)}")
        for kind, pk, status, ended in done.jobs:
            self.stdout.write(f"{verb} {kind} {pk} ({status} since {timezone.localtime(ended):%Y-%m-%d %H:%M})")
        for path in done.files:
            self.stdout.write(f"{verb} file {shown(path)}")
        for path in done.orphans:
            self.stdout.write(f"{verb} file no job names: {shown(path)}")
        retention = settings.YITI_JOB_RETENTION_DAYS if days is None else days
        keys = IdempotentCall.objects.filter(created_at__lt=timezone.now() - timedelta(days=retention))
        self.stdout.write(f"{verb} {keys.count() if dry_run else keys.delete()[0]} API idempotency keys")
        self.stdout.write(f"purge-jobs: {verb} {len(done.jobs)} jobs ended over {retention} days ago, "
                          f"{len(done.files) + len(done.uploads) + len(done.orphans)} files")
