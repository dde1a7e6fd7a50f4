"""Why a document matched a query: per term and field contributions plus a Chinese summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .index import META_FIELDS, Document, Index

META_LABELS = {
    "discipline": "学科", "industry": "行业", "division": "地区", "organisation": "单位",
    "owner": "负责人", "type": "类型", "year": "年份",
}


@dataclass(frozen=True)
class Contribution:
    """``score`` is this term's share of the BM25 score coming from ``field``."""

    term: str
    field: str
    score: float


@dataclass(frozen=True)
class Explanation:
    doc_id: str
    score: float
    contributions: list[Contribution]
    shared_words: list[str]
    metadata: dict[str, str] = field(default_factory=dict)
    summary: str = ""

    def by_field(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for c in self.contributions:
            out[c.field] = out.get(c.field, 0.0) + c.score
        return out


def explain(
    index: Index, query: str, doc_id: str, context: Mapping[str, object] | None = None, max_words: int = 8
) -> Explanation:
    """Explain ``doc_id``'s score for ``query``.  The contributions add up to the document's
    score from :meth:`Index.search`.  ``context`` holds the query side's metadata (e.g. the
    need's discipline and industry); the document's equal values are reported as matches, and
    without a context the document's discipline and industry are shown for orientation."""
    ix = index.reader
    row = ix.row_of(doc_id)
    doc = index.get(doc_id)
    tids, qtf = ix.query_terms(query)
    d_terms, d_tf = ix.doc_terms(row)
    common, qi, di = np.intersect1d(tids, d_terms, return_indices=True)
    contributions: list[Contribution] = []
    total = 0.0
    if len(common):
        idf = ix.idf(common)
        tf = d_tf[di].astype(np.float64)
        norm = ix.length_norm(row)
        weights = idf * qtf[qi].astype(np.float64) * tf / (tf + norm)
        total = float(weights.sum())
        field_tf = _field_term_counts(index, doc)
        for t, w, f_all in zip(common.tolist(), weights.tolist(), tf.tolist(), strict=True):
            term = ix.term(int(t))
            for fname, counts in field_tf.items():
                share = counts.get(term, 0.0) / f_all if f_all else 0.0
                if share > 0:
                    contributions.append(Contribution(term, fname, w * share))
    contributions.sort(key=lambda c: (-c.score, c.term, c.field))
    words = _shared_words(index, query, doc, {c.term for c in contributions})[:max_words]
    meta = _metadata(doc, context)
    parts = []
    if words:
        parts.append("共同关键词: " + "、".join(words))
    parts.extend(f"{META_LABELS[k]}: {v}" for k, v in meta.items())
    return Explanation(doc_id, total, contributions, words, meta, "；".join(parts) if parts else "无共同关键词")


def _field_term_counts(index: Index, doc: Document) -> dict[str, dict[str, float]]:
    weights = index.params.field_weights
    texts = {"title": doc.title, "text": doc.text, "keywords": " ; ".join(doc.keywords)}
    out: dict[str, dict[str, float]] = {}
    for fname, text in texts.items():
        w = float(weights.get(fname, 0.0))
        if w <= 0 or not text:
            continue
        counts: dict[str, float] = {}
        for t in index.analyser.analyse(text):
            counts[t] = counts.get(t, 0.0) + w
        out[fname] = counts
    return out


def _shared_words(index: Index, query: str, doc: Document, matched: set[str]) -> list[str]:
    """Whole words people recognise: the document's keywords found in the query, then jieba
    words present on both sides; shorter ones inside a longer one are dropped."""
    an = index.analyser
    q_words = an.display_words(query)
    q_norm = "".join(q_words)
    doc_words = set(an.display_words(" ".join([doc.title, doc.text])))
    found: list[str] = []
    for kw in doc.keywords:
        k = " ".join(an.display_words(kw)).replace(" ", "")
        if len(k) >= 2 and k in q_norm and k not in found:
            found.append(k)
    for w in q_words:
        if len(w) >= 2 and w in doc_words and w not in found:
            found.append(w)
    if not found:  # no whole word in common: fall back to the matched terms themselves
        found = sorted((t for t in matched if len(t) >= 2), key=lambda t: (-len(t), t))
    keep: list[str] = []
    for w in sorted(found, key=lambda w: -len(w)):
        if not any(w in k for k in keep):
            keep.append(w)
    return [w for w in found if w in keep]


def _metadata(doc: Document, context: Mapping[str, object] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if context is not None:
        for k, v in context.items():
            if k in META_FIELDS and getattr(doc, k) is not None and getattr(doc, k) == v:
                out[k] = str(v)
            elif k == "year" and doc.year is not None and doc.year == v:
                out[k] = str(v)
        return out
    for k in ("discipline", "industry"):
        value = getattr(doc, k)
        if value:
            out[k] = str(value)
    return out
