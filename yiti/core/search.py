"""Keyword search that stays fast at hundreds of thousands of records, on SQLite and PostgreSQL.

Chinese has no spaces, so a plain full-text index would treat "可锻铸铁管件" as one word. Each
registry keeps a `search_text` column in which every CJK character is its own token and Latin
words and numbers are lower-case tokens ("可 锻 铸 铁 ht250"). A keyword becomes a phrase of
adjacent tokens ("铸 铁"), which both databases answer from an index:

- SQLite: an FTS5 table over `search_text` (external content, kept in sync by triggers, so even
  bulk inserts are indexed);
- PostgreSQL: a stored generated `search_vector` column (`to_tsvector('simple', search_text)`) with a
  GIN index, queried with `<->` phrases.

The result is substring search for Chinese (any run of characters) and word-prefix search for
Latin words and numbers, without scanning the table.
"""

import json
import re
import time
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact, In

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TOKEN = re.compile(rf"[{_CJK}]|[a-z0-9]+")
MAX_TOKENS_PER_TERM = 32


def tokens(text: str) -> list[str]:
    """Search tokens of `text`: single CJK characters and lower-case ASCII words."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower())


def _value(obj: Any, path: str) -> str:
    for name in path.split("__"):
        obj = getattr(obj, name, None) if obj is not None else None
    return str(obj or "")


def document(obj: models.Model) -> str:
    """The `search_text` of a record, from the model's `search_fields`; a field of a related record
    is named through its foreign key (`talent__name`) and kept fresh by `refresh_dependents`."""
    parts = [_value(obj, name) for name in getattr(type(obj), "search_fields", ())]
    return " ".join(tokens(" ".join(parts)))


def refresh_dependents(obj: models.Model) -> None:
    """Re-index the records whose search text includes fields of `obj` (an expert role holds its
    talent's name), after `obj` was saved."""
    for model in searchable_models():
        for foreign_key in {p.split("__")[0] for p in model.search_fields if "__" in p}:  # type: ignore[attr-defined]
            if model._meta.get_field(foreign_key).related_model is not type(obj):
                continue
            rows = list(model._default_manager.filter(**{foreign_key: obj}).select_related(foreign_key))
            for row in rows:
                row.search_text = document(row)  # type: ignore[attr-defined]
            model._default_manager.bulk_update(rows, ["search_text"])


def fill(objects: Iterable[models.Model]) -> None:
    """Set `search_text` on records about to be bulk-created (bulk_create skips save())."""
    for obj in objects:
        obj.search_text = document(obj)  # type: ignore[attr-defined]


def _fts_table(model: type[models.Model]) -> str:
    return f"{model._meta.db_table}_fts"


def _match_sql(model: type[models.Model], toks: list[str]) -> tuple[str, list[str]]:
    """SQL selecting the ids of `model` whose search text holds the phrase `toks`."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        return f"SELECT id FROM {table} WHERE search_vector @@ to_tsquery('simple', %s)", [_tsquery(toks)]
    fts = _fts_table(model)
    phrase = '"' + " ".join(toks) + '"' + ("*" if toks[-1].isascii() else "")
    return f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [phrase]


def keyword_filter(qs: models.QuerySet, term: str, related: Iterable[str] = ()) -> models.QuerySet:
    """`qs` narrowed to the records whose own text, or the text of a related record, contains `term`.

    Apply it after every other condition (the scope, the list's filters): whether `qs` is already
    narrowed decides which side the database should start from (see `keyword_q`).
    """
    where = qs.query.where
    # A list widened by a broad city-wide pool and nothing else (access.restrict): no index can answer the scope
    # ORed with the pool, so the matches drive the query (each looked up by id and checked) — a county officer's
    # talents ?q=王 counted 10,001 of its 58,642 rows by checking 300,000 talents against the matches otherwise —
    # unless an index covers the OR (registry.Pool.covered), which is then cheaper to read whole.
    pooled = qs.only_pooled_scope() if hasattr(qs, "only_pooled_scope") else None
    only_broad_pool = pooled is not None and pooled.broad and not pooled.covered
    condition = keyword_q(qs.model, term, related, narrowed=bool(where) and not only_broad_pool)
    return qs if condition is None else qs.filter(condition)


def keyword_q(model: type[models.Model], term: str, related: Iterable[str] = (), *, narrowed: bool = False) -> Q | None:
    """Records whose own text, or the text of a related record (foreign key names), contains `term`.

    One `id IN (… UNION ALL …)` subquery: an OR of two IN conditions makes both databases evaluate
    the condition row by row, which costs a table scan on a common term.

    `narrowed`: other conditions (a county officer's scope, a filter) already select part of the table.
    SQLite then must not use the matches to look rows up: it would nest the list of matches inside
    each row of the other condition — for a county officer, the 5,000 organisations of the county
    times the 67,000 needs matching 技术, 133 s — so the keyword is only checked on the rows the other
    conditions select: against the list of matches built once (unary `+` keeps SQLite from using it as an
    index key), or, when the keyword matches most of the table, against each row's own search text.
    """
    toks = tokens(term)[:MAX_TOKENS_PER_TERM]
    if not toks:
        return None
    if connection.vendor == "postgresql":
        return _postgres_keyword_q(model, toks, related)
    sql, params = _match_sql(model, toks)
    parts, all_params = [sql], list(params)
    for name in related:
        field = model._meta.get_field(name)
        target_sql, target_params = _match_sql(field.related_model, toks)  # type: ignore[arg-type]
        parts.append(f"SELECT id FROM {model._meta.db_table} WHERE {field.column} IN ({target_sql})")  # type: ignore[union-attr]
        all_params += target_params
    # UNION ALL: IN() ignores duplicates anyway, and skipping the de-duplication saves a sort.
    matches = " UNION ALL ".join(parts)
    if _matches_most(model, sql, params):
        # Checked on each row the rest of the query reads — the other conditions, or the list's own order —
        # against the row's own search text (a substring test): no list of matches is built first (技术 matches
        # 68,061 of 80,000 needs; building that list for the rows and again for the count was most of a county
        # officer's keyword search), and the newest 25 come from walking the date index a few dozen rows.
        check_sql, check_params = _row_check(model, toks, related)
        return Q(KeywordCheck(check_sql, check_params, " UNION ".join(parts), all_params, builds_list=False))
    if narrowed:
        # Checked row by row, as a list built once, against the rows the other conditions select.
        pk_column = str(model._meta.pk.column)  # type: ignore[union-attr]
        pk = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(pk_column)}"
        return Q(KeywordCheck(f"+{pk} IN ({matches})", all_params, " UNION ".join(parts), all_params))
    return Q(pk__in=KeywordMatches(matches, all_params, " UNION ".join(parts)))


def _phrase_pattern(toks: list[str]) -> str:
    """The phrase `toks` as a substring of " " + search_text + " " (the tokens separated by single spaces): it starts
    at a token and, unless its last token is a Latin word or number (which matches as a prefix), ends at one."""
    return " " + " ".join(toks) + ("" if toks[-1].isascii() else " ")


def _row_check(model: type[models.Model], toks: list[str], related: Iterable[str]) -> tuple[str, list[str]]:
    """SQL true on a row whose own search text holds the phrase `toks` (`_phrase_pattern`: the same test as the
    full-text index's phrase), or whose related record (a foreign key in `related`) matches in its own full-text
    index."""
    table = connection.ops.quote_name(model._meta.db_table)
    text = f"{table}.{connection.ops.quote_name('search_text')}"
    position = "strpos" if connection.vendor == "postgresql" else "instr"
    parts, params = _related_conditions(model, toks, related)
    return _any_of([f"{position}(' ' || {text} || ' ', %s) > 0", *parts]), [_phrase_pattern(toks), *params]


def _related_conditions(model: type[models.Model], toks: list[str], related: Iterable[str]) -> tuple[list[str], list]:
    """Per foreign key in `related`, SQL true on a row whose related record matches `toks` in its full-text index
    (PostgreSQL: the related ids fetched once, `_postgres_related_matches`; none when no related record matches)."""
    table = connection.ops.quote_name(model._meta.db_table)
    parts: list[str] = []
    params: list = []
    for name in related:
        field = model._meta.get_field(name)
        column = f"{table}.{connection.ops.quote_name(str(field.column))}"  # type: ignore[union-attr]
        if connection.vendor == "postgresql":
            found = _postgres_related_matches(column, field.related_model, toks)  # type: ignore[arg-type]
            parts += [found] if found else []
            continue
        target_sql, target_params = _match_sql(field.related_model, toks)  # type: ignore[arg-type]
        parts.append(f"{column} IN ({target_sql})")
        params += target_params
    return parts, params


def _any_of(conditions: list[str]) -> str:
    return "(" + " OR ".join(conditions) + ")"


# A keyword whose own matches are at least this share of the table is checked row by row (see keyword_q).
MOST = 0.25
SMALL_TABLE = 1000


# A keyword's plan (`_matches_most`) by table and phrase, for a few minutes: it chooses how to run the query, not
# what it finds, so a slightly stale share costs at most speed — and counting 技术's 68,061 matches again on every
# page of a list cost 8 ms of the 80.
_PLANS: dict[tuple[str, str, float, int], tuple[bool, float]] = {}
PLAN_SECONDS = 300


def _matches_most(model: type[models.Model], match_sql: str, params: list) -> bool:
    key = (model._meta.db_table, repr(params), MOST, SMALL_TABLE)
    known = _PLANS.get(key)
    now = time.monotonic()
    if known is not None and now - known[1] < PLAN_SECONDS:
        return known[0]
    if len(_PLANS) > 10_000:
        _PLANS.clear()
    most = _count_says_most(model, match_sql, params)
    _PLANS[key] = (most, now)
    return most


def table_size(model: type[models.Model]) -> int:
    """About how many rows a table holds, read from its primary key's end (the largest id): no count."""
    return model._default_manager.order_by().aggregate(n=models.Max("pk"))["n"] or 0


def _count_says_most(model: type[models.Model], match_sql: str, params: list) -> bool:
    """Whether the keyword's own matches are at least MOST of the table, against the largest id (the table's size,
    read from the primary key's end). SQLite: counted from the full-text index (a few ms for 67,055 matches).
    PostgreSQL: the planner's estimate from the search vectors' statistics (under a millisecond; counting 技术's
    67,195 needs through the GIN index took 345 ms) — with no statistics yet it guesses a small share, the index
    plan."""
    size = table_size(model)
    if size < SMALL_TABLE:
        return False  # either plan is quick
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {match_sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return float(plan[0]["Plan"]["Plan Rows"]) >= MOST * size
        cursor.execute(f"SELECT count(*) FROM ({match_sql})", params)
        return int(cursor.fetchone()[0]) >= MOST * size


class KeywordMatches(RawSQL):
    """The ids matching a keyword, for `id IN (…)`, with the SQL that counts them without reading the table."""

    def __init__(self, sql: str, params: list, distinct_sql: str) -> None:
        super().__init__(sql, params)
        self.count_sql = f"SELECT count(*) FROM ({distinct_sql})"


class KeywordCheck(RawSQL):
    """The keyword checked on each row the rest of the query reads (`_row_check`), with the SQL that counts the
    matches from the full-text index without reading the table (used when the keyword is the list's only
    condition)."""

    def __init__(self, sql: str, params: list, distinct_sql: str, count_params: list, builds_list: bool = True) -> None:
        super().__init__(sql, params, output_field=models.BooleanField())
        self.count_sql = f"SELECT count(*) FROM ({distinct_sql})"
        self.count_params = count_params
        self.builds_list = builds_list  # whether each query builds the list of matches first (see builds_match_list)


def builds_match_list(query: Any) -> bool:
    """Whether a query's keyword condition builds the whole list of the keyword's matches each time it runs (an id
    list from the full-text index), rather than testing each row it reads."""
    def walk(node: Any) -> bool:
        if isinstance(node, KeywordMatches) or (isinstance(node, KeywordCheck) and node.builds_list):
            return True
        return any(walk(child) for child in getattr(node, "children", ()) or ()) or any(
            walk(part) for part in (getattr(node, "lhs", None), getattr(node, "rhs", None)) if part is not None
            and not isinstance(part, str | int | float | list | tuple))
    return walk(query.where)


def exact_keyword_count(queryset: models.QuerySet) -> int | None:
    """The number of records a keyword search finds, when the keyword is the list's only condition (the
    superuser's list on SQLite, no filter): counted from the full-text index alone, without the IN list and
    without reading the table. Every id in the index is a record (the index follows the table through
    triggers), so the count is exact — and cheaper than counting even the first 10,001 matches through the
    table (技术, 67,055 of 80,000 needs: 15 ms against 18 ms; 检测: 2 ms against 12 ms). None otherwise."""
    query = queryset.query
    where = query.where
    if len(where.children) != 1 or where.negated or query.distinct or query.combinator or query.is_sliced:
        return None
    lookup = where.children[0]
    if isinstance(lookup, KeywordCheck):
        matches: RawSQL = lookup
    elif isinstance(lookup, Exact) and isinstance(lookup.lhs, KeywordCheck) and lookup.rhs is True:
        matches = lookup.lhs
    elif isinstance(lookup, In) and isinstance(lookup.rhs, KeywordMatches):
        lhs = lookup.lhs
        if getattr(lhs, "target", None) is not queryset.model._meta.pk or getattr(lhs, "alias", None) != query.base_table:
            return None
        matches = lookup.rhs
    else:
        return None
    with connection.cursor() as cursor:
        cursor.execute(matches.count_sql, getattr(matches, "count_params", matches.params))  # type: ignore[attr-defined]
        return int(cursor.fetchone()[0])


def _tsquery(toks: list[str]) -> str:
    # Tokens are CJK characters or [a-z0-9]+, so they need no quoting inside tsquery syntax.
    last = f"{toks[-1]}:*" if toks[-1].isascii() else toks[-1]
    return " <-> ".join([*toks[:-1], last])


def _tsquery_all(toks: list[str]) -> str:
    """Every token, in any order (the last a prefix when it is a Latin word or number)."""
    last = f"{toks[-1]}:*" if toks[-1].isascii() else toks[-1]
    return " & ".join([*toks[:-1], last])


def _postgres_keyword_q(model: type[models.Model], toks: list[str], related: Iterable[str]) -> Q:
    """On PostgreSQL one boolean condition on the row itself, answered from the GIN index and the
    foreign keys' matches, which is much cheaper than joining the table to a list of ids when a
    common character matches 30,000 rows."""
    if _matches_most(model, *_match_sql(model, toks)):
        # Most of the table: the index would hand over most rows anyway, so each row the rest of the query reads (the
        # scope's, or the list's order) is checked on its own text — reading its stored vector cost three times as
        # much (技术, 10,001 of 80,000 needs counted: 32 → 10 ms).
        sql, params = _row_check(model, toks, related)
        return Q(RawSQL(sql, params, output_field=models.BooleanField()))
    table = model._meta.db_table
    if len(toks) > 1:
        # A phrase: the GIN index answers "every token" without rechecking rows, and the order is then checked on
        # the row's own text — rechecking the phrase in each candidate's tsvector cost twice as much (检测: 89–131
        # → 36–39 ms for 9,673 of 80,000 needs).
        own = (f"({table}.search_vector @@ to_tsquery('simple', %s) "
               f"AND strpos(' ' || {table}.search_text || ' ', %s) > 0)")
        params = [_tsquery_all(toks), _phrase_pattern(toks)]
    else:
        own = f"{table}.search_vector @@ to_tsquery('simple', %s)"
        params = [_tsquery(toks)]
    parts, _no_params = _related_conditions(model, toks, related)
    return Q(RawSQL(_any_of([own, *parts]), params, output_field=models.BooleanField()))


def _postgres_related_matches(column: str, related_model: type[models.Model], toks: list[str]) -> str:
    """`column` (a foreign key) among the related records matching `toks`, or "" when none does. Fetched once and
    written as a constant: the list page's count and rows then share it, and PostgreSQL hashes a constant array
    (a bound array parameter is searched linearly)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {related_model._meta.db_table} WHERE search_vector @@ to_tsquery('simple', %s)",
                       [_tsquery(toks)])
        ids = [int(row[0]) for row in cursor.fetchall()]
    return f"{column} = ANY('{{{','.join(map(str, ids))}}}'::bigint[])" if ids else ""


def searchable_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m, "search_fields", None)]


def ensure_indexes(**kwargs: Any) -> None:
    """Create the full-text index of every searchable registry if it is missing (idempotent).

    Run after every migrate: SQLite's schema editor rebuilds a table on many column changes and
    drops its triggers with it, so the index is re-checked rather than created once by a migration.
    """
    with connection.cursor() as cursor:
        for model in searchable_models():
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                # A stored tsvector: a phrase match ("检 测") is rechecked row by row, and re-parsing each
                # row's text for that cost five times more than reading the stored vector.
                cursor.execute(
                    f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
                    f"GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
                )
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)")
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search")
                continue
            fts = f"{table}_fts"
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [f"{fts}_a%"])
            if cursor.fetchone()[0] == 3:
                continue
            for sql in (
                f"DROP TABLE IF EXISTS {fts}",
                f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', content_rowid='id', "
                f"tokenize='unicode61 remove_diacritics 0')",
                f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
                f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
                f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
                f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
                f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            ):
                cursor.execute(sql)
