"""Deep pages of long lists without paying for every skipped row's joins."""

import json
from typing import Any

from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property

from yiti.core.search import builds_match_list, exact_keyword_count, table_size

# Below this offset a plain OFFSET with its joins is cheap enough.
DEEP_OFFSET = 1000
MAX_PAGE_SIZE = 500
# A first page is read by walking the table in the list's order (DeepPagingMixin._walk_order) when the list holds at
# least this share of a table of at least this size and the page is expected within this many rows of the walk.
WALK_MIN_SHARE = 0.04
WALK_MIN_TABLE = 2000
WALK_MAX_ROWS = 5000
WALK_MIN_STEP = 200


class DeepPagingMixin(models.QuerySet):
    """Slicing far into a list (page 12,000 of the talents) first pages through the bare ids —
    the database walks only its primary-key index — and then loads that page's rows with their
    related records. A plain OFFSET would build the joined row for every skipped record.

    A list page's queryset (`pages_by_id()`) does the same for every page: a county officer's first
    page of results otherwise sorts the whole rows of the 80,000 results in the county (with their
    texts and joined organisations) to keep 25; sorting their ids is cheap."""

    _pages_by_id = False
    # Set by restrict() when a city-wide pool is ORed into the scope (access.PooledScope); kept by clones, and
    # valid while the query has no condition beyond restrict()'s (`only_pooled_scope()`).
    _pooled_scope: Any = None

    def pages_by_id(self) -> "DeepPagingMixin":
        clone = self._chain()  # type: ignore[attr-defined]
        clone._pages_by_id = True
        return clone

    def _clone(self) -> "DeepPagingMixin":
        clone = super()._clone()  # type: ignore[misc]
        clone._pages_by_id = self._pages_by_id
        clone._pooled_scope = self._pooled_scope
        return clone

    def only_pooled_scope(self) -> Any:
        """restrict()'s PooledScope when the query is the scope ORed with a pool and nothing else, else None."""
        pooled = self._pooled_scope
        where = self.query.where
        if pooled is None or where.negated or len(where.children) != pooled.conditions:
            return None
        return pooled

    def __getitem__(self, k: Any) -> Any:
        if (
            isinstance(k, slice)
            and self._result_cache is None
            and self._iterable_class is ModelIterable
            and ((k.start or 0) >= DEEP_OFFSET or self._pages_by_id)
            and k.stop is not None
            and k.stop - (k.start or 0) <= MAX_PAGE_SIZE
            and k.step is None
        ):
            ids = self._page_ids(k.start or 0, k.stop)
            # The rows by id alone: the list's own conditions (a keyword search) were applied to find the ids.
            rows = self.model._default_manager.filter(pk__in=ids).order_by()
            rows.query.select_related = self.query.select_related
            rows._prefetch_related_lookups = self._prefetch_related_lookups  # type: ignore[attr-defined]
            by_pk = {obj.pk: obj for obj in rows}
            return [by_pk[pk] for pk in ids if pk in by_pk]
        return super().__getitem__(k)

    def _page_ids(self, start: int, stop: int) -> list[Any]:
        if start < DEEP_OFFSET and (walked := self._walk_order(start, stop)) is not None:
            return walked
        # Past the middle of an ordered list, walk from its other end: the last page is as cheap as the first.
        if self.ordered and start >= DEEP_OFFSET and getattr(self, "_capped_count", False):
            # The page's paginator found more than COUNT_CAP rows, so the page lies before the 10,000th row: walking
            # there from this end reads at most 10,000 ids, fewer than the count below would (up to 2 × offset).
            return list(self.values_list("pk", flat=True)[start:stop])
        if self.ordered and start >= DEEP_OFFSET:
            # Count no further than needed to tell whether `start` lies past the middle: a list of 200,000 rows
            # (a county officer's results with the city-wide pool) is not counted whole for its 400th page.
            bound = 2 * start + 2
            exact = getattr(self, "_exact_count", None)  # the paginator's count of this very queryset
            total = min(exact, bound) if exact is not None else self.order_by().values("pk")[:bound].count()
            if start >= total:
                return []  # past the end: an empty page (a negative slice below would raise)
            if total < bound and start > total // 2:  # total is exact here
                tail = self.reverse().values_list("pk", flat=True)[max(total - stop, 0) : total - start]
                return list(tail)[::-1]
        return list(self.values_list("pk", flat=True)[start:stop])


    def _walk_order(self, start: int, stop: int) -> list[Any] | None:
        """A first page read by walking the table in the list's order and keeping the rows of the list, when they are
        a fair share of the table (SQLite only: it keeps no statistics, so it fetches every row of a county officer's
        scope — 7,486 needs, each matching 技术 or not — and sorts them all to keep 25, 30–60 ms, where walking the
        date index reads a few hundred). None when this does not apply; the page is then queried as usual."""
        if connection.vendor != "sqlite" or not self.ordered or self.query.distinct or self.query.combinator:
            return None
        given = list(self.query.order_by or self.model._meta.ordering or ())
        ordering = [o for o in given if isinstance(o, str)]
        if not ordering or len(ordering) != len(given):
            return None
        fields = [o.lstrip("-") for o in ordering]
        if any("__" in f or "." in f or f.startswith("?") for f in fields) or not _indexed(self.model, fields[0]):
            return None
        # The walk must be the list's exact order, ties included, read from one index: ties broken by the primary
        # key in the direction of the first column (["-published_date", "-id"]), or the primary key alone.
        pk_names = {"pk", self.model._meta.pk.name}  # type: ignore[union-attr]
        if len(fields) > 2 or fields[-1] not in pk_names or ordering[0].startswith("-") != ordering[-1].startswith("-"):
            return None
        if builds_match_list(self.query):
            return None  # each batch would build the keyword's whole list of matches again (results ?q=一种: 84 → 124 ms)
        rows = self.model._default_manager.order_by()
        if getattr(self, "_capped_count", False):
            listed = CappedPaginator.COUNT_CAP
        elif (exact := getattr(self, "_exact_count", None)) is not None:
            listed = exact
        else:
            return None
        table = table_size(self.model)
        if not listed or table < WALK_MIN_TABLE or listed < WALK_MIN_SHARE * table:
            return None
        step = max(WALK_MIN_STEP, int(stop * table / listed * 1.5))  # the rows expected to hold the page, and some
        if step > WALK_MAX_ROWS:
            return None  # a later page, or a thin list: the usual query
        walk = rows.order_by(*ordering).values_list("pk", flat=True)
        kept: list[Any] = []
        for offset in range(0, 3 * step, step):
            batch = list(walk[offset:offset + step])
            # The batch as a JSON list: SQLite then looks each id up and checks it (an IN list of a hundred ids or more
            # it checks through the scope's indexes instead: a county's 5,000 organisations × the ids, 228 ms for 400).
            ids = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(batch)])
            keep = set(self.order_by().filter(pk__in=ids).values_list("pk", flat=True))
            kept += [pk for pk in batch if pk in keep]
            if len(kept) >= stop or len(batch) < step:
                return kept[start:stop]
        return None  # the list's rows lie further down than the walk goes: the usual query


def _indexed(model: type[models.Model], name: str) -> bool:
    """Whether the database can walk `model` in the order of its column `name` (an index starts with it)."""
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    if getattr(field, "primary_key", False) or getattr(field, "db_index", False) or getattr(field, "unique", False):
        return True
    return any(index.fields and index.fields[0].lstrip("-") == name for index in model._meta.indexes)


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP matches: a keyword search that matches 80,000 records says
    "10,000+" instead of visiting all 80,000 to count them. Only the page range shrinks.
    When the full-text index alone can count the matches (search.exact_keyword_count), the count is exact."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        data = getattr(self.object_list, "data", None)  # django-tables2's rows wrap the queryset
        queryset = getattr(data, "data", None)
        if not isinstance(queryset, models.QuerySet):
            return super().count
        exact = exact_keyword_count(queryset)
        if exact is not None:
            return exact  # cheaper than the capped count below, and exact (see search.exact_keyword_count)
        pooled = queryset.only_pooled_scope() if isinstance(queryset, DeepPagingMixin) else None
        if pooled is not None and pooled.broad:
            # The list is the scope ORed with the city-wide pool: when the pool alone or the scope alone (each on its
            # index) holds more than COUNT_CAP rows, so does the list — no need to check the OR on 10,001 rows (the
            # city's 34,600 experts, a county's 27,209 talents). The pool first: the broad pools are large.
            for part in (pooled.pool, pooled.scope):
                rows = queryset.model._default_manager.filter(part).order_by().values("pk")
                if rows[: self.COUNT_CAP + 1].count() > self.COUNT_CAP:
                    self.capped = True
                    queryset._capped_count = True  # type: ignore[attr-defined]
                    return self.COUNT_CAP
        # No ordering and no joined columns: counting must not sort 80,000 rows first.
        found = queryset.order_by().values("pk")[: self.COUNT_CAP + 1].count()
        self.capped = found > self.COUNT_CAP
        # Read by DeepPagingMixin._page_ids when the page is sliced from this queryset: no second count.
        if self.capped:
            queryset._capped_count = True  # type: ignore[attr-defined]
        else:
            queryset._exact_count = found  # type: ignore[attr-defined]
        return min(found, self.COUNT_CAP)

    capped = False
