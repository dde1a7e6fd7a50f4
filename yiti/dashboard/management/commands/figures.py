"""`yiti figures [--schedule]`: compute the figures the dashboards keep ready (the home page, the 数据大屏) now;
with --schedule also queue the worker's refresh every few minutes (`yiti.dashboard.live`)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yiti.dashboard import live


class Command(BaseCommand):
    help = "Compute the dashboards' figures now; --schedule: the worker refreshes them every few minutes."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="also queue the worker's refresh (`yiti db_worker` runs it every few minutes)")

    def handle(self, *args, **options):
        found = live.refresh()
        self.stdout.write(_("Dashboard figures of %(year)s computed in %(seconds).1f s.") % {
            "year": found.year, "seconds": found.seconds})
        if options["schedule"]:
            if live.schedule():
                self.stdout.write(_("The worker refreshes them every %(minutes)d minutes.") % {
                    "minutes": live.refresh_minutes()})
            else:
                self.stdout.write(_("The task backend cannot run tasks later (YITI_TASKS=immediate): the pages "
                                    "compute their figures themselves."))
