"""Saved index arrays read from their files on demand (``pread``), not memory-mapped.

A memory-mapped array is cheap to open, but every page a query touches stays mapped into the process for good:
with large page-cache folios a single row of a 512-byte-wide matrix maps up to a few hundred kilobytes around it,
and after a few hundred varied queries each web process had mapped nearly the whole 1.8 GB index (issue 14 §6,
docs/benchmarks.md). A `DiskArray` reads only the bytes asked for into a short-lived array: the file's pages stay
in the kernel's page cache — shared by every process on the machine and given back under memory pressure — and
a process holds what its current query is using.

Reads are what the index does: a contiguous slice (a term's postings, a document's terms, a stored document) is
one read call; a list of rows (the documents of the owners in a query's pool) or several runs at once (`runs`)
are gathered from a mapping of the file made for that gather and closed after it.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt


def run_positions(starts: npt.ArrayLike, counts: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """The positions ``s, s + 1, …, s + c - 1`` for each start and count, concatenated in the order given."""
    starts = np.asarray(starts, dtype=np.int64).reshape(-1)
    counts = np.asarray(counts, dtype=np.int64).reshape(-1)
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()), dtype=np.int64)


class DiskArray:
    """A read-only C-ordered array in a ``.npy`` file (or a raw byte file: ``DiskArray.raw``)."""

    def __init__(self, path: str | os.PathLike[str], *, _raw: bool = False) -> None:
        self.path = Path(path)
        if _raw:
            self.dtype = np.dtype(np.uint8)
            self.shape: tuple[int, ...] = (self.path.stat().st_size,)
            self._start = 0
        else:
            with open(self.path, "rb") as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
                else:
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
                self._start = f.tell()
            if fortran or dtype.hasobject:
                raise ValueError(f"{self.path}: 只能按需读取 C 顺序的数值数组")
            self.dtype, self.shape = np.dtype(dtype), tuple(int(s) for s in shape)
        self._raw = _raw
        self._row_items = int(np.prod(self.shape[1:], dtype=np.int64)) if len(self.shape) > 1 else 1
        self._fd = os.open(self.path, os.O_RDONLY)

    @classmethod
    def raw(cls, path: str | os.PathLike[str]) -> DiskArray:
        """The bytes of a file as a uint8 array."""
        return cls(path, _raw=True)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def __reduce__(self) -> tuple[Any, ...]:  # reopened by path (a process pool's pickled task)
        return (DiskArray, (self.path,), None) if not self._raw else (DiskArray.raw, (self.path,))

    # --- what numpy code asks of an array ------------------------------------------------------------

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def __len__(self) -> int:
        return self.shape[0]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """The whole array (saving, compacting: not the query path)."""
        out = self._read_items(0, self.size).reshape(self.shape)
        return out if dtype is None else out.astype(dtype)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return np.asarray(self)[key]
            stop = max(start, stop)
            n = self._row_items
            return self._read_items(start * n, stop * n).reshape((stop - start, *self.shape[1:]))
        if isinstance(key, int | np.integer):
            i = int(key)
            if i < 0:
                i += len(self)
            if not 0 <= i < len(self):
                raise IndexError(f"index {key} is out of bounds for axis 0 with size {len(self)}")
            row = self[i : i + 1]
            return row[0]
        rows = np.asarray(key)
        if rows.dtype == np.bool_:
            rows = np.flatnonzero(rows)
        if rows.dtype.kind not in "iu":
            raise TypeError(f"DiskArray: unsupported index {key!r}")
        rows = rows.astype(np.int64).reshape(-1)
        rows = np.where(rows < 0, rows + len(self), rows)
        if len(rows) and (int(rows.min()) < 0 or int(rows.max()) >= len(self)):
            raise IndexError(f"index out of bounds for axis 0 with size {len(self)}")
        if not len(rows):
            return np.zeros((*np.shape(key), *self.shape[1:]), dtype=self.dtype)
        shape = (*np.shape(key), *self.shape[1:])
        return self._gather(lambda flat: flat.reshape(self.shape)[rows].reshape(shape))

    # --- reading -----------------------------------------------------------------------------------------

    def runs(self, starts: npt.ArrayLike, counts: npt.ArrayLike) -> np.ndarray:
        """The items ``[s, s + c)`` of the flat array for each start and count, concatenated in the order given."""
        idx = run_positions(starts, counts)
        if not len(idx):
            return np.zeros(0, dtype=self.dtype)
        return self._gather(lambda flat: flat[idx])

    def _gather(self, take: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """``take(the whole flat array)`` on a mapping of the file made for this gather and closed after it (``take``
        returns a copy: numpy's fancy indexing). Scattered rows are read this way: a few thousand rows of the
        finder's matrices in 0.6 ms, where a read call per row took 4 ms — and nothing stays mapped."""
        need = self._start + self.size * self.dtype.itemsize
        if os.fstat(self._fd).st_size < need:
            raise OSError(f"{self.path}: 文件比索引记录的短（应有 {need} 字节），请重建索引")
        mapping = mmap.mmap(self._fd, 0, prot=mmap.PROT_READ)
        try:
            return take(np.frombuffer(mapping, dtype=self.dtype, count=self.size, offset=self._start))
        finally:
            try:
                mapping.close()
            except BufferError:  # a view is still held by an exception's traceback: unmapped when it is freed
                pass

    def _read_items(self, start: int, stop: int) -> np.ndarray:
        out = np.empty(max(0, stop - start), dtype=self.dtype)
        if len(out):
            self._pread_into(out, start)
        return out

    def _pread_into(self, out: np.ndarray, start_item: int) -> None:
        view = memoryview(out).cast("B")  # type: ignore[arg-type]  # an ndarray is a buffer
        offset = self._start + start_item * self.dtype.itemsize
        done = 0
        while done < len(view):
            got = os.preadv(self._fd, [view[done:]], offset + done)
            if got <= 0:
                raise OSError(f"{self.path}: 文件在读取时变短（{offset + done} 字节处）")
            done += got
