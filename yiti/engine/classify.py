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

CLI (``python -m yiti.engine classify ...``, see :func:`main`)::

    python -m yiti.engine classify --train train.jsonl --label discipline \\
        --text-fields title,abstract --predict test.jsonl --out predictions.jsonl \\
        [--parent-label category --extra titles.jsonl] [--top-k 3] [--save-model DIR]

Malformed JSONL lines: by default the command reports every malformed line as
``file:line: reason`` on stderr and exits with status 2 without writing anything — a silently
dropped training line changes the model and a dropped prediction line loses an id.  With
``--skip-bad-lines`` each malformed line is reported as a warning and skipped.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
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
            raise ValueError("weights do not match the labels and the vocabulary")
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
            raise ValueError(f"{path / MODEL_FILE}: not a {FORMAT} model")
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
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if len(extra_texts) != len(extra_parents):
        raise ValueError(f"{len(extra_texts)} extra texts but {len(extra_parents)} extra parents")
    if extra_texts and parents is None:
        raise ValueError("extra texts need the parents mapping (label → parent)")
    ys = [str(lab) for lab in labels]
    classes = sorted(set(ys))
    if len(classes) < 2:
        raise ValueError("training needs at least two distinct labels")

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


# --------------------------------------------------------------------------- CLI


class _BadInput(Exception):
    pass


def _text_of(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    parts: list[str] = []
    for name in fields:
        value = record.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            parts.append(" ".join(value))
        else:
            raise ValueError(f"field {name!r} is not text")
    return "。".join(parts)


def _read_jsonl(
    path: str, required: Sequence[str], skip_bad: bool, errors: list[str]
) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) of every non-blank line; malformed lines go to ``errors``."""
    out: list[tuple[int, dict[str, Any]]] = []
    try:
        fh = open(path, encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise _BadInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                reason = f"not valid JSON ({exc.msg})"
            else:
                if not isinstance(record, dict):
                    reason = "not a JSON object"
                else:
                    missing = [f for f in required if record.get(f) in (None, "")]
                    odd = [
                        f
                        for f in required
                        if f not in missing
                        and (isinstance(record[f], bool) or not isinstance(record[f], str | int | float))
                    ]
                    if not missing and not odd:
                        out.append((lineno, record))
                        continue
                    reason = "; ".join(
                        [
                            *(f"missing {f!r}" for f in missing),
                            *(f"{f!r} is not a string or number" for f in odd),
                        ]
                    )
            msg = f"{path}:{lineno}: {reason}"
            if skip_bad:
                print(f"warning: {msg}; line skipped", file=sys.stderr)
            else:
                errors.append(msg)
    return out


def _texts(
    path: str,
    rows: list[tuple[int, dict[str, Any]]],
    fields: Sequence[str],
    skip_bad: bool,
    errors: list[str],
) -> tuple[list[str], list[dict[str, Any]]]:
    texts: list[str] = []
    kept: list[dict[str, Any]] = []
    for lineno, record in rows:
        try:
            texts.append(_text_of(record, fields))
        except ValueError as exc:
            msg = f"{path}:{lineno}: {exc}"
            if skip_bad:
                print(f"warning: {msg}; line skipped", file=sys.stderr)
            else:
                errors.append(msg)
            continue
        kept.append(record)
    return texts, kept


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m yiti.engine classify",
        description="Train a text classifier on JSONL records and/or label JSONL records.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--train", help="JSONL training records")
    src.add_argument("--model", help="folder of a saved model (instead of --train)")
    p.add_argument("--label", default="discipline", help="field holding the label (default: discipline)")
    p.add_argument(
        "--text-fields",
        help="comma-separated text fields (default: title,abstract, or the fields a --model was trained on)",
    )
    p.add_argument("--parent-label", help="field holding each label's parent (e.g. category)")
    p.add_argument("--extra", help="JSONL records with only the parent label, for self-training")
    p.add_argument("--predict", help="JSONL records to label (each needs an 'id')")
    p.add_argument("--out", help="output JSONL (default: stdout)")
    p.add_argument("--top-k", type=int, default=0, help="also write the k best labels with probabilities")
    p.add_argument("--save-model", help="folder to save the trained model into")
    p.add_argument("--skip-bad-lines", action="store_true", help="skip malformed lines with a warning")
    return p


def main(argv: list[str]) -> int:
    """``classify`` subcommand.  Returns 0 on success, 2 on bad usage or malformed input."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return exc.code if isinstance(exc.code, int) else 2
    fields = [f.strip() for f in str(args.text_fields or "title,abstract").split(",") if f.strip()]
    if not fields:
        print("error: --text-fields is empty", file=sys.stderr)
        return 2
    if args.predict is None and args.save_model is None:
        print("error: nothing to do: give --predict and/or --save-model", file=sys.stderr)
        return 2
    if args.extra and not args.parent_label:
        print("error: --extra needs --parent-label", file=sys.stderr)
        return 2
    if args.model and (args.extra or args.parent_label):
        print("error: --extra/--parent-label only apply with --train", file=sys.stderr)
        return 2
    skip = bool(args.skip_bad_lines)
    errors: list[str] = []
    try:
        model: TextClassifier | None = None
        if args.model:
            try:
                model = TextClassifier.load(args.model)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                print(f"error: cannot load model from {args.model}: {exc}", file=sys.stderr)
                return 2
            saved_fields = model.info.get("text_fields")
            if args.text_fields is None and isinstance(saved_fields, list) and saved_fields:
                fields = [str(f) for f in saved_fields]
            train_texts: list[str] = []
            train_labels: list[str] = []
            parents: dict[str, str] | None = None
            extra_texts: list[str] = []
            extra_parents: list[str] = []
        else:
            rows = _read_jsonl(args.train, [args.label], skip, errors)
            train_texts, kept = _texts(args.train, rows, fields, skip, errors)
            train_labels = [str(r[args.label]) for r in kept]
            parents = None
            extra_texts, extra_parents = [], []
            if args.parent_label:
                pairs: Counter[tuple[str, str]] = Counter(
                    (str(r[args.label]), str(r[args.parent_label]))
                    for r in kept
                    if r.get(args.parent_label) not in (None, "")
                )
                parents = {}
                for (lab, par), _ in pairs.most_common():
                    parents.setdefault(lab, par)
            if args.extra:
                erows = _read_jsonl(args.extra, [args.parent_label], skip, errors)
                extra_texts, ekept = _texts(args.extra, erows, fields, skip, errors)
                extra_parents = [str(r[args.parent_label]) for r in ekept]
        pred_texts: list[str] = []
        pred_ids: list[Any] = []
        if args.predict:
            prows = _read_jsonl(args.predict, ["id"], skip, errors)
            pred_texts, pkept = _texts(args.predict, prows, fields, skip, errors)
            pred_ids = [r["id"] for r in pkept]
    except _BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if errors:
        for msg in errors[:50]:
            print(f"error: {msg}", file=sys.stderr)
        if len(errors) > 50:
            print(f"error: ... and {len(errors) - 50} more malformed lines", file=sys.stderr)
        print("error: malformed input, nothing written (use --skip-bad-lines to skip them)", file=sys.stderr)
        return 2

    if model is None:
        try:
            model = train(
                train_texts,
                train_labels,
                parents=parents,
                extra_texts=extra_texts,
                extra_parents=extra_parents,
            )
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        model.info["text_fields"] = fields
        if args.save_model:
            try:
                model.save(args.save_model)
            except OSError as exc:
                print(f"error: cannot save model: {exc}", file=sys.stderr)
                return 2

    if args.predict:
        out_lines: list[str] = []
        if pred_texts:
            proba = model.predict_proba(pred_texts)
            k = max(0, int(args.top_k))
            for rid, p in zip(pred_ids, proba, strict=True):
                order = np.argsort(-p, kind="stable")
                rec: dict[str, Any] = {"id": rid, "label": model.labels[int(order[0])]}
                if k:
                    rec["top"] = [[model.labels[int(i)], round(float(p[i]), 4)] for i in order[:k]]
                out_lines.append(json.dumps(rec, ensure_ascii=False))
        data = "".join(line + "\n" for line in out_lines)
        if args.out:
            try:
                Path(args.out).write_text(data, encoding="utf-8")
            except OSError as exc:
                print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
                return 2
        else:
            sys.stdout.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
