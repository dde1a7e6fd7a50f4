import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yiti.matching import batch


class Command(BaseCommand):
    help = ("Batch recommendations on the pages' code path. `recommend experts --queries FILE.jsonl --top 100 "
            "--out FILE.jsonl`: each input line {\"qid\", \"text\"}, each output line {\"qid\", \"ranking\": "
            "[{\"talent_id\", \"name\", \"organisation\", \"score\"}]}. Only talents who consent to be recommended, "
            "unless --all-talents (the operator's benchmark: imported lists carry no consent).")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["experts"])
        parser.add_argument("--queries", type=Path, required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--top", type=int, default=100)
        parser.add_argument("--all-talents", action="store_true",
                            help="rank every talent, with or without consent to be recommended")

    def handle(self, kind, queries, out, top, all_talents, **options):
        if top < 1 or top > 1000:
            raise CommandError(_("--top must be between 1 and 1000."))
        try:
            items = batch.read_queries(queries)
        except batch.BadInput as bad:
            raise CommandError(str(bad)) from None
        idx = batch.index_or_none()
        if idx is None:
            raise CommandError(_("The matching index has not been built yet: run yiti matching-index --rebuild first."))
        written = 0
        try:
            with open(out, "w", encoding="utf-8") as handle:
                for qid, text in items:
                    ranking = batch.rank_experts(idx, text, top, consenting_only=not all_talents)
                    handle.write(json.dumps({"qid": qid, "ranking": ranking}, ensure_ascii=False) + "\n")
                    written += 1
        except OSError as e:
            raise CommandError(_("Cannot write %(file)s: %(reason)s") % {"file": out, "reason": e.strerror or e}) from None
        self.stderr.write(_("%(n)s queries ranked → %(file)s") % {"n": written, "file": out})
