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

import functools
import gc
import json
import multiprocessing as mp
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.special import expit
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler
from threadpoolctl import ThreadpoolController, threadpool_limits

from .disk import DiskArray, run_positions
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
# More textual or topical agreement never lowers an owner's score (the trees are constrained so).
MONOTONE_INCREASING = frozenset({"bm25_max", "bm25_decay", "bm25_sum", "dense_max", "dense_centroid",
                                 "discipline_agree", "org_match", "profile_cover", "namesake_match"})
# Used before training (or when there is too little data to train): the decayed BM25 sum with
# small priors, a sane hand-set ranker.  Features not named weigh 0.
HAND_SET_WEIGHTS: Mapping[str, float] = {
    "bm25_max": 0.5, "bm25_decay": 1.0, "bm25_sum": 0.3, "dense_max": 0.5, "dense_centroid": 0.5,
    "log_docs": 0.2, "discipline_agree": 0.1, "profile_cover": 0.5,
}
SAVE_FORMAT = "yiti.experts/1"
SAVE_FILE = "experts.json"
SAVE_DIR = "experts"
# The matrices a query reads a few rows of (its terms', its pool's documents and owners), and the training folds'
# predictions: read from their files when loaded on disk. The rest is small and read whole.
ON_DISK = frozenset({"disc_w", "ycls_w", "svd_w", "year_w", "doc_vec", "disc_oof", "year_cls_oof"})
_LABEL_JUNK = re.compile(r"[\W_]+")


def clean_label(label: str | None) -> str:
    """Spelling variants of one discipline ("马列·科社" / "马列科社") become one label."""
    return _LABEL_JUNK.sub("", normalise(label or ""))


@dataclass(frozen=True)
class ExpertHit:
    owner: str
    score: float
    docs: list[str]


@dataclass(frozen=True)
class ExpertFinderConfig:
    """Every setting of the expert finder (the values chosen are measured in docs/engine.md)."""

    #: owners scored per query: the best by decayed BM25 sum
    pool: int = 1500
    #: pseudo-queries drawn for training (owners with two or more documents); above ``fit_max_rows``
    #: documents fewer, in proportion (a pseudo-query's features cost in proportion to the index's
    #: size, so training costs what it does at ``fit_max_rows``), but never fewer than
    #: ``min_train_queries``.  Lists up to ``fit_max_rows`` (NSSF's) draw ``train_queries``.
    train_queries: int = 3000
    min_train_queries: int = 1000
    #: fewer owners found by their own pseudo-queries than this: keep the hand-set ranker
    min_train_positives: int = 100
    seed: int = 13
    #: LSA dimensions (0: no dense features)
    dense_dim: int = 128
    #: folds of the out-of-fold predictions used for the training pseudo-queries
    oof_folds: int = 2
    #: the discipline and year models and the LSA are fitted on at most this many documents (a
    #: fixed random sample; 0: all): their one-vs-rest fits cost epochs × documents × classes,
    #: 13 minutes at 500,000 documents.  Lists up to this size (the NSSF grant list: 120,520) use
    #: every document.
    fit_max_rows: int = 150_000
    #: SGD logistic classifiers (discipline, year as a class): L2 penalty and epochs
    classifier_alpha: float = 2e-5
    classifier_epochs: int = 15
    year_ridge_alpha: float = 1.0
    #: an owner's years are measured from this percentile of the list's known years ...
    year_ref_percentile: float = 90.0
    #: ... or from this year when the list has no known year
    fallback_year: int = 2000
    #: larger than any year: start value of the owners' first-year minimum
    year_sentinel: int = 9999
    #: year differences are divided by this before clipping
    year_scale: float = 10.0
    #: an organisation's repeat rate is smoothed towards the list's with this many pseudo-owners
    repeat_pseudo_owners: float = 5.0
    #: an owner's discipline distribution is smoothed towards the list's with this many documents
    discipline_pseudo_docs: float = 2.0
    #: boosted trees: models on different negative samples (averaged), and their shape
    bags: int = 3
    trees: int = 200
    tree_learning_rate: float = 0.05
    tree_leaves: int = 8
    tree_min_leaf: int = 40
    tree_l2: float = 1.0
    #: constrain the trees to be monotone increasing in the text and topic features
    monotone: bool = True
    #: random pool members per pseudo-query as negatives for the trees ...
    negatives: int = 100
    #: ... and this many times as many for the additive model
    additive_negative_ratio: int = 3
    spline_knots: int = 5
    spline_degree: int = 3
    additive_c: float = 0.3
    additive_max_iter: int = 500
    #: blend of the two rankers' log-odds: trees × this + additive × (1 − this)
    tree_weight: float = 0.5
    #: the hand-set linear ranker, by feature name
    weights: Mapping[str, float] = field(default_factory=lambda: dict(HAND_SET_WEIGHTS))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.weights) - set(FEATURES))
        if unknown:
            raise ValueError(f"未知的特征: {'、'.join(unknown)}（可用特征: {'、'.join(FEATURES)}）")


class ExpertFinder:
    """Ranks the owners of the documents of an :class:`Index` (built with ``owner`` set)."""

    def __init__(self, index: Index, config: ExpertFinderConfig | None = None,
                 person_of: Mapping[str, str] | None = None, workers: int = 1) -> None:
        """``person_of`` maps an owner to a person key (e.g. the name): owners sharing a key are
        namesakes, often one researcher listed under two organisations.  ``workers``: threads
        for the classifiers' one-vs-rest fits and processes for the training pseudo-queries
        (the same finder whatever the number; it only shares the work)."""
        self.index = index
        self.config = config or ExpertFinderConfig()
        self.workers = max(1, workers)
        owners = index.reader.meta_codes("owner")[1]
        keys = [(person_of or {}).get(o) or f"\x00{i}" for i, o in enumerate(owners)]
        _, group = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
        rows = self._describe_owners(np.asarray(group, dtype=np.int64).reshape(-1))
        self._idf = self._ix.idf(np.arange(self._ix.n_terms, dtype=np.int64))
        x = self._tfidf(rows)
        self._fit_disciplines(rows, x)
        self._fit_dense(rows, x)
        self._fit_year(rows, x)
        self._fit_year_classes(rows, x)
        self.trees: _Trees | None = None
        self.additive: _Additive | None = None

    def _describe_owners(self, person: I64) -> I64:
        """What the features need to know about owners, organisations and namesakes, counted
        from the index (cheap: also redone when a saved finder is loaded); returns the live rows
        that have an owner."""
        ix = self._ix = self.index.reader
        cfg = self.config
        self.owner_of, self.owners = ix.meta_codes("owner")
        self.org_of_row, org_names = ix.meta_codes("organisation")
        self._shape = (len(self.owner_of), len(self.owners), ix.n_terms)  # the index this was fitted on
        n_own = len(self.owners)
        rows = np.flatnonzero(ix.alive & (self.owner_of >= 0))
        self.n_docs = np.bincount(self.owner_of[rows], minlength=n_own).astype(np.float64)
        orgs = self.org_of_row[rows]
        self.n_org_docs = np.bincount(orgs[orgs >= 0], minlength=len(org_names) or 1).astype(np.float64)
        # The owner's organisation: that of their documents (the first one seen).
        self.owner_org = np.full(n_own, -1, dtype=np.int32)
        self.owner_org[self.owner_of[rows][::-1]] = self.org_of_row[rows][::-1]
        # owner → rows (CSR), to reach an owner's documents without scanning all rows
        by_owner = rows[np.argsort(self.owner_of[rows], kind="stable")]
        self.owner_rows = by_owner.astype(np.int64)
        self.owner_ptr = np.zeros(n_own + 1, dtype=np.int64)
        np.cumsum(self.n_docs.astype(np.int64), out=self.owner_ptr[1:])
        years = ix.years
        self.last_year = np.zeros(n_own, dtype=np.int32)
        np.maximum.at(self.last_year, self.owner_of[rows], years[rows])
        known = years[rows] > 0
        self.first_year = np.full(n_own, cfg.year_sentinel, dtype=np.int32)
        np.minimum.at(self.first_year, self.owner_of[rows][known], years[rows][known])
        self.first_year[self.first_year == cfg.year_sentinel] = 0
        self.n_unknown_year = np.bincount(self.owner_of[rows][~known], minlength=n_own).astype(np.float64)
        self.year_ref = (int(np.percentile(years[rows][known], cfg.year_ref_percentile))
                         if bool(known.any()) else cfg.fallback_year)
        # Organisations: how many of their owners have two or more documents (people who come
        # back for another project), per owner of the organisation.
        n_org = len(self.n_org_docs)
        has_org = self.owner_org >= 0
        self.org_owners = np.bincount(self.owner_org[has_org], minlength=n_org).astype(np.float64)
        self.org_multi = np.bincount(self.owner_org[has_org], weights=(self.n_docs[has_org] >= 2).astype(np.float64),
                                     minlength=n_org)
        self.multi_rate = float((self.n_docs >= 2).sum()) / max(float((self.n_docs >= 1).sum()), 1.0)
        self.person = person
        self.person_owners = np.bincount(self.person).astype(np.float64)
        self.person_docs = np.bincount(self.person, weights=self.n_docs)
        self._count_disciplines(rows)
        self.weights = np.asarray([cfg.weights.get(f, 0.0) for f in FEATURES], dtype=np.float64)
        return rows

    def _count_disciplines(self, rows: I64) -> None:
        """Each row's (cleaned) discipline label and each owner's counts of them."""
        codes, values = self._ix.meta_codes("discipline")
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
        # owner × discipline counts, sparse: an owner has one or two documents (dense, 45 MB a web process)
        self.disc_counts = sp.csr_matrix(
            (np.ones(int(has.sum()), dtype=np.float32), (self.owner_of[rows][has], row_lab[has])), shape=(n_own, n_lab))
        self.disc_counts.sum_duplicates()
        self.disc_prior = (np.asarray(self.disc_counts.sum(axis=0)).ravel() + 1.0) / (self.disc_counts.sum() + n_lab)

    # --- learned components -------------------------------------------------------------------

    def _tfidf(self, rows: I64) -> sp.csr_matrix:
        """Doc-term matrix (sublinear tf × idf, L2-normalised) of ``rows`` in the index vocabulary."""
        parts_t: list[I32] = []
        parts_f: list[F32] = []
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        for i, r in enumerate(rows.tolist()):
            t, f = self._ix.doc_terms(int(r))
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

    def _classifier(self) -> SGDClassifier:
        cfg = self.config
        # n_jobs: the one-vs-rest fits in threads (each class's seed is drawn before, so the same model)
        return SGDClassifier(loss="log_loss", alpha=cfg.classifier_alpha, max_iter=cfg.classifier_epochs,
                             tol=None, random_state=0, n_jobs=self.workers if self.workers > 1 else None)

    def _fit_sample(self, n: int) -> I64 | None:
        """Positions of the documents a model is fitted on: None (all of them) up to
        ``fit_max_rows``, else that many drawn at random (fixed seed), in order."""
        cap = self.config.fit_max_rows
        if cap <= 0 or n <= cap:
            return None
        return np.sort(np.random.default_rng(self.config.seed).choice(n, size=cap, replace=False)).astype(np.int64)

    @staticmethod
    def _proba_of(model: SGDClassifier, n_cls: int) -> Callable[[sp.csr_matrix], F32]:
        def proba(x: sp.csr_matrix) -> F32:
            out = np.zeros((x.shape[0], n_cls), dtype=np.float32)
            out[:, model.classes_] = model.predict_proba(x)
            return out
        return proba

    def _fit_proba(self, n_cls: int) -> Callable[[sp.csr_matrix, npt.NDArray[Any], sp.csr_matrix], F32]:
        """Fit a classifier on (x, y), return its probabilities over all ``n_cls`` classes for x_new."""
        def fit_predict(x: sp.csr_matrix, y: npt.NDArray[Any], x_new: sp.csr_matrix) -> F32:
            model = self._classifier().fit(x, y)
            out = np.zeros((x_new.shape[0], n_cls), dtype=np.float32)
            out[:, model.classes_] = model.predict_proba(x_new)
            return out
        return fit_predict

    def _term_major(self, model: SGDClassifier, n_terms: int, n_cls: int, absent: float) -> tuple[F32, F32]:
        """Term-major copies of a linear classifier's weights over all ``n_cls`` classes (classes
        it never saw get bias ``absent``): scoring a short query then touches only the rows of
        its terms instead of a sparse × dense product over the whole vocabulary."""
        w = np.zeros((n_terms, n_cls), dtype=np.float32)
        w[:, model.classes_] = model.coef_.T
        b = np.full(n_cls, absent, dtype=np.float32)
        b[model.classes_] = model.intercept_
        return w, b

    def _fit_disciplines(self, rows: I64, x_all: sp.csr_matrix) -> None:
        """Which discipline is a text about?  SGD logistic regression on the documents' labels."""
        n_lab = max(len(self.disciplines), 1)
        self._disc_w: F32 | None = None
        self._disc_b = np.zeros(n_lab, dtype=np.float32)
        self.disc_oof: F32 | None = None
        if len(self.disciplines) < 2:
            return
        row_lab = self.row_disc[rows]
        has = row_lab >= 0
        x, y = x_all[np.flatnonzero(has)], row_lab[has]
        fit = self._fit_sample(len(y))
        model = self._classifier().fit(*((x, y) if fit is None else (x[fit], y[fit])))
        self._disc_w, self._disc_b = self._term_major(model, x.shape[1], n_lab, 0.0)
        # Out-of-fold probabilities for the documents used as training pseudo-queries, so the
        # ranker does not learn to trust a classifier that has seen the query's own label.
        self.disc_oof = np.zeros((len(self.owner_of), n_lab), dtype=np.float32)
        self.disc_oof[rows[has]] = _out_of_sample(x, y, self._fit_proba(n_lab), self.config.oof_folds, fit,
                                                  self._proba_of(model, n_lab))

    def _fit_year(self, rows: I64, x: sp.csr_matrix) -> None:
        """When was a text written?  Ridge regression of year on tf-idf (topics drift: 一带一路,
        新时代 ...), so the query can be placed after or before an owner's documents."""
        years = self._ix.years[rows].astype(np.float64)
        known = np.flatnonzero(years > 0)
        self.year_w: F32 | None = None
        self.year_b = 0.0
        self.year_oof = np.zeros(len(self.owner_of), dtype=np.float32)
        if len(known) < 50:
            return
        alpha = self.config.year_ridge_alpha
        xk, yk = x[known], years[known]
        fit = self._fit_sample(len(known))
        mean = float((yk if fit is None else yk[fit]).mean())
        model = Ridge(alpha=alpha).fit(*((xk, yk - mean) if fit is None else (xk[fit], yk[fit] - mean)))
        self.year_w = np.asarray(model.coef_, dtype=np.float32)
        self.year_b = float(model.intercept_) + mean

        def fit_predict(a: sp.csr_matrix, b: npt.NDArray[Any], a_new: sp.csr_matrix) -> F64:
            return np.asarray(Ridge(alpha=alpha).fit(a, b).predict(a_new), dtype=np.float64)

        def predict(a: sp.csr_matrix) -> F64:
            return np.asarray(model.predict(a), dtype=np.float64)

        self.year_oof[rows[known]] = _out_of_sample(xk, yk - mean, fit_predict, self.config.oof_folds, fit,
                                                    predict) + mean
        unknown = rows[years <= 0]
        self.year_oof[unknown] = model.predict(x[np.flatnonzero(years <= 0)]) + mean if len(unknown) else 0.0

    def _fit_year_classes(self, rows: I64, x: sp.csr_matrix) -> None:
        """The year of a text as a distribution over the list's years, with "unknown" as a class
        of its own (lists leave some years blank, and not at random): the chance that a query
        comes after an owner's last known project, and that its year is blank like theirs."""
        years = self._ix.years[rows].astype(np.int64)
        self.year_classes = np.unique(np.where(years > 0, years, 0))
        self._ycls_w: F32 | None = None
        self._ycls_b = np.zeros(0, dtype=np.float32)
        self.year_cls_oof: F32 | None = None
        if len(self.year_classes) < 2:
            return
        y = np.searchsorted(self.year_classes, np.where(years > 0, years, 0))
        n_cls = len(self.year_classes)
        fit = self._fit_sample(len(y))
        model = self._classifier().fit(*((x, y) if fit is None else (x[fit], y[fit])))
        self._ycls_w, self._ycls_b = self._term_major(model, x.shape[1], n_cls, -30.0)
        self.year_cls_oof = np.zeros((len(self.owner_of), n_cls), dtype=np.float32)
        self.year_cls_oof[rows] = _out_of_sample(x, y, self._fit_proba(n_cls), self.config.oof_folds, fit,
                                                 self._proba_of(model, n_cls))

    def _fit_dense(self, rows: I64, x: sp.csr_matrix) -> None:
        """LSA: a truncated SVD of the tf-idf matrix (an owner is the sum of their documents: `features`)."""
        dim = self.config.dense_dim
        self._svd_w: F32 | None = None
        self.doc_vec = np.zeros((len(self.owner_of), 0), dtype=np.float32)
        if dim <= 0 or len(rows) < dim * 2:
            return
        svd = TruncatedSVD(n_components=dim, algorithm="randomized", n_iter=4, random_state=0)
        fit = self._fit_sample(len(rows))  # a large list: the topics of a sample, every document projected
        vec = _l2((svd.fit_transform(x) if fit is None else svd.fit(x[fit]).transform(x)).astype(np.float32))
        self._svd_w = np.ascontiguousarray(svd.components_.T, dtype=np.float32)
        self.doc_vec = np.zeros((len(self.owner_of), dim), dtype=np.float32)
        self.doc_vec[rows] = vec

    # --- features -----------------------------------------------------------------------------

    def _query_vectors(self, text: str) -> tuple[I32, F32, F32, F32, float, F32]:
        """Term ids and counts, predicted discipline distribution, LSA vector, predicted year and
        year-class distribution of a query."""
        tids, qtf = self._ix.query_terms(text)
        n_lab = max(len(self.disciplines), 1)
        if len(tids) == 0:
            return (tids, qtf, np.zeros(n_lab, np.float32), np.zeros(self.doc_vec.shape[1], np.float32), 0.0,
                    np.zeros(0, np.float32))
        x = self._weigh(tids, qtf, np.asarray([0, len(tids)], dtype=np.int64))
        cols, vals = x.indices, x.data.astype(np.float32)
        if self._disc_w is not None:
            disc = _ovr_proba(vals @ self._disc_w[cols] + self._disc_b)
        else:
            disc = self.disc_prior.astype(np.float32)
        dense = _l2(vals @ self._svd_w[cols]) if self._svd_w is not None else np.zeros(0, np.float32)
        year = float(vals @ self.year_w[cols]) + self.year_b if self.year_w is not None else 0.0
        year_p = _ovr_proba(vals @ self._ycls_w[cols] + self._ycls_b) if self._ycls_w is not None else np.zeros(0, np.float32)
        return tids, qtf, disc, dense, year, year_p

    def features(self, text: str, held_out: int | None = None) -> tuple[I64, F64]:
        """Pool of owner codes and their feature matrix (columns in :data:`FEATURES` order) for
        one query.  ``held_out``: a row treated as absent (the owner's latest document, when it
        is a training pseudo-query): its owner's and organisation's counts are recomputed
        without it, and the query's predictions come from the out-of-fold models."""
        tids, qtf, disc_q, dense_q, year_q, year_p = self._query_vectors(text)
        gone = np.asarray([held_out] if held_out is not None else [], dtype=np.int64)
        if held_out is not None and self.disc_oof is not None and self.row_disc[held_out] >= 0:
            disc_q = self.disc_oof[held_out]
        if held_out is not None and self.year_w is not None:
            year_q = float(self.year_oof[held_out])
        if held_out is not None and self.year_cls_oof is not None:
            year_p = self.year_cls_oof[held_out]
        scores = self._ix.score_terms(tids, qtf)
        scores[gone] = 0.0
        rows = np.flatnonzero(scores > 0)
        rows = rows[self.owner_of[rows] >= 0]
        if len(rows) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES)), dtype=np.float64)
        cfg = self.config
        n_own = len(self.owners)
        s = scores[rows]
        own = self.owner_of[rows]
        qmax = float(s.max())
        agg = aggregate_by_owner(s, own, n_own, with_order=False)
        k = min(cfg.pool, int((agg.decay > 0).sum()))
        pool = np.argpartition(-agg.decay, k - 1)[:k].astype(np.int64)
        pool = pool[np.argsort(-agg.decay[pool], kind="stable")]
        # Organisation match: the organisation's summed scores, per document it has.
        orgs = self.org_of_row[rows]
        n_org = len(self.n_org_docs)
        org_sum = np.bincount(orgs[orgs >= 0], weights=s[orgs >= 0].astype(np.float64), minlength=n_org)
        n_docs = self.n_docs[pool].copy()
        disc_counts = self.disc_counts[pool].toarray().astype(np.float64)
        last_year = self.last_year[pool].astype(np.float64)
        first_year = self.first_year[pool].astype(np.float64)
        unknown = self.n_unknown_year[pool].copy()
        # The pool's documents' LSA vectors, read once: each owner's best document (dense_max) and their sum (the
        # owner's profile), added in row order — the sums a per-owner matrix saved at the build held, to the bit.
        pool_rows, pool_slot = self._pool_rows(pool)
        pool_vecs = self.doc_vec[pool_rows]
        owner_vec = np.zeros((len(pool), pool_vecs.shape[1]), dtype=np.float32)
        np.add.at(owner_vec, pool_slot, pool_vecs)
        org_docs = self.n_org_docs.copy()
        org_multi = self.org_multi.copy()
        if held_out is not None:
            ho_owner = int(self.owner_of[held_out])
            where = np.flatnonzero(pool == ho_owner)
            if self.org_of_row[held_out] >= 0:
                org_docs[self.org_of_row[held_out]] -= 1
            if self.n_docs[ho_owner] >= 2 > self.n_docs[ho_owner] - 1 and self.owner_org[ho_owner] >= 0:
                org_multi[self.owner_org[ho_owner]] -= 1
            if len(where):
                j = int(where[0])
                n_docs[j] -= 1
                if self.row_disc[held_out] >= 0:
                    disc_counts[j, self.row_disc[held_out]] -= 1
                mine = self.owner_rows[self.owner_ptr[ho_owner] : self.owner_ptr[ho_owner + 1]]
                mine = mine[mine != held_out]
                yrs = self._ix.years[mine]
                last_year[j] = float(yrs.max()) if len(yrs) else 0.0
                first_year[j] = float(yrs[yrs > 0].min()) if bool((yrs > 0).any()) else 0.0
                unknown[j] = float((yrs <= 0).sum())
                if owner_vec.shape[1]:
                    owner_vec = owner_vec.copy()
                    owner_vec[j] -= self.doc_vec[gone].sum(axis=0)
        zero = np.zeros(len(pool), dtype=np.float64)
        f: dict[str, npt.NDArray[Any]] = {}
        f["bm25_max"] = agg.max[pool] / qmax
        f["bm25_decay"] = agg.decay[pool] / qmax
        f["bm25_sum"] = np.log1p(agg.sum[pool] / qmax)
        f["bm25_top_rank"] = -np.log1p(np.arange(len(pool), dtype=np.float64))
        if len(dense_q) and owner_vec.shape[1]:
            # dense_max: best single document; dense_centroid: the owner's whole profile
            f["dense_max"] = self._dense_max(pool_rows, pool_slot, pool_vecs, len(pool), dense_q, gone)
            f["dense_centroid"] = _l2(owner_vec) @ dense_q
        f["log_docs"] = np.log1p(np.maximum(n_docs, 0.0))
        prior = cfg.discipline_pseudo_docs
        dist = (disc_counts + prior * self.disc_prior[None, :]) / (np.maximum(n_docs, 0.0)[:, None] + prior)
        f["discipline_agree"] = np.log(np.maximum(dist @ disc_q.astype(np.float64), 1e-6))
        known = last_year > 0
        scale = cfg.year_scale
        f["recency"] = np.where(known, np.clip((last_year - self.year_ref) / scale, -3.0, 1.0), 0.0)
        f["year_known"] = known.astype(np.float64)
        org = self.owner_org[pool]
        has_org = org >= 0
        od = np.where(has_org, org_docs[np.maximum(org, 0)], 0.0)
        osum = np.where(has_org, org_sum[np.maximum(org, 0)], 0.0) - agg.sum[pool]
        f["org_match"] = np.where(od > n_docs, np.log1p(np.maximum(osum, 0.0) / qmax) / np.log1p(np.maximum(od - n_docs, 1.0)), 0.0)
        f["log_org_docs"] = np.log1p(np.maximum(od, 0.0))
        f["profile_cover"] = self._coverage(tids, qtf, gone, len(pool), pool_rows, pool_slot)
        f["first_year"] = np.where(first_year > 0, np.clip((first_year - self.year_ref) / scale, -3.0, 1.0), 0.0)
        f["unknown_year_share"] = unknown / np.maximum(n_docs, 1.0)
        if self.year_w is not None:
            f["query_year_gap"] = np.where(known, np.clip((year_q - last_year) / scale, -3.0, 3.0), 0.0)
        # the rate among the organisation's other owners (this owner left out), smoothed
        # towards the whole list's rate
        own_multi = (n_docs >= 2).astype(np.float64)
        others = np.where(has_org, self.org_owners[np.maximum(org, 0)] - 1.0, 0.0)
        multi = np.where(has_org, org_multi[np.maximum(org, 0)] - own_multi, 0.0)
        pseudo = cfg.repeat_pseudo_owners
        f["org_repeat_rate"] = (multi + pseudo * self.multi_rate) / (others + pseudo)
        if len(year_p):
            after = np.cumsum(year_p[::-1])[::-1]  # after[i] = P(year >= classes[i])
            at = np.searchsorted(self.year_classes, last_year.astype(np.int64))
            f["year_after_prob"] = np.where(known, after[np.minimum(at, len(after) - 1)] * (at < len(after)), 1.0)
            f["query_unknown_year_prob"] = zero + (float(year_p[0]) if self.year_classes[0] == 0 else 0.0)
        # Namesakes (same person key, other organisations): how many, their best match, their
        # documents — a researcher who moved keeps their topics.
        person = self.person[pool]
        f["namesakes"] = np.log1p(self.person_owners[person] - 1.0)
        f["namesake_match"] = self._namesake_best(agg.max, pool) / qmax
        f["namesake_docs"] = np.log1p(self.person_docs[person] - self.n_docs[pool])
        feats = np.zeros((len(pool), len(FEATURES)), dtype=np.float64)
        for i, name in enumerate(FEATURES):
            if name in f:
                feats[:, i] = f[name]
        return pool, feats

    def _namesake_best(self, agg_max: F64, pool: I64) -> F64:
        """For each pool owner, the best single-document score among its namesakes (itself excluded)."""
        cand = np.flatnonzero(agg_max > 0)  # the owners with a matching row (each scored > 0) ...
        wanted = np.zeros(len(self.person_owners), dtype=np.bool_)
        wanted[self.person[pool]] = True
        cand = cand[wanted[self.person[cand]]]  # ... of the pool's persons: the only groups read
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

    def _coverage(self, tids: I32, qtf: F32, gone: I64, n_pool: int, rows: I64, slot: I64) -> F64:
        """For each pool owner, the share of the query's idf mass present anywhere in its
        documents: the owner's whole profile as one document, so terms split over several
        titles count.  Read from the pool's own rows (forward postings), not the terms' posting
        lists, which on a large index hold hundreds of thousands of other owners' rows (``rows``, ``slot``:
        `_pool_rows`)."""
        mass = self._ix.idf(tids) * qtf.astype(np.float64)
        total = float(mass.sum())
        if total <= 0 or n_pool == 0:
            return np.zeros(n_pool, dtype=np.float64)
        keep = self._ix.alive[rows] & ~np.isin(rows, gone)
        rows, slot = rows[keep], slot[keep]
        pos, terms = self._ix.rows_terms(rows)
        order = np.argsort(tids, kind="stable")
        sorted_tids = tids[order]
        at = np.minimum(np.searchsorted(sorted_tids, terms), len(tids) - 1)
        hit = sorted_tids[at] == terms
        j = order[at[hit]].astype(np.int64)  # query position of each matching term
        has = np.zeros((len(tids), n_pool), dtype=np.bool_)  # query term × pool owner: present anywhere
        has[j, slot[pos[hit]]] = True
        cover = np.zeros(n_pool, dtype=np.float64)
        for k in range(len(tids)):  # term by term, in order: the same sums as adding each owner's terms in turn
            cover += np.where(has[k], mass[k], 0.0)
        return cover / total

    def _pool_rows(self, pool: I64) -> tuple[I64, I64]:
        """The rows of the pool's owners (each owner's in row order, deleted ones included) and each row's position in
        the pool."""
        counts = self.n_docs[pool].astype(np.int64)
        rows = self.owner_rows[run_positions(self.owner_ptr[pool], counts)]
        return rows, np.repeat(np.arange(len(pool), dtype=np.int64), counts)

    @staticmethod
    def _dense_max(rows: I64, slot: I64, vecs: F32, n_pool: int, dense_q: F32, gone: I64) -> F64:
        """For each pool owner, the best cosine between the query and one of its documents (``gone`` left out)."""
        keep = ~np.isin(rows, gone)
        sims = vecs[keep] @ dense_q
        best = np.full(n_pool, -1.0, dtype=np.float64)
        np.maximum.at(best, slot[keep], sims.astype(np.float64))
        return np.where(best < -0.5, 0.0, best)

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
        doc_scores = self._ix.score_terms(*self._ix.query_terms(text)) if with_docs > 0 else None
        hits = []
        for i in order.tolist():
            o = int(pool[i])
            docs: list[str] = []
            if doc_scores is not None:
                rows = self.owner_rows[self.owner_ptr[o] : self.owner_ptr[o + 1]]
                rows = rows[doc_scores[rows] > 0]
                best = rows[np.argsort(-doc_scores[rows], kind="stable")[:with_docs]]
                docs = [self._ix.id_of(int(r)) for r in best]
            hits.append(ExpertHit(self.owners[o], float(score[i]), docs))
        return hits

    def pseudo_queries(self, n_queries: int | None = None) -> list[tuple[F64, int]]:
        """Training material: for owners with at least two documents, their latest document is
        the query and is held out.  Returns (pool features, position of the owner or -1) pairs."""
        rng = np.random.default_rng(self.config.seed)
        n_q = n_queries or self._train_queries()
        years = self._ix.years
        eligible = np.flatnonzero(self.n_docs >= 2)
        take = min(n_q, len(eligible))
        chosen = rng.choice(eligible, size=take, replace=False) if take else np.zeros(0, np.int64)
        held: list[tuple[int, int]] = []
        for o in chosen.tolist():
            mine = self.owner_rows[self.owner_ptr[o] : self.owner_ptr[o + 1]]
            mine = mine[np.lexsort((mine, years[mine]))]  # oldest first; unknown years (0) first
            held.append((o, int(mine[-1])))
        if self.workers > 1 and len(held) >= 2 * PARALLEL_MIN_QUERIES and "fork" in mp.get_all_start_methods():
            return _in_forked_workers(self, held)
        return self._pseudo_features(held)

    def _train_queries(self) -> int:
        """How many pseudo-queries to draw: ``train_queries``, fewer above ``fit_max_rows`` documents."""
        cfg = self.config
        n_rows = int((self._ix.alive & (self.owner_of >= 0)).sum())
        if cfg.fit_max_rows <= 0 or n_rows <= cfg.fit_max_rows:
            return cfg.train_queries
        scaled = round(cfg.train_queries * cfg.fit_max_rows / n_rows)
        return max(min(cfg.min_train_queries, cfg.train_queries), scaled)

    def _pseudo_features(self, held: Sequence[tuple[int, int]]) -> list[tuple[F64, int]]:
        """(pool features, position of the owner or -1) of each (owner, held-out row) pseudo-query."""
        out: list[tuple[F64, int]] = []
        for o, row in held:
            doc = self._ix.get_row(row)
            pool, feats = self.features(normalise(doc.title or doc.text), held_out=row)
            pos = np.flatnonzero(pool == o)
            out.append((feats, int(pos[0]) if len(pos) else -1))
        return out

    def fit_ranker(self, material: Sequence[tuple[F64, int]]) -> int:
        """Two models on the true owner (1) against random members of its pool (0), averaged in
        log-odds: gradient-boosted trees (the features interact: an extra past project matters
        when the text scores are close, not when they are far apart; ``bags`` models, each on its
        own sample of negatives, are averaged: less variance from one grant list to the next),
        and an additive model — each feature through a cubic spline, logistic regression —
        smooth where the trees are stepwise (on the development splits it beat the trees alone,
        and the average of both beat either).  Returns how many pseudo-queries found their
        owner in the pool (the positives)."""
        cfg = self.config
        found = [(feats, p) for feats, p in material if p >= 0]
        self.trees = None
        self.additive = None
        if len(found) < cfg.min_train_positives:  # too little to learn from: hand-set weights
            return len(found)
        models = []
        for bag in range(cfg.bags):
            x, y = _sample_negatives(found, cfg.negatives, np.random.default_rng(cfg.seed + bag))
            model = HistGradientBoostingClassifier(
                learning_rate=cfg.tree_learning_rate, max_iter=cfg.trees, max_leaf_nodes=cfg.tree_leaves,
                min_samples_leaf=cfg.tree_min_leaf, l2_regularization=cfg.tree_l2, random_state=cfg.seed + bag,
                monotonic_cst=[int(cfg.monotone and f in MONOTONE_INCREASING) for f in FEATURES],
            )
            # OpenMP threads only pay off on large training sets
            with threadpool_limits(None if len(x) > 50_000 else 1):
                models.append(model.fit(x, y))
        self.trees = _Trees.from_models(models)
        x, y = _sample_negatives(found, cfg.additive_negative_ratio * cfg.negatives, np.random.default_rng(cfg.seed))
        additive = make_pipeline(StandardScaler(), SplineTransformer(n_knots=cfg.spline_knots, degree=cfg.spline_degree),
                                 LogisticRegression(C=cfg.additive_c, max_iter=cfg.additive_max_iter))
        with threadpool_limits(1):
            additive.fit(x, y)
        self.additive = _Additive.from_pipeline(additive)
        return len(found)

    def train(self, n_queries: int | None = None) -> dict[str, float]:
        """Learn the ranker from the indexed owners themselves (see the module docstring)."""
        material = self.pseudo_queries(n_queries)
        used = self.fit_ranker(material)
        return {"pseudo_queries": float(len(material)), "owner_in_pool": float(used)}

    def score_pool(self, feats: F64) -> F64:
        if self.trees is not None and len(feats):
            # one thread: OpenMP start-up costs more than 1 500 rows of trees, and cores are shared
            with _threads().limit(limits=1):
                trees = self.trees.log_odds(feats)
                if self.additive is None:
                    return trees
                w = self.config.tree_weight
                return np.asarray(w * trees + (1.0 - w) * self.additive.decision(feats), dtype=np.float64)
        return np.asarray(feats @ self.weights, dtype=np.float64)

    # --- persistence --------------------------------------------------------------------------

    def save(self, folder: str | os.PathLike[str]) -> Path:
        """Write the index and this finder into ``folder`` (the index's files, ``experts.json``
        and ``experts/*.npy``; no pickle).  :meth:`load` reads both back."""
        ix = self.index
        if (len(self.owner_of), len(self.owners), ix.reader.n_terms) != self._shape or not bool(np.all(ix.reader.alive)):
            raise ValueError("索引在建立专家排序器之后被修改过（增删或更新了文档）：请重新建立并训练后再保存")
        out = Path(folder)
        ix.save(out)
        arrays: dict[str, npt.NDArray[Any] | None] = {
            "person": self.person, "idf": self._idf,
            "disc_w": self._disc_w, "disc_b": self._disc_b, "disc_oof": self.disc_oof,
            "year_w": self.year_w, "year_oof": self.year_oof,
            "year_classes": self.year_classes, "ycls_w": self._ycls_w, "ycls_b": self._ycls_b,
            "year_cls_oof": self.year_cls_oof,
            "svd_w": self._svd_w, "doc_vec": self.doc_vec,
        }
        if self.trees is not None:
            arrays.update(self.trees.arrays())
        if self.additive is not None:
            arrays.update(self.additive.arrays())
        (out / SAVE_DIR).mkdir(exist_ok=True)
        for stale in (out / SAVE_DIR).glob("*.npy"):
            stale.unlink()
        for name, arr in arrays.items():
            if arr is not None:
                np.save(out / SAVE_DIR / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        meta = {"format": SAVE_FORMAT, "config": {**asdict(self.config), "weights": dict(self.config.weights)},
                "year_b": self.year_b, "shape": list(self._shape),
                "arrays": sorted(k for k, v in arrays.items() if v is not None)}
        (out / SAVE_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return out

    @classmethod
    def load(cls, folder: str | os.PathLike[str], on_disk: bool = True) -> ExpertFinder:
        """A finder written by :meth:`save`, with its index; ranks exactly as it did when saved.
        With ``on_disk`` the large matrices stay in their files and are read as queries need them (`DiskArray`)."""
        src = Path(folder)
        try:
            meta = json.loads((src / SAVE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ValueError(f"{src}: 没有可读的专家排序器（{SAVE_FILE}）: {e}") from None
        if not isinstance(meta, dict) or meta.get("format") != SAVE_FORMAT:
            raise ValueError(f"{src / SAVE_FILE}: 专家排序器格式版本不兼容（应为 {SAVE_FORMAT}）")
        index = Index.load(src, on_disk=on_disk)
        names = set(meta["arrays"])

        def arr(name: str) -> Any:
            if name not in names:
                return None
            if on_disk and name in ON_DISK:
                return DiskArray(src / SAVE_DIR / f"{name}.npy")
            return np.load(src / SAVE_DIR / f"{name}.npy", allow_pickle=False)

        finder = cls.__new__(cls)
        finder.index = index
        finder.workers = 1
        finder.config = ExpertFinderConfig(**meta["config"])
        finder._describe_owners(np.asarray(arr("person"), dtype=np.int64))
        if list(finder._shape) != list(meta["shape"]):
            raise ValueError(f"{src}: 专家排序器与索引不匹配，请重新训练")
        finder._idf = np.asarray(arr("idf"), dtype=np.float64)
        finder._disc_w, finder._disc_b, finder.disc_oof = arr("disc_w"), np.asarray(arr("disc_b")), arr("disc_oof")
        finder.year_w, finder.year_b, finder.year_oof = arr("year_w"), float(meta["year_b"]), np.asarray(arr("year_oof"))
        finder.year_classes = np.asarray(arr("year_classes"))
        finder._ycls_w, finder._ycls_b, finder.year_cls_oof = arr("ycls_w"), np.asarray(arr("ycls_b")), arr("year_cls_oof")
        finder._svd_w, finder.doc_vec = arr("svd_w"), arr("doc_vec")
        finder.trees = _Trees.from_arrays(arr) if "tree_nodes" in names else None
        finder.additive = _Additive.from_arrays(arr) if "additive_coef" in names else None
        return finder


# --- shared pieces ------------------------------------------------------------------------------

#: fewer pseudo-queries per worker than this are not worth a fork
PARALLEL_MIN_QUERIES = 200
_WORKER_FINDER: ExpertFinder | None = None


def _pseudo_chunk(held: Sequence[tuple[int, int]]) -> list[tuple[F64, int]]:
    assert _WORKER_FINDER is not None
    with threadpool_limits(1):  # one BLAS thread per process: the processes share the cores
        return _WORKER_FINDER._pseudo_features(held)


def _in_forked_workers(finder: ExpertFinder, held: Sequence[tuple[int, int]]) -> list[tuple[F64, int]]:
    """The pseudo-queries' features in ``finder.workers`` forked processes, which inherit the finder
    (nothing large is pickled to them), in the order given."""
    global _WORKER_FINDER
    n = finder.workers
    size = -(-len(held) // (4 * n))  # a few chunks per worker, so that one slow chunk does not hold the rest
    chunks = [held[i : i + size] for i in range(0, len(held), size)]
    _WORKER_FINDER = finder
    gc.freeze()  # objects that exist at the fork stay out of the workers' collections (no copy-on-write walk)
    try:
        with mp.get_context("fork").Pool(n) as pool:
            parts = pool.map(_pseudo_chunk, chunks, chunksize=1)
    finally:
        gc.unfreeze()
        _WORKER_FINDER = None
    return [item for part in parts for item in part]

def _out_of_fold(
    x: sp.csr_matrix, y: npt.NDArray[Any], fit_predict: Callable[[sp.csr_matrix, npt.NDArray[Any], sp.csr_matrix], Any],
    folds: int,
) -> npt.NDArray[Any]:
    """Predictions for every row of ``x`` from a model that did not see it: row i belongs to
    fold i mod ``folds`` and is predicted by the model fitted on the other folds."""
    fold = np.arange(x.shape[0]) % folds
    out: npt.NDArray[Any] | None = None
    for k in range(folds):
        test = fold == k
        pred = np.asarray(fit_predict(x[~test], y[~test], x[test]))
        if out is None:
            out = np.zeros((x.shape[0], *pred.shape[1:]), dtype=pred.dtype)
        out[test] = pred
    assert out is not None
    return out


def _out_of_sample(
    x: sp.csr_matrix, y: npt.NDArray[Any], fit_predict: Callable[[sp.csr_matrix, npt.NDArray[Any], sp.csr_matrix], Any],
    folds: int, fit: I64 | None, predict: Callable[[sp.csr_matrix], Any],
) -> npt.NDArray[Any]:
    """Predictions for every row of ``x`` from a model that did not see it: when the model was fitted
    on the rows ``fit`` only, the others are predicted by it (``predict``) and the rows of ``fit``
    out of fold; when on all rows (``fit`` None), all out of fold."""
    if fit is None:
        return _out_of_fold(x, y, fit_predict, folds)
    out = np.asarray(predict(x))
    out[fit] = _out_of_fold(x[fit], y[fit], fit_predict, folds)
    return out


def _sample_negatives(found: Sequence[tuple[F64, int]], n_neg: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """Pointwise training rows: each pseudo-query's true owner (1) and ``n_neg`` random other
    members of its pool (0)."""
    xs: list[F64] = []
    ys: list[F64] = []
    for feats, p in found:
        others = np.delete(np.arange(len(feats)), p)
        neg = rng.choice(others, size=min(n_neg, len(others)), replace=False)
        xs.extend([feats[[p]], feats[neg]])
        ys.extend([np.ones(1), np.zeros(len(neg))])
    return np.vstack(xs), np.concatenate(ys)


@functools.cache
def _threads() -> ThreadpoolController:
    """Found once: ``threadpool_limits()`` looks for the thread-pool libraries on every call
    (about 15 ms, per query)."""
    return ThreadpoolController()


def _ovr_proba(z: F32) -> F32:
    """One-vs-rest logistic scores → a distribution (normalised like scikit-learn's)."""
    p: F32 = (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)
    p /= max(float(p.sum()), 1e-12)
    return p


def _l2(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    scaled: npt.NDArray[np.float32] = (x / np.maximum(norms, 1e-12)).astype(np.float32)
    return scaled


class _Trees:
    """Bagged boosted-tree models as plain arrays, so that they save without pickle: each
    model's baseline and its trees' nodes (scikit-learn's node records), evaluated by
    scikit-learn's own tree predictor — the same numbers as ``predict_proba``."""

    def __init__(self, baselines: F64, nodes: npt.NDArray[Any], tree_ptr: I64, bag_ptr: I64) -> None:
        if nodes.dtype != PREDICTOR_RECORD_DTYPE:
            raise ValueError("保存的树模型与当前的 scikit-learn 版本不兼容，请重新训练")
        self.baselines, self.nodes, self.tree_ptr, self.bag_ptr = baselines, nodes, tree_ptr, bag_ptr
        no_categories = np.zeros((0, 8), dtype=np.uint32)
        trees = [TreePredictor(np.ascontiguousarray(nodes[a:b]), no_categories, no_categories)
                 for a, b in zip(tree_ptr[:-1].tolist(), tree_ptr[1:].tolist(), strict=True)]
        self._bags = [trees[a:b] for a, b in zip(bag_ptr[:-1].tolist(), bag_ptr[1:].tolist(), strict=True)]

    @classmethod
    def from_models(cls, models: Sequence[HistGradientBoostingClassifier]) -> _Trees:
        nodes: list[npt.NDArray[Any]] = []
        bag_ptr = [0]
        for m in models:
            for (tree,) in m._predictors:  # binary: one tree per iteration
                nodes.append(tree.nodes)
            bag_ptr.append(len(nodes))
        tree_ptr = np.zeros(len(nodes) + 1, dtype=np.int64)
        np.cumsum([len(n) for n in nodes], out=tree_ptr[1:])
        baselines = np.asarray([float(np.asarray(m._baseline_prediction).ravel()[0]) for m in models], dtype=np.float64)
        return cls(baselines, np.concatenate(nodes), tree_ptr, np.asarray(bag_ptr, dtype=np.int64))

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {"tree_baselines": self.baselines, "tree_nodes": self.nodes, "tree_ptr": self.tree_ptr,
                "tree_bag_ptr": self.bag_ptr}

    @classmethod
    def from_arrays(cls, arr: Callable[[str], Any]) -> _Trees:
        return cls(np.asarray(arr("tree_baselines"), dtype=np.float64), np.array(arr("tree_nodes")),
                   np.asarray(arr("tree_ptr"), dtype=np.int64), np.asarray(arr("tree_bag_ptr"), dtype=np.int64))

    def proba(self, x: F64) -> list[F64]:
        """Each model's P(owner) for the rows of ``x``."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        no_categories = np.zeros((0, 8), dtype=np.uint32)
        no_map = np.zeros(x.shape[1], dtype=np.uint32)
        out = []
        for base, trees in zip(self.baselines.tolist(), self._bags, strict=True):
            raw = np.zeros(len(x), dtype=np.float64)
            raw += base
            for tree in trees:
                raw += tree.predict(x, no_categories, no_map, 1)
            out.append(np.asarray(expit(raw), dtype=np.float64))
        return out

    def log_odds(self, x: F64) -> F64:
        p = np.clip(np.mean(self.proba(x), axis=0), 1e-9, 1.0 - 1e-9)
        return np.asarray(np.log(p) - np.log1p(-p), dtype=np.float64)


class _Additive:
    """The additive model (standardise → cubic splines → logistic regression) as arrays."""

    def __init__(self, mean: F64, scale: F64, knots: F64, degree: int, coef: F64, intercept: float) -> None:
        self.mean, self.scale, self.knots, self.degree = mean, scale, knots, degree
        self.coef, self.intercept = coef, intercept
        # Uniform knots are a function of each feature's range only: refitting on the two
        # extreme rows rebuilds the same splines.
        t0, t1 = knots[:, degree], knots[:, -degree - 1]
        self._spline = SplineTransformer(n_knots=knots.shape[1] - 2 * degree, degree=degree).fit(np.vstack([t0, t1]))
        if not all(np.array_equal(b.t, k) for b, k in zip(self._spline.bsplines_, knots, strict=True)):
            raise ValueError("保存的样条模型与当前的 scikit-learn 版本不兼容，请重新训练")

    @classmethod
    def from_pipeline(cls, pipe: Pipeline) -> _Additive:
        scaler, spline, logit = (step for _, step in pipe.steps)
        knots = np.vstack([b.t for b in spline.bsplines_]).astype(np.float64)
        return cls(np.asarray(scaler.mean_, dtype=np.float64), np.asarray(scaler.scale_, dtype=np.float64), knots,
                   int(spline.degree), np.asarray(logit.coef_, dtype=np.float64), float(logit.intercept_[0]))

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {"additive_mean": self.mean, "additive_scale": self.scale, "additive_knots": self.knots,
                "additive_coef": self.coef, "additive_intercept": np.asarray([self.intercept, self.degree], dtype=np.float64)}

    @classmethod
    def from_arrays(cls, arr: Callable[[str], Any]) -> _Additive:
        intercept, degree = np.asarray(arr("additive_intercept"), dtype=np.float64).tolist()
        return cls(np.asarray(arr("additive_mean")), np.asarray(arr("additive_scale")), np.asarray(arr("additive_knots")),
                   int(degree), np.asarray(arr("additive_coef")), float(intercept))

    def decision(self, x: F64) -> F64:
        z = (x - self.mean) / self.scale
        s = self._spline.transform(z)
        return np.asarray((s @ self.coef.T + self.intercept).ravel(), dtype=np.float64)


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
