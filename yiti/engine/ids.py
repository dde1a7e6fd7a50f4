"""Strings by row, and each live string's row, in a few arrays instead of a list and a dict: an index's document
ids ("need:123") and the values of its metadata fields (the 300,000 owners, the 54,000 organisations).

As a Python list and dict that is about 130 bytes a string — 85 MB for the platform's 646,140 document ids, 60 MB
more for the experts' 500,000, and as much again for the owners and organisations of both indexes, in every web
process. Here the strings are one UTF-8 byte string with offsets, and the lookup is a sorted array of their hashes
with their rows (about 35 bytes a string); a lookup is a binary search and one comparison.

Strings added later (edits between rebuilds) go to a small list and dict beside it; a forgotten string (a deleted
document) no longer has a row but its row still reads it, as the index's deleted rows stay until it is compacted.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

SEP = "\0"  # ids never hold it (a document id is a short key; the index's files separate them by lines)


def _hashes(ids: Sequence[str]) -> np.ndarray:
    return np.fromiter((hash(i) for i in ids), dtype=np.int64, count=len(ids))


class Keys:
    def __init__(self, ids: Sequence[str] = ()) -> None:
        ids = list(ids)
        text = SEP.join(ids) + SEP if ids else ""
        blob = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        ends = np.flatnonzero(blob == 0)
        if len(ends) != len(ids):
            raise ValueError("索引的编号和取值不能含有 NUL 字符")
        self._blob = blob
        self._offsets = np.zeros(len(ids) + 1, dtype=np.int64)
        self._offsets[1:] = ends + 1
        self._n_base = len(ids)
        self._index_base(ids)
        self._tail: list[str] = []
        self._tail_row: dict[str, int] = {}
        self._forgotten: set[int] = set()

    def _index_base(self, ids: Sequence[str]) -> None:
        # str hashes are salted per process: computed where they are used, never stored or pickled.
        hashes = _hashes(ids)
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._rows = hashes[order], order.astype(np.int64)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_hashes"], state["_rows"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._index_base([self._base(r) for r in range(self._n_base)])

    # --- by row ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n_base + len(self._tail)

    def _base(self, row: int) -> str:
        return bytes(self._blob[self._offsets[row] : self._offsets[row + 1] - 1]).decode("utf-8")

    def __getitem__(self, row: int) -> str:
        row = int(row)
        if row < 0:
            row += len(self)
        if 0 <= row < self._n_base:
            return self._base(row)
        return self._tail[row - self._n_base]

    def __iter__(self) -> Iterator[str]:
        if self._n_base:
            yield from bytes(self._blob[:-1]).decode("utf-8").split(SEP)
        yield from self._tail

    def take(self, rows: Iterable[int]) -> "Keys":
        """The ids of `rows`, in that order, as a new table (compacting an index)."""
        return Keys([self[r] for r in rows])

    # --- by id ----------------------------------------------------------------------------------

    def row(self, doc_id: str) -> int | None:
        """The row of a live id, None for an unknown or forgotten one."""
        found = self._tail_row.get(doc_id)
        if found is not None:
            return found
        h = hash(doc_id)
        i = int(np.searchsorted(self._hashes, h))
        while i < len(self._hashes) and self._hashes[i] == h:
            r = int(self._rows[i])
            if r not in self._forgotten and self._base(r) == doc_id:
                return r
            i += 1
        return None

    def rows_of(self, ids: Sequence[str]) -> np.ndarray:
        """The rows of several live ids (KeyError for one that has none)."""
        out = np.empty(len(ids), dtype=np.int64)
        at = np.minimum(np.searchsorted(self._hashes, _hashes(ids)), max(len(self._hashes) - 1, 0))
        for k, doc_id in enumerate(ids):
            # the first candidate is the row almost always; row() handles the rest (tail, collisions, forgotten)
            r = int(self._rows[at[k]]) if len(self._rows) else -1
            if r < 0 or doc_id in self._tail_row or r in self._forgotten or self._base(r) != doc_id:
                found = self.row(doc_id)
                if found is None:
                    raise KeyError(doc_id)
                r = found
            out[k] = r
        return out

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.row(doc_id) is not None

    def extend(self, ids: Iterable[str]) -> None:
        """Append new ids (the caller checked they are not live already)."""
        for doc_id in ids:
            self._tail_row[doc_id] = len(self)
            self._tail.append(doc_id)

    def forget(self, doc_id: str) -> int | None:
        """The id no longer has a row (its row still reads it); returns that row, None for an unknown id."""
        r = self.row(doc_id)
        if r is None:
            return None
        if r >= self._n_base:
            del self._tail_row[doc_id]
        else:
            self._forgotten.add(r)
        return r
