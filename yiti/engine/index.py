"""Inverted index with BM25F-style field weights, metadata filters and incremental updates.

Layout (rows are internal document numbers, terms are integer ids):
  * a *base* segment built in one go: term-major postings (indptr/docs/tf, used to score) and
    doc-major postings (used to delete, compact and explain), saved as .npy and, once loaded, read from
    their files as queries need them (disk.DiskArray);
  * a *delta* of documents added since, kept in memory and merged by :meth:`Index.compact`;
  * deleted rows stay in the postings but are masked out, and leave the statistics at once.

BM25 weights are computed at query time from raw term frequencies and *live* statistics
(N, df, average length), not precomputed at build time: that is what makes an index updated
incrementally score exactly like one rebuilt from scratch.  The formula is Lucene's
(idf = ln(1 + (N - df + .5)/(df + .5)), tf / (tf + k1(1 - b + b·dl/avgdl))), the one bm25s
uses by default, so the plain configuration reproduces bm25s's scores.
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .disk import DiskArray, run_positions
from .ids import Keys
from .text import Analyser, learn_user_words

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
ChunkPostings = tuple[list[str], I64, I32, F32, F32]

TEXT_FIELDS = ("title", "text", "keywords")  # also the order of a document's terms
META_FIELDS = ("discipline", "industry", "division", "organisation", "owner", "type")
FILTER_FIELDS = (*META_FIELDS, "year")
FORMAT_VERSION = 1


class FilterError(ValueError):
    """A filter names a field the index does not have, or has a malformed value."""


@dataclass(frozen=True)
class Document:
    """One searchable record.  ``id`` is stable (e.g. ``"need:42"``); ``owner`` groups
    documents into entities (a person, an organisation) for :meth:`Index.rank_owners`."""

    id: str
    title: str = ""
    text: str = ""
    keywords: tuple[str, ...] = ()
    discipline: str | None = None
    industry: str | None = None
    division: str | None = None
    organisation: str | None = None
    owner: str | None = None
    type: str | None = None
    year: int | None = None

    def to_json(self) -> dict[str, Any]:
        # the fields by hand, not dataclasses.asdict (which deep-copies): saving writes every document
        d = {name: getattr(self, name) for name in DOCUMENT_FIELDS}
        d["keywords"] = list(self.keywords)
        return {k: v for k, v in d.items() if v not in (None, "", [])}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Document:
        kws = d.get("keywords") or ()
        if isinstance(kws, str):
            kws = tuple(k for k in kws.replace("；", ";").replace("，", ",").replace(",", ";").split(";") if k)
        year = d.get("year")
        return cls(
            id=str(d["id"]),
            title=str(d.get("title") or ""),
            text=str(d.get("text") or ""),
            keywords=tuple(str(k) for k in kws),
            **{f: (str(d[f]) if d.get(f) not in (None, "") else None) for f in META_FIELDS},
            year=_year(year),
        )


DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))


def _year(value: object) -> int | None:
    try:
        y = int(str(value).strip()) if value not in (None, "") else 0
    except ValueError:
        return None
    return y if 1000 <= y <= 3000 else None


@dataclass(frozen=True)
class BM25Params:
    """``field_weights`` multiply term frequencies and lengths per field (BM25F-style).
    All weights 1 = plain BM25 over the concatenated fields."""

    k1: float = 1.5
    b: float = 0.75
    field_weights: Mapping[str, float] = field(
        default_factory=lambda: {"title": 2.0, "text": 1.0, "keywords": 2.0}
    )


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    """``hits`` best first; ``reason`` says why there are none (shown to the user, Chinese)."""

    hits: list[Hit]
    reason: str | None = None


@dataclass(frozen=True)
class EntityHit:
    owner: str
    score: float
    docs: list[Hit]


# --- analysis of documents (also run in worker processes) -------------------------------------

_WORKER_ANALYSER: Analyser | None = None
_WORKER_WEIGHTS: dict[str, float] = {}
_WORKER_DOCS: Sequence[Document] = ()


def _field_text(doc: Document, name: str) -> str:
    return " ; ".join(doc.keywords) if name == "keywords" else str(getattr(doc, name))


def _doc_field_texts(doc: Document) -> dict[str, str]:
    return {name: _field_text(doc, name) for name in TEXT_FIELDS}


def analyse_document(
    analyser: Analyser, weights: Mapping[str, float], doc: Document
) -> tuple[dict[str, float], float]:
    """Weighted term frequencies and weighted length of one document."""
    tf: dict[str, float] = {}
    length = 0.0
    for name, text in _doc_field_texts(doc).items():
        w = float(weights.get(name, 0.0))
        if w <= 0.0 or not text:
            continue
        terms = analyser.analyse(text)
        length += w * len(terms)
        for t in terms:
            tf[t] = tf.get(t, 0.0) + w
    return tf, length


def _analyse_chunk(docs: Sequence[Document]) -> ChunkPostings:
    """Doc-major postings of a chunk with a chunk-local vocabulary (merged by the caller).

    The same as running :func:`analyse_document` on each document (terms numbered in order of
    first appearance, a document's terms in the order they first occur in it), but the text of
    each field is analysed for the whole chunk at once and the counting is done with numpy."""
    assert _WORKER_ANALYSER is not None
    n = len(docs)
    fields: list[tuple[float, list[list[str]]]] = []
    for name in TEXT_FIELDS:
        w = float(_WORKER_WEIGHTS.get(name, 0.0))
        texts = [_field_text(d, name) for d in docs] if w > 0.0 else []
        if any(texts):
            fields.append((w, _WORKER_ANALYSER.analyse_many(texts)))
    flat: list[str] = []
    weights: list[float] = []
    per_doc = np.zeros(n, dtype=np.int64)
    lengths = np.zeros(n, dtype=np.float32)
    for i in range(n):
        length = 0.0
        start = len(flat)
        for w, terms_of in fields:
            terms = terms_of[i]
            if terms:
                length += w * len(terms)
                flat.extend(terms)
                weights.extend([w] * len(terms))
        lengths[i] = length
        per_doc[i] = len(flat) - start
    vocab = {t: i for i, t in enumerate(dict.fromkeys(flat))}  # numbered by first appearance
    tids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    doc = np.repeat(np.arange(n, dtype=np.int64), per_doc)
    key = doc * max(1, len(vocab)) + tids
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    tf = np.bincount(inverse.reshape(-1), weights=np.asarray(weights, dtype=np.float64), minlength=len(uniq))
    order = np.argsort(first, kind="stable")  # first occurrence: document order, then term order
    terms = (uniq[order] % max(1, len(vocab))).astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(uniq // max(1, len(vocab)), minlength=n), out=indptr[1:])
    return list(vocab), indptr, terms, tf[order].astype(np.float32), lengths


def _analyse_range(bounds: tuple[int, int]) -> ChunkPostings:
    # forked workers read the documents inherited from the parent: nothing is pickled to them
    return _analyse_chunk(_WORKER_DOCS[bounds[0] : bounds[1]])


def _ranges(n: int, size: int) -> Iterator[tuple[int, int]]:
    for i in range(0, n, size):
        yield i, min(n, i + size)


class Index:
    """Build with :meth:`build`, query with :meth:`search` / :meth:`rank_owners`,
    change with :meth:`add` / :meth:`update` / :meth:`delete` / :meth:`compact`, persist with
    :meth:`save` / :meth:`load`.  Rows, term ids and raw scores (for the expert finder and
    explanations) are behind :attr:`reader`."""

    def __init__(self, analyser: Analyser | None = None, params: BM25Params | None = None) -> None:
        self.analyser = analyser or Analyser()
        self.params = params or BM25Params()
        self._terms: list[str] = []
        self._vocab: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.int64)
        # base segment
        self._t_indptr: I64 = np.zeros(1, dtype=np.int64)
        self._t_docs: I32 = np.zeros(0, dtype=np.int32)
        self._t_tf: F32 = np.zeros(0, dtype=np.float32)
        self._d_indptr: I64 = np.zeros(1, dtype=np.int64)
        self._d_terms: I32 = np.zeros(0, dtype=np.int32)
        self._d_tf: F32 = np.zeros(0, dtype=np.float32)
        self._n_base = 0
        # delta segment: doc-major postings of rows n_base.. (term-major built lazily)
        self._delta: list[tuple[I32, F32]] = []
        self._delta_csc: tuple[I64, I32, F32] | None = None
        # per row
        self._ids = Keys()  # id by row, and the row of each live id
        self._len: F32 = np.zeros(0, dtype=np.float32)
        self._alive: Mask = np.zeros(0, dtype=np.bool_)
        self._year: I32 = np.zeros(0, dtype=np.int32)
        self._meta: dict[str, I32] = {f: np.zeros(0, dtype=np.int32) for f in META_FIELDS}
        self._meta_values: dict[str, Keys] = {f: Keys() for f in META_FIELDS}  # by code, and the code of each
        self._docs: dict[int, Document] = {}
        self._store: tuple[npt.NDArray[np.uint8] | DiskArray, I64 | DiskArray] | None = None
        self._n_live = 0
        self._total_len = 0.0
        self._norm_cache: F32 | None = None

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        docs: Iterable[Document],
        analyser: Analyser | None = None,
        params: BM25Params | None = None,
        workers: int = 1,
        learn_keywords: bool = True,
    ) -> Index:
        """Index ``docs`` in one pass.  With ``learn_keywords`` the analyser's jieba dictionary
        is extended by keywords that occur at least twice in the documents."""
        docs = list(docs)
        if analyser is None:
            user = learn_user_words(d.keywords for d in docs) if learn_keywords else []
            analyser = Analyser(user_words=user)
        index = cls(analyser, params)
        index._append(docs, workers=workers)
        return index

    @contextmanager
    def _analysis(self, docs: Sequence[Document], workers: int) -> Iterator[Iterator[ChunkPostings]]:
        """Chunk postings in document order, computed in forked workers while the caller goes on
        (the parent does the metadata meanwhile)."""
        global _WORKER_ANALYSER, _WORKER_WEIGHTS, _WORKER_DOCS
        _WORKER_ANALYSER = self.analyser
        _WORKER_WEIGHTS = dict(self.params.field_weights)
        # load jieba and build the segmentation arrays before forking, once for all workers
        self.analyser.segmenter.prepare()
        size = max(1000, min(50_000, len(docs) // max(1, workers * 4) + 1))
        if workers > 1 and len(docs) > 20_000 and "fork" in mp.get_all_start_methods():
            _WORKER_DOCS = docs
            # Objects that exist at the fork stay out of the workers' garbage collections, so
            # those do not walk (and copy) the parent's whole heap.
            gc.freeze()
            try:
                with mp.get_context("fork").Pool(workers) as pool:
                    yield pool.imap(_analyse_range, _ranges(len(docs), size))
            finally:
                gc.unfreeze()
                _WORKER_DOCS = ()
        else:
            yield (_analyse_chunk(docs[a:b]) for a, b in _ranges(len(docs), size))

    def _term_ids(self, terms: Iterable[str]) -> I32:
        vocab = self._vocab
        ids = [vocab.setdefault(t, len(vocab)) for t in terms]
        if len(vocab) > len(self._terms):
            self._terms.extend(list(vocab)[len(self._terms) :])
        return np.asarray(ids, dtype=np.int32)

    def _append(self, docs: Sequence[Document], workers: int = 1) -> None:
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids) or (len(self._ids) and any(doc_id in self._ids for doc_id in ids)):
            seen: set[str] = set()
            for doc_id in ids:
                if doc_id in self._ids or doc_id in seen:
                    raise ValueError(f"文档编号重复: {doc_id}")
                seen.add(doc_id)
        if not docs:
            return
        start = len(self._ids)
        lengths: list[F32] = []
        indptrs: list[I64] = []
        all_terms: list[I32] = []
        all_tfs: list[F32] = []
        with self._analysis(docs, workers) as chunks:
            years = np.fromiter((d.year or 0 for d in docs), dtype=np.int32, count=len(docs))
            meta = {f: self._new_codes(f, docs) for f in META_FIELDS}
            for vocab, indptr, terms, tfs, lens in chunks:
                remap = self._term_ids(vocab)
                all_terms.append(remap[terms] if len(terms) else terms)
                all_tfs.append(tfs)
                indptrs.append(indptr)
                lengths.append(lens)
        new_len = np.concatenate(lengths).astype(np.float32)
        new_terms = np.concatenate(all_terms).astype(np.int32)
        new_tfs = np.concatenate(all_tfs).astype(np.float32)
        offsets = np.cumsum([0] + [int(p[-1]) for p in indptrs[:-1]])
        new_indptr = np.concatenate([np.zeros(1, np.int64)] + [p[1:] + o for p, o in zip(indptrs, offsets, strict=True)])
        if len(self._df) < len(self._terms):
            self._df = np.concatenate([self._df, np.zeros(len(self._terms) - len(self._df), dtype=np.int64)])
        self._df += np.bincount(new_terms, minlength=len(self._df)).astype(np.int64)
        if start == 0:
            # First batch: it becomes the base segment directly (the fast build path).
            self._d_indptr, self._d_terms, self._d_tf = new_indptr.astype(np.int64), new_terms, new_tfs
            self._n_base = len(docs)
            self._build_term_major()
        else:
            for i in range(len(docs)):
                a, b = int(new_indptr[i]), int(new_indptr[i + 1])
                self._delta.append((new_terms[a:b], new_tfs[a:b]))
        n = len(docs)
        if start == 0:
            self._ids = Keys(ids)
        else:
            self._ids.extend(ids)
        self._docs.update(zip(range(start, start + n), docs, strict=True))
        self._len = np.concatenate([self._len, new_len])
        self._alive = np.concatenate([self._alive, np.ones(n, dtype=np.bool_)])
        self._year = np.concatenate([self._year, years])
        for f, codes in meta.items():
            self._meta[f] = np.concatenate([self._meta[f], codes])
        self._n_live += n
        self._total_len += float(new_len.sum(dtype=np.float64))
        self._delta_csc = None
        self._norm_cache = None

    def _new_codes(self, fname: str, docs: Sequence[Document]) -> I32:
        """Codes of ``docs``' values of a metadata field (-1 for none); values not seen before are added to the
        field's table, numbered in order of first appearance (a value no row keeps, should the caller fail, is
        harmless)."""
        values_of = list(map(attrgetter(fname), docs))
        table = self._meta_values[fname]
        uniq = [v for v in dict.fromkeys(values_of) if v is not None]
        table.extend([v for v in uniq if v not in table])
        lookup: dict[str | None, int] = {None: -1}
        lookup.update(zip(uniq, table.rows_of(uniq).tolist(), strict=True))
        return np.fromiter(map(lookup.__getitem__, values_of), dtype=np.int32, count=len(values_of))

    # --- changes ----------------------------------------------------------------------------

    def add(self, docs: Iterable[Document]) -> None:
        """Add new documents (ids must be new); they are searchable at once."""
        self._append(list(docs))

    def update(self, docs: Iterable[Document]) -> None:
        """Insert or replace documents by id."""
        docs = list(docs)
        self.delete([d.id for d in docs if d.id in self._ids])
        self._append(docs)

    def delete(self, ids: Iterable[str]) -> int:
        """Delete documents by id (unknown ids are ignored); returns how many were deleted."""
        n = 0
        if not self._alive.flags.writeable:
            self._alive = np.array(self._alive, dtype=np.bool_)
        for doc_id in ids:
            row = self._ids.forget(doc_id)
            if row is None:
                continue
            terms, _ = self._doc_postings(row)
            self._df[terms] -= 1
            self._alive[row] = False
            self._n_live -= 1
            self._total_len -= float(self._len[row])
            self._docs.pop(row, None)
            n += 1
        if n:
            self._norm_cache = None
        return n

    def _doc_postings(self, row: int) -> tuple[I32, F32]:
        if row >= self._n_base:
            return self._delta[row - self._n_base]
        a, b = self._d_indptr[row : row + 2].tolist()
        return self._d_terms[a:b], self._d_tf[a:b]

    def _rows_terms(self, rows: I64) -> tuple[I64, I32]:
        """The forward postings of several rows at once: (position in ``rows``, term id) pairs."""
        pos, terms, _ = self._rows_postings(rows, with_tf=False)
        return pos, terms

    def _rows_postings(self, rows: I64, with_tf: bool = True) -> tuple[I64, I32, F32]:
        """(position in ``rows``, term id, weighted frequency) of several rows at once; the base rows'
        postings first (in ``rows`` order, each row's terms in its own order), then the delta rows'."""
        rows = np.asarray(rows, dtype=np.int64)
        base = rows < self._n_base
        starts = np.asarray(self._d_indptr[rows[base]], dtype=np.int64)
        counts = np.asarray(self._d_indptr[rows[base] + 1], dtype=np.int64) - starts
        pos = [np.repeat(np.flatnonzero(base), counts)]
        terms = [_runs(self._d_terms, starts, counts).astype(np.int32)]
        tfs = [_runs(self._d_tf, starts, counts).astype(np.float32) if with_tf else np.zeros(0, np.float32)]
        for p in np.flatnonzero(~base).tolist():
            t, f = self._delta[int(rows[p]) - self._n_base]
            pos.append(np.full(len(t), p, dtype=np.int64))
            terms.append(np.asarray(t, dtype=np.int32))
            if with_tf:
                tfs.append(np.asarray(f, dtype=np.float32))
        return np.concatenate(pos).astype(np.int64), np.concatenate(terms), np.concatenate(tfs)

    def subset(self, ids: Sequence[str]) -> Index:
        """A new index of some of this index's documents (``ids``, in that order): the same index as
        ``Index.build(those documents, analyser=self.analyser, params=self.params)`` — terms numbered by
        first appearance, the same frequencies and lengths —, made from this index's postings instead of
        analysing the texts again."""
        if len(set(ids)) != len(ids):
            raise ValueError("文档编号重复")
        rows = self._ids.rows_of(list(ids))
        docs = [self._get_row(int(r)) for r in rows.tolist()]
        out = Index(self.analyser, self.params)
        if not docs:
            return out
        pos, terms, tfs = self._rows_postings(rows)
        if not bool(np.all(rows < self._n_base)):  # delta rows came last: back into ``rows`` order
            order = np.argsort(pos, kind="stable")
            pos, terms, tfs = pos[order], terms[order], tfs[order]
        # new term ids in order of first appearance, as the analysis of these documents would number them
        old, first = np.unique(terms, return_index=True)
        old = old[np.argsort(first, kind="stable")]
        renumber = np.zeros(len(self._terms), dtype=np.int32)
        renumber[old] = np.arange(len(old), dtype=np.int32)
        out._terms = [self._terms[int(t)] for t in old.tolist()]
        out._vocab = {t: i for i, t in enumerate(out._terms)}
        out._d_terms = renumber[terms]
        out._d_tf = tfs
        out._d_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(pos, minlength=len(rows)), out=out._d_indptr[1:])
        out._df = np.bincount(out._d_terms, minlength=len(old)).astype(np.int64)
        out._n_base = out._n_live = len(rows)
        out._build_term_major()
        out._ids = Keys(ids)
        out._docs = dict(enumerate(docs))
        out._len = np.asarray(self._len[rows], dtype=np.float32)
        out._alive = np.ones(len(rows), dtype=np.bool_)
        out._year = np.fromiter((d.year or 0 for d in docs), dtype=np.int32, count=len(docs))
        for f in META_FIELDS:
            out._meta[f] = out._new_codes(f, docs)
        out._total_len = float(out._len.sum(dtype=np.float64))
        return out

    def compact(self) -> None:
        """Merge the delta into the base and drop deleted rows (a rebuild without re-analysis)."""
        keep = np.flatnonzero(self._alive).astype(np.int64)
        base_keep = keep[keep < self._n_base]
        counts = np.diff(self._d_indptr)
        nnz_mask = np.repeat(self._alive[: self._n_base], counts)
        parts_t = [np.asarray(self._d_terms)[nnz_mask]]
        parts_f = [np.asarray(self._d_tf)[nnz_mask]]
        lens = [counts[base_keep]]
        for row in keep[keep >= self._n_base]:
            t, f = self._delta[int(row) - self._n_base]
            parts_t.append(t)
            parts_f.append(f)
            lens.append(np.asarray([len(t)], dtype=np.int64))
        d_terms = np.concatenate(parts_t).astype(np.int32)
        d_tf = np.concatenate(parts_f).astype(np.float32)
        d_indptr = np.zeros(len(keep) + 1, dtype=np.int64)
        np.cumsum(np.concatenate(lens), out=d_indptr[1:])
        n_terms = len(self._terms)
        stored = {int(r): self._get_row(int(r)) for r in keep} if self._store is not None else None
        old_docs = self._docs
        self._d_indptr, self._d_terms, self._d_tf = d_indptr, d_terms, d_tf
        self._n_base = len(keep)
        self._build_term_major()
        self._delta = []
        self._delta_csc = None
        self._ids = self._ids.take(keep.tolist())
        self._len = np.asarray(self._len[keep], dtype=np.float32)
        self._alive = np.ones(len(keep), dtype=np.bool_)
        self._year = np.asarray(self._year[keep], dtype=np.int32)
        self._meta = {f: np.asarray(a[keep], dtype=np.int32) for f, a in self._meta.items()}
        if stored is not None:
            self._docs = {i: stored[int(r)] for i, r in enumerate(keep)}
            self._store = None
        else:
            self._docs = {i: old_docs[int(r)] for i, r in enumerate(keep)}
        self._df = np.bincount(d_terms, minlength=n_terms).astype(np.int64)
        self._norm_cache = None

    def _build_term_major(self) -> None:
        mat = sp.csr_matrix(
            (self._d_tf, self._d_terms, self._d_indptr), shape=(self._n_base, len(self._terms))
        ).tocsc()
        self._t_indptr = mat.indptr.astype(np.int64)
        self._t_docs = mat.indices.astype(np.int32)
        self._t_tf = mat.data.astype(np.float32)

    # --- persistence ------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to a folder (compacting first).  Arrays are .npy, loadable with mmap."""
        if self._delta or not bool(np.all(self._alive)):
            self.compact()
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, npt.NDArray[Any]] = {
            "t_indptr": self._t_indptr, "t_docs": self._t_docs, "t_tf": self._t_tf,
            "d_indptr": self._d_indptr, "d_terms": self._d_terms, "d_tf": self._d_tf,
            "len": self._len, "year": self._year, "df": self._df,
        }
        arrays.update({f"meta_{f}": a for f, a in self._meta.items()})
        for name, arr in arrays.items():
            np.save(out / f"{name}.npy", np.ascontiguousarray(arr))
        blobs = [json.dumps(self._get_row(i).to_json(), ensure_ascii=False).encode() for i in range(self._n_base)]
        offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in blobs], out=offsets[1:])
        (out / "store.bin").write_bytes(b"".join(blobs))
        np.save(out / "store_offsets.npy", offsets)
        (out / "vocab.txt").write_text("\n".join(self._terms), encoding="utf-8")
        (out / "ids.txt").write_text("\n".join(self._ids), encoding="utf-8")
        meta = {
            "format": FORMAT_VERSION,
            "k1": self.params.k1, "b": self.params.b, "field_weights": dict(self.params.field_weights),
            "user_words": self.analyser.user_words, "stopwords": sorted(self.analyser.stopwords),
            "bigrams": self.analyser.bigrams, "words": self.analyser.words,
            "meta_values": {f: list(values) for f, values in self._meta_values.items()}, "n": self._n_base, "total_len": self._total_len,
        }
        (out / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str], on_disk: bool = True) -> Index:
        """Load a saved index; with ``on_disk`` the postings and stored documents stay in their files and are read
        as queries need them (`DiskArray`), else they are read into memory."""
        src = Path(path)
        meta = json.loads((src / "index.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"索引格式版本不兼容: {meta.get('format')}")
        analyser = Analyser(meta["user_words"], meta["stopwords"], meta["bigrams"], meta["words"])
        index = cls(analyser, BM25Params(meta["k1"], meta["b"], meta["field_weights"]))

        def arr(name: str) -> Any:
            return DiskArray(src / f"{name}.npy") if on_disk else np.load(src / f"{name}.npy")

        # The offsets in memory (8 bytes a term and a document): every query reads its terms', and a filtered query
        # sums the lengths of every row its filter keeps — gathered from the file, half the index, 100 ms.
        index._t_indptr, index._t_docs, index._t_tf = np.load(src / "t_indptr.npy"), arr("t_docs"), arr("t_tf")
        index._d_indptr, index._d_terms, index._d_tf = np.load(src / "d_indptr.npy"), arr("d_terms"), arr("d_tf")
        index._len = np.load(src / "len.npy").astype(np.float32)
        index._year = np.load(src / "year.npy").astype(np.int32)
        index._df = np.load(src / "df.npy").astype(np.int64)
        index._meta = {f: np.load(src / f"meta_{f}.npy").astype(np.int32) for f in META_FIELDS}
        index._meta_values = {f: Keys(v) for f, v in meta["meta_values"].items()}
        terms_text = (src / "vocab.txt").read_text(encoding="utf-8")
        index._terms = terms_text.split("\n") if terms_text else []
        index._vocab = {t: i for i, t in enumerate(index._terms)}
        ids_text = (src / "ids.txt").read_text(encoding="utf-8")
        index._ids = Keys(ids_text.split("\n") if ids_text else [])
        n = int(meta["n"])
        index._n_base = index._n_live = n
        index._alive = np.ones(n, dtype=np.bool_)
        index._total_len = float(meta["total_len"])
        if not (src / "store.bin").stat().st_size:
            index._store = (np.zeros(0, np.uint8), np.load(src / "store_offsets.npy"))
        elif on_disk:
            index._store = (DiskArray.raw(src / "store.bin"), DiskArray(src / "store_offsets.npy"))
        else:
            index._store = (np.fromfile(src / "store.bin", dtype=np.uint8), np.load(src / "store_offsets.npy"))
        return index

    # --- access -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n_live

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._ids

    def get(self, doc_id: str) -> Document:
        """The stored document ``doc_id`` (KeyError if there is none)."""
        row = self._ids.row(doc_id)
        if row is None:
            raise KeyError(doc_id)
        return self._get_row(row)

    @property
    def reader(self) -> IndexReader:
        """Rows, terms, statistics and raw scores for :class:`ExpertFinder` and :func:`explain`."""
        return IndexReader(self)

    def _get_row(self, row: int) -> Document:
        doc = self._docs.get(row)
        if doc is not None:
            return doc
        if self._store is None or row >= self._n_base:
            raise KeyError(row)
        blob, off = self._store
        a, b = off[row : row + 2].tolist()
        return Document.from_json(json.loads(bytes(blob[a:b]).decode("utf-8")))

    # --- scoring ----------------------------------------------------------------------------

    def _idf(self, tids: npt.ArrayLike) -> npt.NDArray[np.float64]:
        df = self._df[np.asarray(tids, dtype=np.int64)].astype(np.float64)
        n = float(self._n_live)
        out = np.log1p((n - df + 0.5) / (df + 0.5))
        return np.where(df > 0, out, 0.0)

    def _norm(self) -> F32:
        if self._norm_cache is None:
            avg = self._total_len / self._n_live if self._n_live else 1.0
            k1, b = self.params.k1, self.params.b
            self._norm_cache = (k1 * ((1.0 - b) + b * self._len / np.float32(max(avg, 1e-9)))).astype(np.float32)
        return self._norm_cache

    def _delta_postings(self) -> tuple[I64, I32, F32]:
        if self._delta_csc is None:
            n = len(self._delta)
            if n:
                indptr = np.zeros(n + 1, dtype=np.int64)
                np.cumsum([len(t) for t, _ in self._delta], out=indptr[1:])
                terms = np.concatenate([t for t, _ in self._delta]).astype(np.int32)
                tfs = np.concatenate([f for _, f in self._delta]).astype(np.float32)
                mat = sp.csr_matrix((tfs, terms, indptr), shape=(n, len(self._terms))).tocsc()
                self._delta_csc = (mat.indptr.astype(np.int64), mat.indices.astype(np.int32), mat.data.astype(np.float32))
            else:
                self._delta_csc = (np.zeros(len(self._terms) + 1, dtype=np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
        return self._delta_csc

    def _query_terms(self, query: str) -> tuple[I32, F32]:
        ids = [self._vocab[t] for t in self.analyser.analyse(query) if t in self._vocab]
        if not ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        uniq, counts = np.unique(np.asarray(ids, dtype=np.int32), return_counts=True)
        return uniq.astype(np.int32), counts.astype(np.float32)

    def _score_terms(self, tids: I32, qtf: npt.ArrayLike) -> F32:
        scores = np.zeros(len(self._ids), dtype=np.float32)
        if len(tids) == 0:
            return scores
        norm = self._norm()
        weights = (self._idf(tids) * np.asarray(qtf, dtype=np.float64)).astype(np.float32)
        segments = self._segments()
        for t, w in zip(tids.tolist(), weights.tolist(), strict=True):
            if w == 0.0:
                continue
            for indptr, docs, tfs, offset in segments:
                if t + 1 >= len(indptr):
                    continue
                a, b = int(indptr[t]), int(indptr[t + 1])
                if a == b:
                    continue
                rows = docs[a:b]
                if offset:
                    rows = rows + np.int32(offset)
                tf = tfs[a:b]
                scores[rows] += np.float32(w) * tf / (tf + norm[rows])
        if self._n_live < len(self._ids):
            scores[~self._alive] = 0.0
        return scores

    def _score_rows(self, tids: I32, qtf: npt.ArrayLike, rows: I64) -> F32:
        """``_score_terms(tids, qtf)[rows]`` — the same floats, added term by term in the same order — from the
        rows' own (doc-major) postings: for a filter that leaves a few rows (an expert's results), instead of
        every posting of the query's terms."""
        out = np.zeros(len(rows), dtype=np.float32)
        if len(tids) == 0 or len(rows) == 0:
            return out
        weights = (self._idf(tids) * np.asarray(qtf, dtype=np.float64)).astype(np.float32)
        pos, terms, tfs = self._rows_postings(rows)
        order = np.argsort(tids, kind="stable")
        sorted_tids = tids[order]
        at = np.minimum(np.searchsorted(sorted_tids, terms), len(tids) - 1)
        hit = sorted_tids[at] == terms
        j, pos, tfs = order[at[hit]], pos[hit], tfs[hit]
        row_norm = self._norm()[rows[pos]]
        for k, w in enumerate(weights.tolist()):
            if w == 0.0:
                continue
            sel = np.flatnonzero(j == k)
            if len(sel):
                tf = tfs[sel]
                out[pos[sel]] += np.float32(w) * tf / (tf + row_norm[sel])
        if self._n_live < len(self._ids):
            out[~self._alive[rows]] = 0.0
        return out

    def _score_filtered(self, tids: I32, qtf: npt.ArrayLike, mask: Mask | None) -> F32:
        """Scores for ``_top_rows(…, mask)``: those of the rows the mask keeps are exact; the others may be 0.
        The rows' own postings when they are fewer than the query terms' posting lists, else every posting."""
        if mask is not None:
            rows = np.flatnonzero(mask)
            base = rows[rows < self._n_base]
            own = int((self._d_indptr[base + 1] - self._d_indptr[base]).sum()) + 16 * (len(rows) - len(base))
            t = np.asarray(tids, dtype=np.int64)
            t = t[t + 1 < len(self._t_indptr)]
            postings = int((self._t_indptr[t + 1] - self._t_indptr[t]).sum())
            if 2 * own < postings:
                scores = np.zeros(len(self._ids), dtype=np.float32)
                scores[rows] = self._score_rows(tids, qtf, rows)
                return scores
        return self._score_terms(tids, qtf)

    def _postings(self, tid: int) -> tuple[I64, F32]:
        parts: list[tuple[I64, F32]] = []
        for indptr, docs, tfs, offset in self._segments():
            if tid + 1 < len(indptr):
                a, b = int(indptr[tid]), int(indptr[tid + 1])
                parts.append((docs[a:b].astype(np.int64) + offset, tfs[a:b]))
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate([r for r, _ in parts]), np.concatenate([f for _, f in parts])

    def _segments(self) -> list[tuple[I64, I32, F32, int]]:
        segments: list[tuple[I64, I32, F32, int]] = [(self._t_indptr, self._t_docs, self._t_tf, 0)]
        if self._delta:
            di, dd, dt = self._delta_postings()
            segments.append((di, dd, dt, self._n_base))
        return segments

    def _filter_mask(self, filters: Mapping[str, object] | None) -> Mask | None:
        """Rows that pass ``filters`` (None = all).  Values: a string (equality), a list of
        strings ("in"); for ``year`` an int, a list of ints, a (from, to) pair or {"gte", "lte"}."""
        if not filters:
            return None
        mask = np.ones(len(self._ids), dtype=np.bool_)
        for name, value in filters.items():
            if name == "year":
                mask &= self._year_mask(value)
            elif name in META_FIELDS:
                values = [value] if isinstance(value, str) else value
                if not isinstance(values, list | tuple | set | frozenset):
                    raise FilterError(f"筛选字段 {name} 的取值应为文字或文字列表: {value!r}")
                table = self._meta_values[name]
                codes = [code for v in values if isinstance(v, str) and (code := table.row(v)) is not None]
                mask &= np.isin(self._meta[name], np.asarray(codes, dtype=np.int32))
            else:
                raise FilterError(f"未知的筛选字段: {name}（可用字段: {'、'.join(FILTER_FIELDS)}）")
        return mask

    def _year_mask(self, value: object) -> Mask:
        years = self._year
        if isinstance(value, int) and not isinstance(value, bool):
            return np.asarray(years == value, dtype=np.bool_)
        lo: object = None
        hi: object = None
        if isinstance(value, Mapping):
            unknown = set(value) - {"gte", "lte"}
            if unknown:
                raise FilterError(f"年份筛选只支持 gte/lte: {sorted(unknown)}")
            lo, hi = value.get("gte"), value.get("lte")
        elif isinstance(value, tuple) and len(value) == 2:
            lo, hi = value
        elif isinstance(value, list | set | frozenset):
            return np.isin(years, np.asarray(sorted(int(v) for v in value), dtype=np.int32))
        else:
            raise FilterError(f"年份筛选的取值无效: {value!r}")
        mask = years > 0
        if lo is not None:
            mask &= years >= int(str(lo))
        if hi is not None:
            mask &= years <= int(str(hi))
        return mask

    def _top_rows(self, scores: F32, top: int, mask: Mask | None = None) -> I64:
        """Rows with a positive score, best first (ties by document id), at most ``top``."""
        cand = np.flatnonzero(scores > 0)
        if mask is not None:
            cand = cand[mask[cand]]
        if top <= 0 or len(cand) == 0:
            return np.zeros(0, dtype=np.int64)
        if len(cand) > top:
            part = np.argpartition(-scores[cand], top - 1)[:top]
            cand = cand[part]
        order = sorted(cand.tolist(), key=lambda r: (-float(scores[r]), self._ids[r]))
        return np.asarray(order, dtype=np.int64)

    # --- queries ----------------------------------------------------------------------------

    def search(self, query: str, filters: Mapping[str, object] | None = None, top: int = 10) -> SearchResult:
        """Documents matching ``query`` (and ``filters``), best first."""
        mask = self._filter_mask(filters)  # validate filters even for an empty query
        if not query or not query.strip():
            return SearchResult([], "查询为空")
        tids, qtf = self._query_terms(query)
        if len(tids) == 0:
            return SearchResult([], "查询中的词在索引中都没有出现")
        scores = self._score_filtered(tids, qtf, mask)
        rows = self._top_rows(scores, top, mask)
        hits = [Hit(self._ids[r], float(scores[r])) for r in rows.tolist()]
        return SearchResult(hits, None if hits else "没有符合筛选条件的结果")

    def rank_owners(
        self,
        query: str,
        filters: Mapping[str, object] | None = None,
        top: int = 10,
        aggregate: str = "decay",
        per_owner: int = 3,
    ) -> list[EntityHit]:
        """Rank owners (people, organisations) by the scores of their documents.

        ``aggregate``: ``"sum"``, ``"max"`` or ``"decay"`` (the owner's i-th best document
        counts 1/i: several matching documents beat one, without letting a prolific owner's
        many weak matches swamp a specialist's strong one)."""
        if aggregate not in AGGREGATES:
            raise ValueError(f"未知的聚合方式: {aggregate}")
        mask = self._filter_mask(filters)
        if not query or not query.strip():
            return []
        tids, qtf = self._query_terms(query)
        scores = self._score_terms(tids, qtf)
        owner, names = self._meta["owner"], self._meta_values["owner"]
        rows = np.flatnonzero(scores > 0)
        rows = rows[owner[rows] >= 0]
        if mask is not None:
            rows = rows[mask[rows]]
        if len(rows) == 0:
            return []
        by_owner = aggregate_by_owner(scores[rows], owner[rows], len(names))
        agg = by_owner.score(aggregate)
        best = [int(o) for o in np.argsort(-agg, kind="stable")[: max(top, 0)] if agg[o] > 0]
        best.sort(key=lambda o: (-float(agg[o]), names[o]))
        docs_of: dict[int, list[Hit]] = {o: [] for o in best}
        for i in by_owner.order.tolist():
            o = int(owner[rows[i]])
            if o in docs_of and by_owner.rank[i] < per_owner:
                docs_of[o].append(Hit(self._ids[int(rows[i])], float(scores[rows[i]])))
        return [EntityHit(names[o], float(agg[o]), docs_of[o]) for o in best]


def _runs(arr: Any, starts: I64, counts: I64) -> npt.NDArray[Any]:
    """The items ``[s, s + c)`` of a 1-D array for each start and count, concatenated (an array in memory or on disk)."""
    if isinstance(arr, DiskArray):
        return arr.runs(starts, counts)
    return np.asarray(arr)[run_positions(starts, counts)]


class IndexReader:
    """The plumbing of an :class:`Index` that :class:`ExpertFinder` and :func:`explain` read:
    rows (internal document numbers), term ids, live statistics and raw BM25 scores.  Rows and
    term ids stay valid until the index is compacted (or saved, which compacts)."""

    def __init__(self, index: Index) -> None:
        self._ix = index

    @property
    def analyser(self) -> Analyser:
        return self._ix.analyser

    @property
    def field_weights(self) -> Mapping[str, float]:
        return self._ix.params.field_weights

    @property
    def n_terms(self) -> int:
        return len(self._ix._terms)

    @property
    def years(self) -> I32:
        """Per row, the year (0 when unknown)."""
        return self._ix._year

    @property
    def alive(self) -> Mask:
        """Per row, False once deleted."""
        return self._ix._alive

    def meta_codes(self, fname: str) -> tuple[I32, Keys]:
        """Per row, the code of a metadata field's value (-1 if none), and the values by code."""
        return self._ix._meta[fname], self._ix._meta_values[fname]

    def row_of(self, doc_id: str) -> int:
        row = self._ix._ids.row(doc_id)
        if row is None:
            raise KeyError(doc_id)
        return row

    def id_of(self, row: int) -> str:
        return self._ix._ids[row]

    def get_row(self, row: int) -> Document:
        return self._ix._get_row(row)

    def term(self, tid: int) -> str:
        return self._ix._terms[tid]

    def doc_terms(self, row: int) -> tuple[I32, F32]:
        """Term ids and weighted frequencies of one row."""
        return self._ix._doc_postings(row)

    def rows_terms(self, rows: npt.ArrayLike) -> tuple[I64, I32]:
        """Term ids of several rows: (position in ``rows``, term id) pairs."""
        return self._ix._rows_terms(np.asarray(rows, dtype=np.int64))

    def idf(self, tids: npt.ArrayLike) -> npt.NDArray[np.float64]:
        return self._ix._idf(tids)

    def length_norm(self, row: int) -> float:
        """k1·(1 − b + b·dl/avgdl) of one row, the denominator term of its BM25 weights."""
        return float(self._ix._norm()[row])

    def query_terms(self, query: str) -> tuple[I32, F32]:
        """Known term ids of ``query`` and how often each occurs in it."""
        return self._ix._query_terms(query)

    def score_terms(self, tids: I32, qtf: npt.ArrayLike) -> F32:
        """BM25 score of every row (0 for deleted rows) for weighted query terms."""
        return self._ix._score_terms(tids, qtf)

    def postings(self, tid: int) -> tuple[I64, F32]:
        """Rows containing term ``tid`` (deleted rows included) and its weighted frequencies."""
        return self._ix._postings(tid)


AGGREGATES = ("sum", "max", "decay")


@dataclass(frozen=True)
class OwnerScores:
    """Document scores aggregated per owner (arrays indexed by owner code), with each document's
    rank within its owner and the order (by owner, best first) in input positions."""

    sum: npt.NDArray[np.float64]
    max: npt.NDArray[np.float64]
    decay: npt.NDArray[np.float64]
    order: I64
    rank: I64

    def score(self, how: str) -> npt.NDArray[np.float64]:
        if how not in AGGREGATES:
            raise ValueError(f"未知的聚合方式: {how}")
        result: npt.NDArray[np.float64] = getattr(self, how)
        return result


def aggregate_by_owner(scores: F32, owners: I32, n_owners: int, with_order: bool = True) -> OwnerScores:
    """Owner scores from document scores, three ways at once: ``sum``, ``max`` (the best
    document) and ``decay`` (the owner's i-th best document counts 1/i).  Without
    ``with_order`` the result's ``order`` is empty and only the rows of owners with two or more
    of them are sorted (a row alone is its owner's best): the same ranks, in less time."""
    rank = np.zeros(len(owners), dtype=np.int64)
    if with_order:
        order = _by_owner_best_first(scores, owners)
        sub = order
    else:
        order = np.zeros(0, dtype=np.int64)
        several = np.flatnonzero(np.bincount(owners, minlength=n_owners)[owners] > 1)
        # Not stable: two rows of one owner with the same score may take each other's rank, which leaves the owner's
        # decay sum as it is (s/(1+i) + s/(1+j) either way, up to the rounding of the last bit) — and an unstable
        # sort of the keys is 5× faster.
        sub = several[_by_owner_best_first(scores[several], owners[several], stable=False)]
    if len(sub):
        sorted_owner = owners[sub]
        first = np.ones(len(sub), dtype=np.bool_)
        first[1:] = sorted_owner[1:] != sorted_owner[:-1]
        starts = np.flatnonzero(first)
        rank[sub] = np.arange(len(sub), dtype=np.int64) - starts[np.cumsum(first) - 1]
    s = scores.astype(np.float64)
    total = np.asarray(np.bincount(owners, weights=s, minlength=n_owners), dtype=np.float64)
    decay = np.asarray(np.bincount(owners, weights=s / (1.0 + rank), minlength=n_owners), dtype=np.float64)
    best = np.zeros(n_owners, dtype=np.float64)
    np.maximum.at(best, owners, s)
    return OwnerScores(total, best, decay, order, rank)


def _by_owner_best_first(scores: F32, owners: I32, stable: bool = True) -> I64:
    """``np.lexsort((-scores, owners))`` (by owner, then best score first, ties in input order unless not
    ``stable``) as one sort of a 64-bit key — owner above, the score's bits made order-preserving below: half the
    time of the two-key sort, the same order."""
    bits = (np.asarray(scores, dtype=np.float32) + np.float32(0.0)).view(np.uint32)  # + 0: -0.0 sorts as 0.0
    # descending scores as ascending unsigned integers (IEEE order: flip negatives, set the sign of positives)
    desc = ~np.where(bits >> np.uint32(31), ~bits, bits | np.uint32(0x80000000))
    own = np.asarray(owners, dtype=np.int64)
    key = ((own - (int(own.min()) if len(own) else 0)).astype(np.uint64) << np.uint64(32)) | desc.astype(np.uint64)
    return np.argsort(key, kind="stable" if stable else "quicksort").astype(np.int64)


def plain_bm25_params() -> BM25Params:
    """The configuration that equals bm25s (Lucene BM25, k1 1.5, b .75, fields concatenated)."""
    return BM25Params(k1=1.5, b=0.75, field_weights={"title": 1.0, "text": 1.0, "keywords": 1.0})

