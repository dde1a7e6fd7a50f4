"""/matching/search/ (全库检索) and /matching/feedback/ (why recommendations were judged unsuitable)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yiti.core.views import denied
from yiti.matching import recommend as rec
from yiti.matching import search as engine_search
from yiti.matching.choices import RejectReason
from yiti.matching.documents import KINDS
from yiti.matching.feedback import feedback_in_scope, may_see_reasons, reason_counts


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    types = [t for t in request.GET.getlist("type") if t in engine_search.SHAPE]
    county, discipline = _int(request.GET.get("county")), _int(request.GET.get("discipline"))
    context: dict = {"q": " ".join(q.split())[: engine_search.MAX_QUERY], "types": types, "county": county,
                     "discipline": discipline, "too_long": len(q) > engine_search.MAX_QUERY}
    try:
        result = engine_search.search(request.user, q, types, county, discipline, page=_int(request.GET.get("page")) or 1)
    except rec.IndexNotReady:
        rec.queue_index_build()
        context["building"] = True
    else:
        context["result"] = result
        base = request.GET.copy()
        base.pop("page", None)
        context["page_query"] = base.urlencode()
        context["facet_links"] = _facet_links(request, result.facets)
    return render(request, "matching/recommend/search.html", context)


def _facet_links(request: HttpRequest, facets: dict) -> list[dict]:
    """Each facet value as a link that sets (or, when chosen, clears) it, keeping the rest of the query."""
    groups = []
    titles = {"type": _("Record type"), "county": _("County / district"), "discipline": _("Discipline")}
    for name, values in facets.items():
        links = []
        for value, label, count in values:
            query = request.GET.copy()
            query.pop("page", None)
            chosen = str(value) in query.getlist(name)
            if chosen:
                query.setlist(name, [v for v in query.getlist(name) if v != str(value)])
            else:
                query.setlist(name, [str(value)])
            links.append({"label": label, "count": count, "query": query.urlencode(), "chosen": chosen})
        if links:
            groups.append({"title": titles[name], "links": links})
    return groups


def feedback_reasons(request: HttpRequest) -> HttpResponse:
    if not may_see_reasons(request.user):
        denied(request, "feedback reasons")
        raise PermissionDenied
    counts = reason_counts(feedback_in_scope(request.user))
    reasons = RejectReason.choices
    kind_labels = {k: str(KINDS[k]._meta.verbose_name) for k in KINDS}

    def table(counter, labels) -> list[dict]:
        rows: dict[str, dict] = {}
        for (group, reason), n in counter.items():
            row = rows.setdefault(group, {"label": labels(group), "counts": {r: 0 for r, _l in reasons}, "total": 0})
            row["counts"][reason] = n
            row["total"] += n
        return [{"label": r["label"], "cells": [r["counts"][code] for code, _l in reasons], "total": r["total"]}
                for r in sorted(rows.values(), key=lambda r: (-r["total"], r["label"]))]

    context = {
        "counts": counts, "reasons": reasons,
        "by_reason": [(label, counts["by_reason"].get(code, 0)) for code, label in reasons],
        "by_kind": table(counts["by_kind"], lambda k: kind_labels.get(k, k)),
        "by_county": table(counts["by_county"], lambda c: c or _("No county")),
    }
    return render(request, "matching/recommend/feedback_reasons.html", context)
