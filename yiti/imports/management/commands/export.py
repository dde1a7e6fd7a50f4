from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiti.core import export
from yiti.imports.management.common import registry_and_user


class Command(BaseCommand):
    help = "Export a registry to FILE (.xlsx or .csv), as the list page's 导出 does, masked unless the user may reveal."

    def add_arguments(self, parser):
        parser.add_argument("registry")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="the account whose scope is exported (default: the first superuser)")

    def handle(self, registry, file, **options):
        target, user = registry_and_user(registry, options["user"])
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in export.FORMATS:
            raise CommandError("FILE must end in .xlsx or .csv")
        count = export.write_file(file, target.queryset(user).order_by("pk"), list(target.detail_fields), user, fmt)
        self.stdout.write(f"{count} rows → {file}")
