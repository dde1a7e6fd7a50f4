"""Expert finding: rank the owners of documents (people) for a need described in plain text.

Method (measured in docs/engine.md):
  1. BM25 over the owners' documents (one document per past title/result), aggregated per owner
     three ways (sum, best, decayed sum) → a pool of the best ``pool`` owners;
  2. for each owner in the pool, features from the query and from the owner's own records:
     the aggregated scores (relative to the query's best document), dense similarity of the
     query to the owner's profile (LSA trained on the corpus), how many documents the owner has,
     agreement between the discipline predicted for the query and the owner's disciplines,
     how recent the owner's work is and how likely the query's year comes after it (year
     classifier), how well the owner's organisation matches and how often its people return,
     and the owner's namesakes at other organisations (often the same researcher, moved);
  3. a ranker over those features, learned *from the corpus itself*: pseudo-queries are made
     from owners' latest documents (held out while scoring), so the weights adapt to whatever
     list of experts is indexed, with no labelled data and nothing downloaded.  It is the
     average (log-odds) of boosted trees and an additive spline logistic model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from .index import F32, I32, I64, Document, Index, aggregate_by_owner
from .text import normalise

F64 = npt.NDArray[np.float64]

FEATURES = (
    "bm25_max", "bm25_decay", "bm25_sum", "bm25_top_rank", "dense_max", "dense_centroid",
    "log_docs", "discipline_agree", "recency", "year_known", "org_match", "log_org_docs", "profile_cover",
    "first_year", "unknown_year_share", "query_year_gap",
    "org_repeat_rate", "year_after_prob", "query_unknown_year_prob",
    "namesakes", "namesake_match", "namesake_docs",
)
_LABEL_JUNK = re.compile(r"[\W_]+")


def clean_label(label: str | None) -> str:
    """Spelling variants of one discipline ("马列·科社" / "马列科社") become one label."""
    return _LABEL_JUNK.sub("", normalise(label or ""))


@dataclass(frozen=True)
class ExpertHit:
    owner: str
    score: float
    docs: list[str]


@dataclass
class ExpertFinderConfig:
    pool: int = 1500
    dense_dim: int = 128
    train_queries: int = 3000
    negatives: int = 100
    seed: int = 13
    #: fewer owners found by their own pseudo-queries than this: keep the hand-set ranker
    min_train_positives: int = 100
    bags: int = 3
    #: pseudo-queries also from owners' earlier documents, up to this many back (0: latest only)
    earlier: int = 0
    trees: int = 200
    weights: dict[str, float] = field(default_factory=dict)


class ExpertFinder:
    """Ranks the owners of the documents of an :class:`Index` (built with ``owner`` set)."""

    def __init__(self, index: Index, config: ExpertFinderConfig | None = None,
                 person_of: Mapping[str, str] | None = None) -> None:
        """``person_of`` maps an owner to a person key (e.g. the name): owners sharing a key are
        namesakes, often one researcher listed under two organisations."""
        self.index = index
        self.config = config or ExpertFinderConfig()
        self.owner_of, self.owners = index.owner_codes()
        self.org_of_row, _ = index.meta_codes("organisation")
        n_own = len(self.owners)
        alive = index.alive
        rows = np.flatnonzero(alive & (self.owner_of >= 0))
        self.n_docs = np.bincount(self.owner_of[rows], minlength=n_own).astype(np.float64)
        orgs = self.org_of_row[rows]
        self.n_org_docs = np.bincount(orgs[orgs >= 0], minlength=len(index.meta_codes("organisation")[1]) or 1).astype(np.float64)
        # The owner's organisation: that of their documents (the first one seen).
        self.owner_org = np.full(n_own, -1, dtype=np.int32)
        self.owner_org[self.owner_of[rows][::-1]] = self.org_of_row[rows][::-1]
        # owner → rows (CSR), to reach an owner's documents without scanning all rows
        by_owner = rows[np.argsort(self.owner_of[rows], kind="stable")]
        self.owner_rows = by_owner.astype(np.int64)
        self.owner_ptr = np.zeros(n_own + 1, dtype=np.int64)
        np.cumsum(self.n_docs.astype(np.int64), out=self.owner_ptr[1:])
        years = index.years
        self.last_year = np.zeros(n_own, dtype=np.int32)
        np.maximum.at(self.last_year, self.owner_of[rows], years[rows])
        known = years[rows] > 0
        self.first_year = np.full(n_own, 9999, dtype=np.int32)
        np.minimum.at(self.first_year, self.owner_of[rows][known], years[rows][known])
        self.first_year[self.first_year == 9999] = 0
        self.n_unknown_year = np.bincount(self.owner_of[rows][~known], minlength=n_own).astype(np.float64)
        self.year_ref = int(np.percentile(years[rows][known], 90)) if bool(known.any()) else 2000
        self._idf = index.idf(np.arange(index.n_terms, dtype=np.int64))
        x = self._tfidf(rows)
        self._fit_disciplines(rows, x)
        self._fit_dense(rows, x)
        self._fit_year(rows, x)
        self._fit_year_classes(rows, x)
        # Organisations: how many of their owners have two or more documents (people who come
        # back for another project), per owner of the organisation.
        n_org = len(self.n_org_docs)
        has_org = self.owner_org >= 0
        self.org_owners = np.bincount(self.owner_org[has_org], minlength=n_org).astype(np.float64)
        self.org_multi = np.bincount(self.owner_org[has_org], weights=(self.n_docs[has_org] >= 2).astype(np.float64),
                                     minlength=n_org)
        self.multi_rate = float((self.n_docs >= 2).sum()) / max(float((self.n_docs >= 1).sum()), 1.0)
        keys = [(person_of or {}).get(o) or f"\x00{i}" for i, o in enumerate(self.owners)]
        _, group = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
        self.person = np.asarray(group, dtype=np.int64).reshape(-1)
        self.person_owners = np.bincount(self.person).astype(np.float64)
        self.person_docs = np.bincount(self.person, weights=self.n_docs)
        self.weights = np.asarray(
            [self.config.weights.get(f, 0.0) for f in FEATURES], dtype=np.float64
        ) if self.config.weights else _DEFAULT_WEIGHTS.copy()
        self.models: list[HistGradientBoostingClassifier] = []
        self.additive: Pipeline | None = None

    # --- learned components -------------------------------------------------------------------

    def _tfidf(self, rows: I64) -> sp.csr_matrix:
        """Doc-term matrix (sublinear tf × idf, L2-normalised) of ``rows`` in the index vocabulary."""
        parts_t: list[I32] = []
        parts_f: list[F32] = []
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        for i, r in enumerate(rows.tolist()):
            t, f = self.index.doc_terms(int(r))
            parts_t.append(t)
            parts_f.append(f)
            indptr[i + 1] = indptr[i] + len(t)
        terms = np.concatenate(parts_t) if parts_t else np.zeros(0, np.int32)
        tf = np.concatenate(parts_f) if parts_f else np.zeros(0, np.float32)
        return self._weigh(terms, tf, indptr)

    def _weigh(self, terms: I32, tf: F32, indptr: I64) -> sp.csr_matrix:
        n_terms = len(self._idf)
        ok = terms < n_terms
        if not bool(ok.all()):  # terms added to the index after fitting are unknown here
            counts = np.add.reduceat(ok.astype(np.int64), indptr[:-1]) if len(terms) else np.zeros(len(indptr) - 1, np.int64)
            counts[np.diff(indptr) == 0] = 0
            indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            terms, tf = terms[ok], tf[ok]
        vals = (1.0 + np.log(np.maximum(tf, 1e-6).astype(np.float64))) * self._idf[terms]
        mat = sp.csr_matrix((vals.astype(np.float32), terms, indptr), shape=(len(indptr) - 1, n_terms))
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ mat)

    def _fit_disciplines(self, rows: I64, x_all: sp.csr_matrix) -> None:
        codes, values = self.index.meta_codes("discipline")
        labels = [clean_label(v) for v in values]
        uniq = sorted({lab for lab in labels if lab})
        self.disciplines = uniq
        lab_index = {lab: i for i, lab in enumerate(uniq)}
        code_to_lab = np.asarray([lab_index.get(lab, -1) for lab in labels] + [-1], dtype=np.int32)
        row_lab = code_to_lab[codes[rows]]  # code -1 → the trailing -1
        self.row_disc = np.full(len(self.owner_of), -1, dtype=np.int32)
        self.row_disc[rows] = row_lab
        n_own, n_lab = len(self.owners), max(len(uniq), 1)
        has = row_lab >= 0
        self.disc_counts = np.zeros((n_own, n_lab), dtype=np.float32)
        np.add.at(self.disc_counts, (self.owner_of[rows][has], row_lab[has]), 1.0)
        self.disc_prior = (self.disc_counts.sum(axis=0) + 1.0) / (self.disc_counts.sum() + n_lab)
        self.disc_model: SGDClassifier | None = None
        self.disc_oof: F32 | None = None
        if len(uniq) < 2:
            return
        lab_rows = rows[has]
        x = x_all[np.flatnonzero(has)]
        y = row_lab[has]
        self.disc_model = self._disc_classifier().fit(x, y)
        # term-major copies of the learned weights: scoring one short query then touches only
        # the rows of its terms instead of a sparse × dense product over the whole vocabulary
        self._disc_w = np.zeros((x.shape[1], n_lab), dtype=np.float32)
        self._disc_w[:, self.disc_model.classes_] = self.disc_model.coef_.T
        self._disc_b = np.zeros(n_lab, dtype=np.float32)
        self._disc_b[self.disc_model.classes_] = self.disc_model.intercept_
        # Out-of-fold probabilities for the documents used as training pseudo-queries, so the
        # ranker does not learn to trust a classifier that has seen the query's own label.
        self.disc_oof = np.zeros((len(self.owner_of), n_lab), dtype=np.float32)
        fold = np.arange(len(lab_rows)) % 2
        for k in (0, 1):
            m = self._disc_classifier().fit(x[fold != k], y[fold != k])
            self.disc_oof[lab_rows[fold == k]] = self._proba(m, x[fold == k], n_lab)

    @staticmethod
    def _disc_classifier() -> SGDClassifier:
        return SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=15, tol=None, random_state=0)

    @staticmethod
    def _proba(model: SGDClassifier, x: sp.csr_matrix, n_lab: int) -> F32:
        out = np.zeros((x.shape[0], n_lab), dtype=np.float32)
        out[:, model.classes_] = model.predict_proba(x)
        return out

    def _fit_year(self, rows: I64, x: sp.csr_matrix) -> None:
        """When was a text written?  Ridge regression of year on tf-idf (topics drift: 一带一路,
        新时代 ...), so the query can be placed after or before an owner's documents."""
        years = self.index.years[rows].astype(np.float64)
        known = np.flatnonzero(years > 0)
        self.year_w: F32 | None = None
        self.year_oof = np.zeros(len(self.owner_of), dtype=np.float32)
        if len(known) < 50:
            return
        xk, yk = x[known], years[known]
        mean = float(yk.mean())
        model = Ridge(alpha=1.0).fit(xk, yk - mean)
        self.year_w = np.asarray(model.coef_, dtype=np.float32)
        self.year_b = float(model.intercept_) + mean
        fold = np.arange(len(known)) % 2
        for k in (0, 1):
            m = Ridge(alpha=1.0).fit(xk[fold != k], yk[fold != k] - mean)
            self.year_oof[rows[known[fold == k]]] = m.predict(xk[fold == k]) + mean
        unknown = rows[years <= 0]
        self.year_oof[unknown] = model.predict(x[np.flatnonzero(years <= 0)]) + mean if len(unknown) else 0.0

    def _fit_year_classes(self, rows: I64, x: sp.csr_matrix) -> None:
        """The year of a text as a distribution over the list's years, with "unknown" as a class
        of its own (lists leave some years blank, and not at random): the chance that a query
        comes after an owner's last known project, and that its year is blank like theirs."""
        years = self.index.years[rows].astype(np.int64)
        self.year_classes = np.unique(np.where(years > 0, years, 0))
        self.year_cls_oof: F32 | None = None
        if len(self.year_classes) < 2:
            return
        y = np.searchsorted(self.year_classes, np.where(years > 0, years, 0))
        n_cls = len(self.year_classes)
        model = self._disc_classifier().fit(x, y)
        self._ycls_w = np.zeros((x.shape[1], n_cls), dtype=np.float32)
        self._ycls_w[:, model.classes_] = model.coef_.T
        self._ycls_b = np.full(n_cls, -30.0, dtype=np.float32)
        self._ycls_b[model.classes_] = model.intercept_
        self.year_cls_oof = np.zeros((len(self.owner_of), n_cls), dtype=np.float32)
        fold = np.arange(len(rows)) % 2
        for k in (0, 1):
            m = self._disc_classifier().fit(x[fold != k], y[fold != k])
            self.year_cls_oof[rows[fold == k]] = self._proba(m, x[fold == k], n_cls)

    def _year_probs(self, cols: I32, vals: F32) -> F32:
        if self.year_cls_oof is None:
            return np.zeros(0, np.float32)
        z = vals @ self._ycls_w[cols] + self._ycls_b
        p: F32 = (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)
        p /= max(float(p.sum()), 1e-12)  # one-vs-rest, normalised like sklearn
        return p

    def _fit_dense(self, rows: I64, x: sp.csr_matrix) -> None:
        """LSA: a truncated SVD of the tf-idf matrix; owners are the sum of their documents."""
        n_own = len(self.owners)
        dim = self.config.dense_dim
        self.svd: TruncatedSVD | None = None
        self.doc_vec = np.zeros((len(self.owner_of), 0), dtype=np.float32)
        self.owner_vec_sum = np.zeros((n_own, 0), dtype=np.float32)
        if dim <= 0 or len(rows) < dim * 2:
            return
        svd = TruncatedSVD(n_components=dim, algorithm="randomized", n_iter=4, random_state=0)
        vec = _l2(svd.fit_transform(x).astype(np.float32))
        self.svd = svd
        self._svd_w = np.ascontiguousarray(svd.components_.T, dtype=np.float32)
        self.doc_vec = np.zeros((len(self.owner_of), dim), dtype=np.float32)
        self.doc_vec[rows] = vec
        self.owner_vec_sum = np.zeros((n_own, dim), dtype=np.float32)
        np.add.at(self.owner_vec_sum, self.owner_of[rows], vec)

    # --- features -----------------------------------------------------------------------------

    def _query_vectors(self, text: str) -> tuple[I32, F32, F32, F32, float, F32]:
        tids, qtf = self.index.query_terms(text)
        n_lab = max(len(self.disciplines), 1)
        if len(tids) == 0:
            return (tids, qtf, np.zeros(n_lab, np.float32), np.zeros(self.doc_vec.shape[1], np.float32), 0.0,
                    np.zeros(0, np.float32))
        x = self._weigh(tids, qtf, np.asarray([0, len(tids)], dtype=np.int64))
        cols, vals = x.indices, x.data.astype(np.float32)
        if self.disc_model is not None:
            z = vals @ self._disc_w[cols] + self._disc_b
            disc = (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)
            disc /= max(float(disc.sum()), 1e-12)  # one-vs-rest, normalised like sklearn
        else:
            disc = self.disc_prior.astype(np.float32)
        dense = _l2(vals @ self._svd_w[cols]) if self.svd is not None else np.zeros(0, np.float32)
        year = float(vals @ self.year_w[cols]) + self.year_b if self.year_w is not None else 0.0
        return tids, qtf, disc, dense, year, self._year_probs(cols, vals)

    def features(
        self, text: str, held_out: int | None = None, hidden: Sequence[int] = ()
    ) -> tuple[I64, F64]:
        """Pool of owner codes and their feature matrix (len(FEATURES) columns) for one query.

        ``held_out``: a row treated as absent (its owner's latest document, for training);
        ``hidden``: further rows of the same owner treated as absent (its later documents, when
        the pseudo-query is an earlier one: the owner's record as it stood at that time)."""
        tids, qtf, disc_q, dense_q, year_q, year_p = self._query_vectors(text)
        gone = np.asarray([held_out, *hidden] if held_out is not None else [], dtype=np.int64)
        if held_out is not None and self.disc_oof is not None and self.row_disc[held_out] >= 0:
            disc_q = self.disc_oof[held_out]
        if held_out is not None and self.year_w is not None:
            year_q = float(self.year_oof[held_out])
        if held_out is not None and self.year_cls_oof is not None:
            year_p = self.year_cls_oof[held_out]
        scores = self.index.score_terms(tids, qtf)
        scores[gone] = 0.0
        rows = np.flatnonzero(scores > 0)
        rows = rows[self.owner_of[rows] >= 0]
        if len(rows) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES)), dtype=np.float64)
        n_own = len(self.owners)
        s = scores[rows]
        own = self.owner_of[rows]
        qmax = float(s.max())
        agg_sum, _, rank = aggregate_by_owner(s, own, n_own, "sum")
        agg_decay = np.bincount(own, weights=s.astype(np.float64) / (1.0 + rank), minlength=n_own)
        agg_max = np.zeros(n_own, dtype=np.float64)
        np.maximum.at(agg_max, own, s.astype(np.float64))
        k = min(self.config.pool, int((agg_decay > 0).sum()))
        pool = np.argpartition(-agg_decay, k - 1)[:k].astype(np.int64)
        pool = pool[np.argsort(-agg_decay[pool], kind="stable")]
        # Organisation match: the organisation's summed scores, per document it has.
        orgs = self.org_of_row[rows]
        n_org = len(self.n_org_docs)
        org_sum = np.bincount(orgs[orgs >= 0], weights=s[orgs >= 0].astype(np.float64), minlength=n_org)
        n_docs = self.n_docs[pool].copy()
        disc_counts = self.disc_counts[pool].astype(np.float64)
        last_year = self.last_year[pool].astype(np.float64)
        first_year = self.first_year[pool].astype(np.float64)
        unknown = self.n_unknown_year[pool].copy()
        owner_vec = self.owner_vec_sum[pool]
        org_docs = self.n_org_docs.copy()
        org_multi = self.org_multi.copy()
        if held_out is not None:
            ho_owner = int(self.owner_of[held_out])
            where = np.flatnonzero(pool == ho_owner)
            for r in gone.tolist():
                if self.org_of_row[r] >= 0:
                    org_docs[self.org_of_row[r]] -= 1
            if self.n_docs[ho_owner] >= 2 > self.n_docs[ho_owner] - len(gone) and self.owner_org[ho_owner] >= 0:
                org_multi[self.owner_org[ho_owner]] -= 1
            if len(where):
                j = int(where[0])
                n_docs[j] -= len(gone)
                for r in gone.tolist():
                    if self.row_disc[r] >= 0:
                        disc_counts[j, self.row_disc[r]] -= 1
                mine = self.owner_rows[self.owner_ptr[ho_owner] : self.owner_ptr[ho_owner + 1]]
                mine = mine[~np.isin(mine, gone)]
                yrs = self.index.years[mine]
                last_year[j] = float(yrs.max()) if len(yrs) else 0.0
                first_year[j] = float(yrs[yrs > 0].min()) if bool((yrs > 0).any()) else 0.0
                unknown[j] = float((yrs <= 0).sum())
                if owner_vec.shape[1]:
                    owner_vec = owner_vec.copy()
                    owner_vec[j] -= self.doc_vec[gone].sum(axis=0)
        feats = np.zeros((len(pool), len(FEATURES)), dtype=np.float64)
        feats[:, 0] = agg_max[pool] / qmax
        feats[:, 1] = agg_decay[pool] / qmax
        feats[:, 2] = np.log1p(agg_sum[pool] / qmax)
        feats[:, 3] = -np.log1p(np.arange(len(pool), dtype=np.float64))
        if len(dense_q) and owner_vec.shape[1]:
            # dense_max: best single document; dense_centroid: the owner's whole profile
            cen = _l2(owner_vec)
            feats[:, 5] = cen @ dense_q
            feats[:, 4] = self._dense_max(pool, dense_q, gone)
        feats[:, 6] = np.log1p(np.maximum(n_docs, 0.0))
        dist = (disc_counts + 2.0 * self.disc_prior[None, :]) / (np.maximum(n_docs, 0.0)[:, None] + 2.0)
        feats[:, 7] = np.log(np.maximum(dist @ disc_q.astype(np.float64), 1e-6))
        known = last_year > 0
        feats[:, 8] = np.where(known, np.clip((last_year - self.year_ref) / 10.0, -3.0, 1.0), 0.0)
        feats[:, 9] = known.astype(np.float64)
        org = self.owner_org[pool]
        has_org = org >= 0
        od = np.where(has_org, org_docs[np.maximum(org, 0)], 0.0)
        osum = np.where(has_org, org_sum[np.maximum(org, 0)], 0.0) - agg_sum[pool]
        feats[:, 10] = np.where(od > n_docs, np.log1p(np.maximum(osum, 0.0) / qmax) / np.log1p(np.maximum(od - n_docs, 1.0)), 0.0)
        feats[:, 11] = np.log1p(np.maximum(od, 0.0))
        feats[:, 12] = self._coverage(tids, qtf, gone)[pool]
        feats[:, 13] = np.where(first_year > 0, np.clip((first_year - self.year_ref) / 10.0, -3.0, 1.0), 0.0)
        feats[:, 14] = unknown / np.maximum(n_docs, 1.0)
        if self.year_w is not None:
            feats[:, 15] = np.where(known, np.clip((year_q - last_year) / 10.0, -3.0, 3.0), 0.0)
        # the rate among the organisation's other owners (this owner left out), smoothed
        # towards the whole list's rate
        own_multi = (n_docs >= 2).astype(np.float64)
        others = np.where(has_org, self.org_owners[np.maximum(org, 0)] - 1.0, 0.0)
        multi = np.where(has_org, org_multi[np.maximum(org, 0)] - own_multi, 0.0)
        feats[:, 16] = (multi + 5.0 * self.multi_rate) / (others + 5.0)
        if len(year_p):
            p_unknown = float(year_p[0]) if self.year_classes[0] == 0 else 0.0
            after = np.cumsum(year_p[::-1])[::-1]  # after[i] = P(year >= classes[i])
            at = np.searchsorted(self.year_classes, last_year.astype(np.int64))
            feats[:, 17] = np.where(known, after[np.minimum(at, len(after) - 1)] * (at < len(after)), 1.0)
            feats[:, 18] = p_unknown
        # Namesakes (same person key, other organisations): how many, their best match, their
        # documents — a researcher who moved keeps their topics.
        person = self.person[pool]
        feats[:, 19] = np.log1p(self.person_owners[person] - 1.0)
        feats[:, 20] = self._namesake_best(agg_max, own, pool) / qmax
        feats[:, 21] = np.log1p(self.person_docs[person] - self.n_docs[pool])
        return pool, feats

    def _namesake_best(self, agg_max: F64, own: I32, pool: I64) -> F64:
        """For each pool owner, the best single-document score among its namesakes (itself excluded)."""
        cand = np.unique(own)
        grp = self.person[cand]
        best = np.zeros(len(self.person_owners), dtype=np.float64)
        np.maximum.at(best, grp, agg_max[cand])
        # the owner holding its group's best (one per group) sees the group's second best
        top = np.zeros(len(self.person_owners), dtype=np.int64) - 1
        holders = cand[agg_max[cand] == best[grp]]
        top[self.person[holders]] = holders
        rest = agg_max[cand].copy()
        rest[cand == top[grp]] = 0.0
        second = np.zeros(len(self.person_owners), dtype=np.float64)
        np.maximum.at(second, grp, rest)
        pg = self.person[pool]
        return np.where(top[pg] == pool, second[pg], best[pg])

    def _coverage(self, tids: I32, qtf: F32, gone: I64) -> F64:
        """Share of the query's idf mass present anywhere in each owner's documents: the
        owner's whole profile as one document, so terms split over several titles count."""
        mass = self.index.idf(tids) * qtf.astype(np.float64)
        total = float(mass.sum())
        n_own = len(self.owners)
        if total <= 0:
            return np.zeros(n_own, dtype=np.float64)
        keys: list[I64] = []
        for j, t in enumerate(tids.tolist()):
            rows, _ = self.index.postings(int(t))
            rows = rows[self.index.alive[rows]]
            rows = rows[~np.isin(rows, gone)]
            own = self.owner_of[rows].astype(np.int64)
            keys.append(own[own >= 0] * len(tids) + j)
        pairs = np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.int64)
        return np.bincount(pairs // len(tids), weights=mass[pairs % len(tids)], minlength=n_own) / total

    def _dense_max(self, pool: I64, dense_q: F32, gone: I64) -> F64:
        starts, ends = self.owner_ptr[pool], self.owner_ptr[pool + 1]
        counts = ends - starts
        idx = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
        rows = self.owner_rows[idx]
        rows = rows[~np.isin(rows, gone)]
        sims = self.doc_vec[rows] @ dense_q
        best = np.full(len(self.owners), -1.0, dtype=np.float64)
        np.maximum.at(best, self.owner_of[rows], sims.astype(np.float64))
        out = best[pool]
        return np.where(out < -0.5, 0.0, out)

    # --- ranking ------------------------------------------------------------------------------

    def rank(self, text: str, top: int = 100, with_docs: int = 0) -> list[ExpertHit]:
        """Owners best first (at most ``top``); with ``with_docs`` > 0 each hit also lists up to
        that many of the owner's documents that match the text, best first (for explanations)."""
        text = normalise(text)
        pool, feats = self.features(text)
        if len(pool) == 0:
            return []
        score = self.score_pool(feats)
        order = np.argsort(-score, kind="stable")[:top]
        doc_scores = self.index.score_terms(*self.index.query_terms(text)) if with_docs > 0 else None
        hits = []
        for i in order.tolist():
            o = int(pool[i])
            docs: list[str] = []
            if doc_scores is not None:
                rows = self.owner_rows[self.owner_ptr[o] : self.owner_ptr[o + 1]]
                rows = rows[doc_scores[rows] > 0]
                best = rows[np.argsort(-doc_scores[rows], kind="stable")[:with_docs]]
                docs = [self.index.id_of(int(r)) for r in best]
            hits.append(ExpertHit(self.owners[o], float(score[i]), docs))
        return hits

    def pseudo_queries(self, n_queries: int | None = None) -> list[tuple[F64, int, int]]:
        """Training material: for owners with at least two documents, their latest document
        is the query and is held out; with ``config.earlier`` = k > 0, also their k earlier
        documents in turn (owners with enough documents), each with every later document of the
        owner hidden too, i.e. the owner's record as it stood when that project was granted.
        Returns (pool features, position of the owner or -1, how many documents back) triples."""
        rng = np.random.default_rng(self.config.seed)
        n_q = n_queries or self.config.train_queries
        years = self.index.years
        out: list[tuple[F64, int, int]] = []
        for back in range(self.config.earlier + 1):
            eligible = np.flatnonzero(self.n_docs >= 2 + back)
            take = min(n_q, len(eligible))
            chosen = rng.choice(eligible, size=take, replace=False) if take else np.zeros(0, np.int64)
            for o in chosen.tolist():
                mine = self.owner_rows[self.owner_ptr[o] : self.owner_ptr[o + 1]]
                mine = mine[np.lexsort((mine, years[mine]))]  # oldest first; unknown years (0) first
                row = int(mine[-1 - back])
                doc = self.index.get_row(row)
                pool, feats = self.features(normalise(doc.title or doc.text), held_out=row,
                                            hidden=mine[len(mine) - back:].tolist())
                pos = np.flatnonzero(pool == o)
                out.append((feats, int(pos[0]) if len(pos) else -1, back))
        return out

    def fit_ranker(self, material: Sequence[tuple[F64, int, int]]) -> int:
        """Gradient-boosted trees, pointwise: the true owner (1) against random members of its
        pool (0).  Trees, because the features interact (an extra past project matters when
        the text scores are close, not when they are far apart).  ``bags`` models, each on its
        own sample of negatives, are averaged: less variance from one grant list to the next.
        Returns how many pseudo-queries found their owner in the pool (the positives)."""
        found = [(feats, p) for feats, p, _ in material if p >= 0]
        if len(found) < self.config.min_train_positives:  # too little to learn from
            self.models = []
            self.additive = None
            return len(found)
        models = []
        for bag in range(self.config.bags):
            rng = np.random.default_rng(self.config.seed + bag)
            xs: list[F64] = []
            ys: list[F64] = []
            for feats, p in found:
                others = np.delete(np.arange(len(feats)), p)
                neg = rng.choice(others, size=min(self.config.negatives, len(others)), replace=False)
                xs.extend([feats[[p]], feats[neg]])
                ys.extend([np.ones(1), np.zeros(len(neg))])
            model = HistGradientBoostingClassifier(
                learning_rate=0.05, max_iter=self.config.trees, max_leaf_nodes=8, min_samples_leaf=40,
                l2_regularization=1.0, random_state=self.config.seed + bag,
                # more textual or topical agreement never lowers an owner's score
                monotonic_cst=[_MONOTONE.get(f, 0) for f in FEATURES],
            )
            x, y = np.vstack(xs), np.concatenate(ys)
            # OpenMP threads only pay off on large training sets
            with threadpool_limits(None if len(x) > 50_000 else 1):
                models.append(model.fit(x, y))
        self.models = models
        # An additive model beside the trees: each feature through a cubic spline (5 knots),
        # logistic regression on the true owner against 300 random members of its pool.  Smooth
        # where the trees are stepwise; on the development splits it beat the trees alone, and
        # the average of both (log-odds) beat either.
        rng = np.random.default_rng(self.config.seed)
        xs, ys = [], []
        for feats, p in found:
            others = np.delete(np.arange(len(feats)), p)
            neg = rng.choice(others, size=min(3 * self.config.negatives, len(others)), replace=False)
            xs.extend([feats[[p]], feats[neg]])
            ys.extend([np.ones(1), np.zeros(len(neg))])
        self.additive = make_pipeline(StandardScaler(), SplineTransformer(n_knots=5, degree=3),
                                      LogisticRegression(C=0.3, max_iter=500))
        with threadpool_limits(1):
            self.additive.fit(np.vstack(xs), np.concatenate(ys))
        return len(found)

    def train(self, n_queries: int | None = None) -> dict[str, float]:
        """Learn the ranker from the indexed owners themselves (see the module docstring)."""
        material = self.pseudo_queries(n_queries)
        used = self.fit_ranker(material)
        return {"pseudo_queries": float(len(material)), "owner_in_pool": float(used)}

    def score_pool(self, feats: F64) -> F64:
        if self.models and len(feats):
            # one thread: OpenMP start-up costs more than 1 500 rows of trees, and cores are shared
            with threadpool_limits(1):
                probs = [np.asarray(m.predict_proba(feats)[:, 1], dtype=np.float64) for m in self.models]
                p = np.clip(np.mean(probs, axis=0), 1e-9, 1.0 - 1e-9)
                trees = np.log(p) - np.log1p(-p)
                if self.additive is None:
                    return np.asarray(trees, dtype=np.float64)
                return np.asarray(0.5 * trees + 0.5 * self.additive.decision_function(feats), dtype=np.float64)
        return np.asarray(feats @ self.weights, dtype=np.float64)


def _l2(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    scaled: npt.NDArray[np.float32] = (x / np.maximum(norms, 1e-12)).astype(np.float32)
    return scaled


_MONOTONE = {"bm25_max": 1, "bm25_decay": 1, "bm25_sum": 1, "dense_max": 1, "dense_centroid": 1,
             "discipline_agree": 1, "org_match": 1, "profile_cover": 1, "namesake_match": 1}

# Used before training (or when there is too little data to train): the decayed BM25 sum
# with small priors, a sane hand-set ranker.
_DEFAULT_WEIGHTS = np.asarray([0.5, 1.0, 0.3, 0.0, 0.5, 0.5, 0.2, 0.1, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float64)


# --- building from the benchmark's candidate format ----------------------------------------------

def candidate_documents(candidates: Iterable[Mapping[str, object]]) -> list[Document]:
    """One document per past title of each candidate: ``{"id", "name", "org", "docs": [...]}``."""
    out: list[Document] = []
    for c in candidates:
        cid = str(c["id"])
        org = str(c.get("org") or "") or None
        docs = c.get("docs") or []
        if not isinstance(docs, Sequence):
            raise ValueError(f"候选人 {cid} 的 docs 不是列表")
        for i, d in enumerate(docs):
            if not isinstance(d, Mapping):
                raise ValueError(f"候选人 {cid} 的第 {i + 1} 个文档格式错误")
            out.append(Document.from_json({
                "id": f"{cid}#{i}", "title": d.get("title") or "", "text": d.get("text") or d.get("abstract") or "",
                "keywords": d.get("keywords") or (), "discipline": d.get("discipline"),
                "year": d.get("year"), "organisation": org, "owner": cid,
            }))
    return out

