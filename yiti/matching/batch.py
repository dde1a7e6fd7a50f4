"""Batch recommendations for the operator (`yiti recommend experts`): the pages' code path — the loaded index
(`store.current().experts()`) and the records behind its keys — without a user's scope, since the operator runs
it on the server. Only talents who consent to be recommended, unless the operator asks for every talent (a
benchmark on an imported grant list, whose people carry no consent)."""

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from yiti.matching import store
from yiti.talents.models import Talent


class BadInput(Exception):
    """The queries file cannot be used; the message (Chinese) names the file, the lines and the reasons."""


MAX_REPORTED = 20


def read_queries(path: Path) -> list[tuple[Any, str]]:
    """(qid, text) of every line of a JSONL file; any bad line stops the run before anything is written (a
    dropped query would silently lose its id): BadInput lists them with their line numbers."""
    errors: list[str] = []
    items: list[tuple[Any, str]] = []
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                reason = ""
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as e:
                    reason = _("not valid JSON (%(reason)s, column %(column)s)") % {"reason": e.msg, "column": e.colno}
                else:
                    reason = _check(item)
                if reason:
                    errors.append(_("%(file)s line %(line)s: %(reason)s") % {"file": path, "line": number, "reason": reason})
                    continue
                items.append((item["qid"], str(item.get("text") or "")))
    except UnicodeDecodeError:
        raise BadInput(_("%(file)s is not UTF-8 text.") % {"file": path}) from None
    except OSError as e:
        raise BadInput(_("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": e.strerror or e}) from None
    if errors:
        shown = errors[:MAX_REPORTED]
        if len(errors) > MAX_REPORTED:
            shown.append(_("… and %(n)s more bad lines") % {"n": len(errors) - MAX_REPORTED})
        raise BadInput("\n".join([_("Nothing was written: the queries file has bad lines."), *shown]))
    return items


def _check(item: object) -> str:
    if not isinstance(item, dict):
        return _("each line must be a JSON object {\"qid\", \"text\"}")
    qid = item.get("qid")
    if qid in (None, "") or isinstance(qid, bool) or not isinstance(qid, str | int):
        return _("the field qid is missing or is not text or a number")
    if not isinstance(item.get("text", ""), str):
        return _("the field text must be text")
    return ""


def index_or_none() -> store.MatchingIndex | None:
    """The loaded index; None while none has been built (a command does not wait for the background build)."""
    if not store.status().built:
        return None
    return store.current()


def rank_experts(idx: store.MatchingIndex, text: str, top: int, *, consenting_only: bool = True) -> list[dict[str, Any]]:
    """{"talent_id", "name", "organisation", "score"} of the best experts for ``text``, best first."""
    wanted = top * 3 + 50 if consenting_only else top
    hits = idx.experts(text, top=wanted)
    pks = [int(key.partition(":")[2]) for key, _score in hits]
    talents = Talent.objects.select_related("organisation").filter(pk__in=pks)
    if consenting_only:
        talents = talents.filter(consent_to_recommend=True)
    found = {t.pk: t for t in talents}
    ranking = []
    for pk, (_key, score) in zip(pks, hits, strict=True):
        talent = found.get(pk)
        if talent is None:
            continue
        ranking.append({"talent_id": pk, "name": talent.name,
                        "organisation": talent.organisation.name if talent.organisation is not None else "",
                        "score": round(score, 6)})
        if len(ranking) >= top:
            break
    return ranking

