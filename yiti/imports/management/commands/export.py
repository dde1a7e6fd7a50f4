from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiti.core import export
from yiti.imports.management.common import registry_and_user


class Command(BaseCommand):
    help = ("Export a registry to FILE (.xlsx or .csv), as the list page's 导出 does: masked. With --plain-reason, "
            "unmasked as 明文导出 does (a user who may reveal, within the rows per day, logged with the reason).")

    def add_arguments(self, parser):
        parser.add_argument("registry")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="the account whose scope is exported (default: the first superuser)")
        parser.add_argument("--plain-reason", default="", help="export unmasked, for this reason (明文导出)")

    def handle(self, registry, file, **options):
        target, user = registry_and_user(registry, options["user"])
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in export.FORMATS:
            raise CommandError("FILE must end in .xlsx or .csv")
        try:
            count = export.write_file(file, target.queryset(user).order_by("pk"), list(target.detail_fields), user,
                                      fmt, plain_reason=options["plain_reason"])
        except export.PlainExportRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{count} rows → {file}")
