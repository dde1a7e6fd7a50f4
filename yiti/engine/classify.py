"""Tagging: assign discipline (or industry) codes to free text, learned from coded records.

Needs, results and talents often arrive without a discipline code; this module learns the codes
from the records that have them and suggests codes (with a confidence) for the rest.

Method (measured in ``bench/classify_bench.py``; numbers in ``docs/benchmarks.md``):

* **Features** — two TF-IDF blocks (sublinear tf, smoothed idf, each block L2-normalised) over the
  normalised text (:func:`yiti.engine.text.normalise`): character 1–2-grams, which need no
  segmentation and survive abstracts cut mid-word, and jieba words
  (:class:`yiti.engine.text.Analyser`, stopwords dropped), which carry whole terms.
* **Label names** — each label's own name (e.g. "食品科学与工程") is one extra training document,
  so a label seen once or twice still has its defining words.
* **Classifier** — one-vs-rest linear SVM (scikit-learn ``LinearSVC``, C = 1).
* **Hierarchical self-training** — when extra texts are given that carry only a *parent* label
  (e.g. 8 000 titles with their 13-class category, no discipline), each is pseudo-labelled
  with the highest-scoring child label *of its known parent* and the SVM is retrained with those
  documents at weight 0.3.  The parent constraint is what makes the pseudo-labels good enough to
  help: the 1 000 labelled papers alone leave most of the vocabulary unseen.
* **Confidence** — softmax of the SVM scores with one temperature fitted on out-of-fold scores
  (3-fold cross-validation of the labelled data), so ``top_k`` probabilities are calibrated
  roughly rather than arbitrary.

Saved models are a folder with ``model.json`` (settings, labels, vocabularies) and
``weights.npz`` (idf, coefficients; loaded with ``allow_pickle=False``): no pickle, so a model
file cannot execute code when loaded.

CLI: ``python -m yiti.engine classify ...`` (in ``cli.py``, which reads JSONL for every command)::

    python -m yiti.engine classify --train train.jsonl --label discipline \\
        --text-fields title,abstract --predict test.jsonl --out predictions.jsonl \\
        [--parent-label category --extra titles.jsonl] [--top-k 3] [--save-model DIR]

Malformed JSONL lines: by default the command reports every malformed line as
``file:line: reason`` on stderr and exits with status 2 without writing anything — a silently
dropped training line changes the model and a dropped prediction line loses an id.  With
``--skip-bad-lines`` each malformed line is reported and skipped.
"""

from __future__ import annotations

import json
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .text import Analyser, normalise

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

FORMAT = "yiti.classify/1"
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"


@dataclass(frozen=True)
class ClassifierConfig:
    """Fixed hyper-parameters: common defaults, kept after the comparisons in docs/benchmarks.md."""

    char_ngrams: tuple[int, int] = (1, 2)
    word_weight: float = 1.0  # weight of the jieba-word block next to the character block
    C: float = 1.0  # LinearSVC regularisation
    label_name_docs: bool = True  # add each label's name as a training document
    extra_weight: float = 0.3  # weight of pseudo-labelled extra documents
    calibration_folds: int = 3  # 0 or 1: no calibration (temperature 1)
    max_iter: int = 2000
    seed: int = 0


# --------------------------------------------------------------------------- features


_WORDS: list[Analyser] = []


def _word_analyser() -> Analyser:
    """One shared word analyser: loading jieba's dictionary costs about a second."""
    if not _WORDS:
        _WORDS.append(Analyser(bigrams=False))
    return _WORDS[0]


class _Featuriser:
    """Character n-gram and word TF-IDF blocks with an explicit, saveable vocabulary."""

    def __init__(self, config: ClassifierConfig) -> None:
        self.config = config
        self.analyser = _word_analyser()
        self.char_vocab: dict[str, int] = {}
        self.word_vocab: dict[str, int] = {}
        self.char_idf: F32 = np.zeros(0, dtype=np.float32)
        self.word_idf: F32 = np.zeros(0, dtype=np.float32)

    # -- terms
    def char_terms(self, norm: str) -> list[str]:
        lo, hi = self.config.char_ngrams
        text = norm.replace(" ", "")
        out: list[str] = []
        for n in range(lo, hi + 1):
            out.extend(text[i : i + n] for i in range(len(text) - n + 1))
        return out

    def terms(self, text: str) -> tuple[list[str], list[str]]:
        norm = normalise(text)
        if not norm:
            return [], []
        return self.char_terms(norm), self.analyser.words_of(norm)

    # -- fitting
    @staticmethod
    def _vocab_idf(docs: Sequence[list[str]]) -> tuple[dict[str, int], F32]:
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(d))
        vocab = {t: i for i, t in enumerate(sorted(df))}
        n = len(docs)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32)
        return vocab, idf

    def fit(self, term_lists: Sequence[tuple[list[str], list[str]]]) -> None:
        self.char_vocab, self.char_idf = self._vocab_idf([c for c, _ in term_lists])
        self.word_vocab, self.word_idf = self._vocab_idf([w for _, w in term_lists])

    @property
    def n_features(self) -> int:
        return len(self.char_vocab) + len(self.word_vocab)

    # -- transforming
    @staticmethod
    def _block(docs: Iterable[list[str]], vocab: Mapping[str, int], idf: F32, weight: float) -> sp.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        for d in docs:
            counts = Counter(vocab[t] for t in d if t in vocab)
            cols = sorted(counts)
            vals = np.array([1.0 + math.log(counts[c]) for c in cols], dtype=np.float64)
            if cols:
                vals *= idf[cols]
                norm = float(np.sqrt(np.dot(vals, vals)))
                if norm > 0:
                    vals *= weight / norm
            indices.extend(cols)
            values.extend(vals.tolist())
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(indptr) - 1, len(vocab)),
        )

    def transform_terms(self, term_lists: Sequence[tuple[list[str], list[str]]]) -> sp.csr_matrix:
        a = self._block((c for c, _ in term_lists), self.char_vocab, self.char_idf, 1.0)
        b = self._block((w for _, w in term_lists), self.word_vocab, self.word_idf, self.config.word_weight)
        return sp.csr_matrix(sp.hstack([a, b], format="csr"))

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        return self.transform_terms([self.terms(t) for t in texts])


# --------------------------------------------------------------------------- model


def _softmax(scores: F64, temperature: float) -> F64:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: F64 = e / e.sum(axis=1, keepdims=True)
    return out


class TextClassifier:
    """A trained linear text classifier: labels, featuriser and weights."""

    def __init__(
        self,
        labels: Sequence[str],
        featuriser: _Featuriser,
        coef: F32,
        intercept: F32,
        temperature: float = 1.0,
        info: Mapping[str, Any] | None = None,
    ) -> None:
        if coef.shape != (len(labels), featuriser.n_features) or intercept.shape != (len(labels),):
            raise ValueError("权重与标签和词表不匹配")
        self.labels: list[str] = list(labels)
        self.featuriser = featuriser
        self.coef: F32 = coef
        self.intercept: F32 = intercept
        self.temperature = float(temperature)
        self.info: dict[str, Any] = dict(info or {})

    @property
    def config(self) -> ClassifierConfig:
        return self.featuriser.config

    def decision_function(self, texts: Sequence[str]) -> F64:
        """Raw SVM scores, shape (len(texts), len(labels))."""
        x = self.featuriser.transform(texts)
        scores = np.asarray(x @ self.coef.T, dtype=np.float64) + self.intercept.astype(np.float64)
        return scores

    def predict_proba(self, texts: Sequence[str]) -> F64:
        """Probabilities (temperature-scaled softmax of the scores); rows sum to 1."""
        return _softmax(self.decision_function(texts), self.temperature)

    def predict(self, texts: Sequence[str]) -> list[str]:
        if len(texts) == 0:
            return []
        best = self.decision_function(texts).argmax(axis=1)
        return [self.labels[int(i)] for i in best]

    def top_k(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most likely labels with their probability, most likely first."""
        if k <= 0:
            return []
        p = self.predict_proba([text])[0]
        order = np.argsort(-p, kind="stable")[:k]
        return [(self.labels[int(i)], float(p[i])) for i in order]

    # -- persistence
    def save(self, folder: str | Path) -> Path:
        """Write ``model.json`` and ``weights.npz`` into ``folder`` (created if needed)."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        f = self.featuriser
        meta = {
            "format": FORMAT,
            "config": asdict(self.config),
            "labels": self.labels,
            "temperature": self.temperature,
            "char_vocab": sorted(f.char_vocab, key=f.char_vocab.__getitem__),
            "word_vocab": sorted(f.word_vocab, key=f.word_vocab.__getitem__),
            "info": self.info,
        }
        (path / MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        with open(path / WEIGHTS_FILE, "wb") as fh:
            np.savez_compressed(
                fh, coef=self.coef, intercept=self.intercept, char_idf=f.char_idf, word_idf=f.word_idf
            )
        return path

    @classmethod
    def load(cls, folder: str | Path) -> TextClassifier:
        path = Path(folder)
        meta = json.loads((path / MODEL_FILE).read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError(f"{path / MODEL_FILE}: 不是 {FORMAT} 模型")
        raw = dict(meta["config"])
        raw["char_ngrams"] = tuple(raw["char_ngrams"])
        config = ClassifierConfig(**raw)
        f = _Featuriser(config)
        f.char_vocab = {t: i for i, t in enumerate(meta["char_vocab"])}
        f.word_vocab = {t: i for i, t in enumerate(meta["word_vocab"])}
        with np.load(path / WEIGHTS_FILE, allow_pickle=False) as z:
            f.char_idf = np.asarray(z["char_idf"], dtype=np.float32)
            f.word_idf = np.asarray(z["word_idf"], dtype=np.float32)
            coef = np.asarray(z["coef"], dtype=np.float32)
            intercept = np.asarray(z["intercept"], dtype=np.float32)
        return cls(meta["labels"], f, coef, intercept, float(meta["temperature"]), meta.get("info"))


def load(folder: str | Path) -> TextClassifier:
    """Load a model written by :meth:`TextClassifier.save`."""
    return TextClassifier.load(folder)


# --------------------------------------------------------------------------- training


def _fit_svm(
    x: sp.csr_matrix, y: Sequence[str], weights: F64 | None, config: ClassifierConfig
) -> tuple[list[str], F64, F64]:
    """One-vs-rest LinearSVC; returns (classes, coef [n_classes × n_features], intercept)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=config.C, max_iter=config.max_iter, random_state=config.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        svm.fit(x, np.asarray(y), sample_weight=weights)
    classes = [str(c) for c in svm.classes_]
    coef = np.asarray(svm.coef_, dtype=np.float64)
    intercept = np.asarray(svm.intercept_, dtype=np.float64)
    if len(classes) == 2:  # binary LinearSVC keeps one row: score > 0 means classes[1]
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return classes, coef, intercept


def _scores(x: sp.csr_matrix, coef: F64, intercept: F64) -> F64:
    out: F64 = np.asarray(x @ coef.T, dtype=np.float64) + intercept
    return out


def _fit_temperature(scores: F64, truth: npt.NDArray[np.int64]) -> float:
    """Temperature minimising the negative log-likelihood of the true labels (grid in log space)."""
    best_t, best_nll = 1.0, math.inf
    for t in np.exp(np.linspace(math.log(0.02), math.log(5.0), 81)):
        p = _softmax(scores, float(t))
        nll = -float(np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def _calibrate(x: sp.csr_matrix, y: Sequence[str], n_folds: int, config: ClassifierConfig) -> float:
    """Fit the softmax temperature on out-of-fold scores of the labelled documents."""
    n = x.shape[0]
    if n_folds < 2 or n < 2 * n_folds:
        return 1.0
    rng = np.random.default_rng(config.seed)
    fold_of = rng.permutation(n) % n_folds
    rows: list[F64] = []
    truth: list[int] = []
    for k in range(n_folds):
        tr = [int(i) for i in np.flatnonzero(fold_of != k)]
        te = [int(i) for i in np.flatnonzero(fold_of == k)]
        ytr = [y[i] for i in tr]
        if len(set(ytr)) < 2:
            return 1.0
        classes, coef, intercept = _fit_svm(x[tr], ytr, None, config)
        pos = {c: i for i, c in enumerate(classes)}
        keep = [i for i in te if y[i] in pos]
        if not keep:
            continue
        # Scores over this fold's own classes; folds may know different numbers of classes,
        # so rows are padded below with scores so low they take no probability.
        rows.append(_scores(x[keep], coef, intercept))
        truth.extend(pos[y[i]] for i in keep)
    if not rows:
        return 1.0
    width = max(r.shape[1] for r in rows)
    mat = np.vstack([np.pad(r, ((0, 0), (0, width - r.shape[1])), constant_values=-1e3) for r in rows])
    return _fit_temperature(mat, np.asarray(truth, dtype=np.int64))


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    parents: Mapping[str, str] | None = None,
    extra_texts: Sequence[str] = (),
    extra_parents: Sequence[str] = (),
    label_names: Mapping[str, str] | None = None,
    config: ClassifierConfig | None = None,
) -> TextClassifier:
    """Train a classifier from ``texts`` and their ``labels``.

    ``parents`` maps each label to its parent (discipline → category; a code → its first-level
    code); with it, ``extra_texts`` whose parent is known (``extra_parents``, same length) are
    used for hierarchical self-training.  ``label_names`` gives the text of each label for the
    label-name documents (default: the label itself, right when labels are names such as
    "食品科学与工程"; pass names when labels are codes).  Needs at least two distinct labels.
    """
    cfg = config or ClassifierConfig()
    if len(texts) != len(labels):
        raise ValueError(f"文本 {len(texts)} 条，标签却有 {len(labels)} 个")
    if len(extra_texts) != len(extra_parents):
        raise ValueError(f"额外文本 {len(extra_texts)} 条，父类标签却有 {len(extra_parents)} 个")
    if extra_texts and parents is None:
        raise ValueError("额外文本需要父类映射（标签 → 父类）")
    ys = [str(lab) for lab in labels]
    classes = sorted(set(ys))
    if len(classes) < 2:
        raise ValueError("训练至少需要两种不同的标签")

    feat = _Featuriser(cfg)
    labelled_terms = [feat.terms(t) for t in texts]
    extra_terms = [feat.terms(t) for t in extra_texts]
    name_terms: list[tuple[list[str], list[str]]] = []
    if cfg.label_name_docs:
        names = label_names or {}
        name_terms = [feat.terms(names.get(c, c)) for c in classes]
    feat.fit(labelled_terms + extra_terms + name_terms)

    x_lab = feat.transform_terms(labelled_terms)
    x_base = sp.csr_matrix(sp.vstack([x_lab, feat.transform_terms(name_terms)], format="csr"))
    y_base = ys + (classes if name_terms else [])
    w_base = np.ones(len(y_base), dtype=np.float64)
    got, coef, intercept = _fit_svm(x_base, y_base, w_base, cfg)
    n_pseudo = 0

    if extra_terms and parents is not None:
        parent_of = np.array([parents.get(c, "\x00missing") for c in got], dtype=object)
        x_extra = feat.transform_terms(extra_terms)
        ep = np.array([str(p) for p in extra_parents], dtype=object)
        allowed = parent_of[None, :] == ep[:, None]
        ok = allowed.any(axis=1)
        if ok.any():
            s = _scores(x_extra[np.flatnonzero(ok)], coef, intercept)
            s = np.where(allowed[ok], s, -np.inf)
            pseudo = [got[int(i)] for i in s.argmax(axis=1)]
            n_pseudo = len(pseudo)
            x_all = sp.csr_matrix(sp.vstack([x_base, x_extra[np.flatnonzero(ok)]], format="csr"))
            w_all = np.concatenate([w_base, np.full(n_pseudo, cfg.extra_weight)])
            got, coef, intercept = _fit_svm(x_all, y_base + pseudo, w_all, cfg)

    temperature = _calibrate(x_lab, ys, cfg.calibration_folds, cfg)
    info = {"n_train": len(ys), "n_pseudo_labelled": n_pseudo, "n_features": feat.n_features}
    return TextClassifier(got, feat, coef.astype(np.float32), intercept.astype(np.float32), temperature, info)
