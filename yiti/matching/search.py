"""全库检索: one search box across every registry, ranked by the matching engine (not by substring).

The engine ranks (BM25F over title, text and keywords): a record holding more of the query's words, and rarer
ones, comes first. The hits are resolved in bulk — one `restrict()` query per record kind, never one per hit —
so only what the user may see is shown or counted; facets (record type, county, discipline) count the visible
hits of the whole ranking, before the facet chosen narrows it. The page's hits show the words they share with
the query highlighted (the engine's explanation, so 铸铁 is marked where the engine matched it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from yiti.core.access import restricted_among
from yiti.core.models import Discipline, Division
from yiti.matching import store
from yiti.matching.documents import KINDS, parse_key
from yiti.matching.recommend import IndexNotReady

MAX_QUERY = 200
POOL = 500  # hits ranked and faceted; a query matching more shows its best 500
PER_PAGE = 20
SNIPPET = 80
TYPE_ORDER = ("need", "result", "talent", "org", "platform")

# kind → (select_related, county path, discipline attribute, organisation attribute, text attribute)
SHAPE: dict[str, tuple[tuple[str, ...], str, str | None, str | None, str]] = {
    "need": (("enterprise__division", "discipline"), "enterprise.division", "discipline", "enterprise",
             "description"),
    "result": (("owner__division", "discipline"), "owner.division", "discipline", "owner", "description"),
    "talent": (("organisation", "division", "discipline"), "division", "discipline", "organisation", "expertise"),
    "org": (("division",), "division", None, None, "description"),
    "platform": (("division", "host"), "division", None, "host", "description"),
}
# Personal data a hit never shows: not even read (and decrypted) for the page.
DEFERRED = {"need": ("phone",), "talent": ("id_number", "mobile", "email"), "org": ("phone",)}


@dataclass
class SearchHit:
    key: str
    kind: str
    record: Model
    score: float
    county: Division | None
    discipline: Discipline | None
    organisation: Any = None
    type_label: str = ""
    title: SafeString = field(default_factory=lambda: mark_safe(""))
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))


@dataclass
class SearchPage:
    query: str
    hits: list[SearchHit]  # this page's
    total: int  # visible hits after the chosen facets
    facets: dict[str, list[tuple[Any, str, int]]]  # name → [(value, label, count)]
    page: int = 1
    pages: int = 1


def _attr(record: Any, path: str | None) -> Any:
    if not path:
        return None
    for part in path.split("."):
        record = getattr(record, part, None) if record is not None else None
    return record


@dataclass(frozen=True)
class _Row:
    key: str
    kind: str
    pk: int
    score: float
    county_id: int | None
    discipline_id: int | None


def _visible(user: Any, kind: str, pks: list[int]) -> QuerySet:
    """The records of `kind` among `pks` that `user` may see, each hit checked by id (access.restricted_among)."""
    return restricted_among(KINDS[kind], user, "view", pks)


def _visible_rows(user: Any, hits: list[tuple[str, float]]) -> list[_Row]:
    """The hits `user` may see, in rank order, as bare values: one `restrict()` query per kind, no model
    instances (a query matching 500 records builds 500 tuples, not 500 records with their joins)."""
    wanted: dict[str, list[int]] = {}
    for k, _s in hits:
        kind, pk = parse_key(k)
        if kind in SHAPE:
            wanted.setdefault(kind, []).append(pk)
    facts: dict[str, dict[int, tuple[int | None, int | None]]] = {}
    for kind, pks in wanted.items():
        county = SHAPE[kind][1].replace(".", "__")
        discipline = SHAPE[kind][2]
        qs = _visible(user, kind, pks)
        columns = ("pk", f"{county}_id", *((f"{discipline}_id",) if discipline else ()))
        facts[kind] = {row[0]: (row[1], row[2] if discipline else None) for row in qs.values_list(*columns)}
    out = []
    for k, score in hits:
        kind, pk = parse_key(k)
        found = facts.get(kind, {}).get(pk)
        if found is not None:
            out.append(_Row(k, kind, pk, score, *found))
    return out


def _records(user: Any, rows: list[_Row]) -> dict[str, Model]:
    """The records of one page, with the joins the page shows (still through `restrict()`)."""
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row.kind, []).append(row.pk)
    out: dict[str, Model] = {}
    for kind, pks in wanted.items():
        qs = _visible(user, kind, pks).select_related(*SHAPE[kind][0]).defer(*DEFERRED.get(kind, ()))
        out.update({f"{kind}:{r.pk}": r for r in qs})
    return out


def resolve_visible(user: Any, hits: list[tuple[str, float]]) -> list[SearchHit]:
    """The hits `user` may see, in rank order, with their records, county, discipline and organisation."""
    rows = _visible_rows(user, hits)
    records = _records(user, rows)
    out = []
    for row in rows:
        record = records.get(row.key)
        if record is None:
            continue
        _joins, county, discipline, organisation, _text = SHAPE[row.kind]
        out.append(SearchHit(row.key, row.kind, record, row.score, _attr(record, county), _attr(record, discipline),
                             _attr(record, organisation), str(KINDS[row.kind]._meta.verbose_name)))
    return out


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """`text` escaped, with every occurrence of `terms` (longest first) in <mark>."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words or not text:
        return escape(text or "")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        parts.append(escape(text[pos:m.start()]))
        parts.append(format_html("<mark>{}</mark>", m.group()))
        pos = m.end()
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def snippet(text: str, terms: Iterable[str], width: int = SNIPPET) -> str:
    """About `width` characters of `text` around its first term."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    first = min((i for i in (text.lower().find(t.lower()) for t in terms if t) if i >= 0), default=0)
    start = max(0, min(first - width // 4, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def query_words(query: str) -> list[str]:
    return [w for w in re.split(r"[\s,，;；、]+", query) if w]


def search(user: Any, query: str, types: Iterable[str] = (), county: int | None = None,
           discipline: int | None = None, page: int = 1, per_page: int = PER_PAGE) -> SearchPage:
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        return SearchPage(query, [], 0, {})
    idx = store.current()
    if idx is None:
        raise IndexNotReady
    rows = _visible_rows(user, idx.search(query, top=POOL))
    facets = _facets(rows)
    chosen_types = [t for t in types if t in SHAPE]
    if chosen_types:
        rows = [r for r in rows if r.kind in chosen_types]
    if county:
        rows = [r for r in rows if r.county_id == county]
    if discipline:
        rows = [r for r in rows if r.discipline_id == discipline]
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page, 1), pages)
    shown = resolve_visible(user, [(r.key, r.score) for r in rows[(page - 1) * per_page: page * per_page]])
    plain = query_words(query)
    for hit in shown:
        try:
            shared = list(idx.explain(query, hit.key).shared_words)
        except KeyError:
            shared = []
        terms = [*shared, *plain]
        hit.title = highlight(str(hit.record), terms)
        hit.snippet = highlight(snippet(str(getattr(hit.record, SHAPE[hit.kind][4], "") or ""), terms), terms)
    return SearchPage(query, shown, len(rows), facets, page, pages)


def _facets(rows: list[_Row]) -> dict[str, list[tuple[Any, str, int]]]:
    types = Counter(r.kind for r in rows)
    counties = Counter(r.county_id for r in rows if r.county_id is not None)
    disciplines = Counter(r.discipline_id for r in rows if r.discipline_id is not None)
    county_names = dict(Division.objects.filter(pk__in=list(counties)).values_list("pk", "name"))
    discipline_names = dict(Discipline.objects.filter(pk__in=list(disciplines)).values_list("pk", "name"))
    return {
        "type": [(kind, str(KINDS[kind]._meta.verbose_name), types[kind]) for kind in TYPE_ORDER if types[kind]],
        "county": [(pk, county_names.get(pk, ""), n) for pk, n in sorted(counties.items(), key=lambda x: (-x[1], x[0]))],
        "discipline": [(pk, discipline_names.get(pk, ""), n)
                       for pk, n in sorted(disciplines.items(), key=lambda x: (-x[1], x[0]))],
    }
