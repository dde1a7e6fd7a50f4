"""yiti supervise: the daily supervision run (lights, escalation, automatic tasks, reminders)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from yiti.supervision import daily


class Command(BaseCommand):
    help = ("Raise and close automatic supervision tasks, recompute lights and escalation and send reminders "
            "for today in Asia/Shanghai (idempotent). Run daily by cron or by the worker (--schedule).")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for (YYYY-MM-DD); default today in Asia/Shanghai")
        parser.add_argument("--schedule", action="store_true",
                            help="also queue the worker's daily run at 00:05 (once; `yiti db_worker` runs it)")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as e:
                raise CommandError(gettext("Not a date: %(value)s (write YYYY-MM-DD)") % {"value": options["date"]}) from e
        summary = daily.run(day)
        self.stdout.write(summary.line())
        if options["schedule"]:
            if daily.schedule():
                self.stdout.write(gettext("The worker runs it every day at 00:05 Asia/Shanghai."))
            else:
                self.stdout.write(gettext("The task backend cannot run tasks later (YITI_TASKS=immediate): run "
                                          "`yiti supervise` daily by cron."))
