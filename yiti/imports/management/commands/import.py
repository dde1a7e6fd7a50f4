import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiti.imports import services
from yiti.imports.management.common import registry_and_user
from yiti.imports.reader import ImportFileError


def pairs(values: list[str], flag: str) -> dict[str, str]:
    result = {}
    for value in values:
        source, sep, target = value.partition("=")
        if not sep or not source.strip() or (not target.strip() and flag != "--map"):
            raise CommandError(f"{flag} expects SOURCE=TARGET, got {value!r}")
        result[source.strip()] = target.strip()
    return result


class Command(BaseCommand):
    help = ("Import a spreadsheet (xlsx or csv) into a registry. Prints one JSON line "
            '{"rows", "created", "updated", "duplicates", "errors", …} and writes the rows not imported, '
            "with their reasons, beside the file as FILE.errors.xlsx (in the temporary folder if that one is read-only).")

    def add_arguments(self, parser):
        from yiti.core.registry import registries

        parser.add_argument("registry", help="one of " + ", ".join(registries()))
        parser.add_argument("file", type=Path)
        parser.add_argument("--map", action="append", default=[], metavar="SOURCE_COLUMN=TEMPLATE_HEADER",
                            help="read the file's SOURCE_COLUMN as the template column TEMPLATE_HEADER (empty: leave it out)")
        parser.add_argument("--set", action="append", default=[], metavar="TEMPLATE_HEADER=VALUE",
                            help="give every row this value for a column the file lacks")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--lenient", action="store_true",
                            help="keep unrecognised values of optional columns in the notes instead of refusing the row")
        parser.add_argument("--no-create-missing", action="store_true",
                            help="refuse rows naming an organisation the platform lacks instead of creating it")
        parser.add_argument("--user", help="the account the import runs as (default: the first superuser)")

    def handle(self, registry, file, **options):
        target, user = registry_and_user(registry, options["user"])
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        settings = {"mapping": pairs(options["map"], "--map"), "constants": pairs(options["set"], "--set"),
                    "lenient": options["lenient"], "create_missing": not options["no_create_missing"]}
        try:
            counts, plan, table = services.import_file(target, file, user, settings, dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if counts["errors"]:
            content = services.error_workbook(plan, table.headers)
            report = file.with_name(file.name + ".errors.xlsx")
            try:
                report.write_bytes(content)
            except OSError:  # a read-only folder (shared data): the temporary folder instead
                report = Path(tempfile.gettempdir()) / report.name
                report.write_bytes(content)
            self.stderr.write(f"{counts['errors']} rows not imported, with their reasons: {report}")
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
