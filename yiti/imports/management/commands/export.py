from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yiti.core import export
from yiti.imports import services


class Command(BaseCommand):
    help = "Export a registry to FILE (.xlsx or .csv), as the list page's 导出 does, masked unless the user may reveal."

    def add_arguments(self, parser):
        parser.add_argument("registry")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="the account whose scope is exported (default: the first superuser)")

    def handle(self, registry, file, **options):
        try:
            target = services.registry_for(registry)
        except KeyError:
            raise CommandError(f"unknown registry {registry!r}") from None
        users = get_user_model().objects
        user = users.filter(username=options["user"]).first() if options["user"] else \
            users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("no such user; create a superuser or pass --user")
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in export.FORMATS:
            raise CommandError("FILE must end in .xlsx or .csv")
        count = export.write_file(file, target.queryset(user).order_by("pk"), list(target.detail_fields), user, fmt)
        self.stdout.write(f"{count} rows → {file}")
