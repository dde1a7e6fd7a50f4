"""`yiti snapshot [--period YYYY-MM]`: take the monthly snapshot of the indicator ledger (default: the previous
month's, so that cron on the 1st — or every day — freezes the month just ended). Idempotent: a month's snapshot
is taken once and never rewritten."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.dashboard import snapshots
from yiti.dashboard.models import Snapshot


class Command(BaseCommand):
    help = "Take the monthly snapshot of the indicator ledger (default: the previous month); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="the month, YYYY-MM (default: the previous month)")

    def handle(self, *args, **options):
        try:
            period = snapshots.check_period(options["period"]) if options["period"] else \
                snapshots.previous_period(timezone.localdate())
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        existed = Snapshot.objects.filter(period=period).exists()
        snap = snapshots.take(period)
        if existed:
            self.stdout.write(_("%(period)s: the snapshot was taken at %(at)s; not taken again.") % {
                "period": period, "at": f"{timezone.localtime(snap.taken_at):%Y-%m-%d %H:%M}"})
        else:
            self.stdout.write(_("%(period)s: snapshot taken (%(count)d figures).") % {
                "period": period, "count": snap.values.count()})
