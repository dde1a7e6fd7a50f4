"""Deep pages of long lists without paying for every skipped row's joins."""

from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property

# Below this offset a plain OFFSET with its joins is cheap enough.
DEEP_OFFSET = 1000
MAX_PAGE_SIZE = 500


class DeepPagingMixin(models.QuerySet):
    """Slicing far into a list (page 12,000 of the talents) first pages through the bare ids —
    the database walks only its primary-key index — and then loads that page's rows with their
    related records. A plain OFFSET would build the joined row for every skipped record."""

    def __getitem__(self, k: Any) -> Any:
        if (
            isinstance(k, slice)
            and self._result_cache is None
            and self._iterable_class is ModelIterable
            and (k.start or 0) >= DEEP_OFFSET
            and k.stop is not None
            and k.stop - k.start <= MAX_PAGE_SIZE
            and k.step is None
        ):
            ids = self._page_ids(k.start, k.stop)
            by_pk = {obj.pk: obj for obj in self.filter(pk__in=ids)}  # type: ignore[attr-defined]
            return [by_pk[pk] for pk in ids if pk in by_pk]
        return super().__getitem__(k)

    def _page_ids(self, start: int, stop: int) -> list[Any]:
        # Past the middle of an ordered list, walk from its other end: the last page is as cheap as the first.
        if self.ordered:
            total = self.count()
            if start >= total:
                return []  # past the end: an empty page (a negative slice below would raise)
            if start > total // 2:
                tail = self.reverse().values_list("pk", flat=True)[max(total - stop, 0) : total - start]
                return list(tail)[::-1]
        return list(self.values_list("pk", flat=True)[start:stop])


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP matches: a keyword search that matches 80,000 records says
    "10,000+" instead of visiting all 80,000 to count them. Only the page range shrinks."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        data = getattr(self.object_list, "data", None)  # django-tables2's rows wrap the queryset
        queryset = getattr(data, "data", None)
        if not isinstance(queryset, models.QuerySet):
            return super().count
        # No ordering and no joined columns: counting must not sort 80,000 rows first.
        found = queryset.order_by().values("pk")[: self.COUNT_CAP + 1].count()
        self.capped = found > self.COUNT_CAP
        return min(found, self.COUNT_CAP)

    capped = False
