import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yiti.core import export
from yiti.imports import tagging
from yiti.imports.management.common import registry_and_user


class Command(BaseCommand):
    help = ("Suggest discipline or industry codes for the records of a registry that lack them, learned from "
            "the needs, results and talents that have them. Writes the suggestions for review to --out (xlsx or "
            'csv); with --apply also fills in those at or above --min-probability. Prints {"suggested", "applied"}.')

    def add_arguments(self, parser):
        parser.add_argument("registry", help="needs, results or talents")
        parser.add_argument("--field", choices=tagging.CODE_FIELDS, default="discipline")
        parser.add_argument("--out", type=Path, help="the review sheet to write (.xlsx or .csv)")
        parser.add_argument("--apply", action="store_true", help="fill in the confident suggestions")
        parser.add_argument("--min-probability", type=float, default=0.6,
                            help="with --apply, the least probability written (default 0.6)")
        parser.add_argument("--user", help="the account whose records are tagged and who is the actor in the audit trail "
                                           "(default: the first superuser)")

    def handle(self, registry, **options):
        target, user = registry_and_user(registry, options["user"])
        out = options["out"]
        fmt = out.suffix.lower().lstrip(".") if out else None
        if out and fmt not in export.FORMATS:
            raise CommandError(_("The --out file must end in .xlsx or .csv"))
        if not 0.0 <= options["min_probability"] <= 1.0:
            raise CommandError(_("--min-probability must lie between 0 and 1"))
        try:
            suggestions, _n_training = tagging.suggest(target, options["field"], user)
        except tagging.TaggingError as exc:
            raise CommandError(str(exc)) from None
        applied = 0
        if options["apply"]:
            chosen = tagging.confident(suggestions, options["min_probability"])
            applied = tagging.apply(target, options["field"], user, suggestions, chosen)
        if out:
            export.write_rows(out, _("Suggest codes"), tagging.rows(suggestions), fmt)
        self.stdout.write(json.dumps({"suggested": len(suggestions), "applied": applied}, ensure_ascii=False))
