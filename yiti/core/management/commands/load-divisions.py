from django.core.management.base import BaseCommand, CommandError

from yiti.core.code_data import parse_mca_division_list
from yiti.core.codes import upsert_codes
from yiti.core.models import Division


class Command(BaseCommand):
    help = "Load administrative divisions from the Ministry of Civil Affairs code list (CSV: code, name)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the MCA division code list, CSV or text; UTF-8 or GBK")

    def handle(self, path, **options):
        try:
            entries = parse_mca_division_list(path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        created, updated = upsert_codes(Division, entries)
        self.stdout.write(f"divisions: {len(entries)} read, {created} created, {updated} updated")
