#!/usr/bin/env python3
"""Discipline tagging on CSL: 5-fold cross-validation of yiti.engine.classify against the reference.

Task: title + abstract → discipline (67 classes), trained on ``csl_dev.jsonl`` (1 000 papers).
The 8 000 titles of ``csl_train_titles.jsonl`` (13-class category only) are given to our
classifier as extra texts for hierarchical self-training; the folds never see the held-out
fold's labels.  In the same run, on the same folds:

* ``reference``  TF-IDF character 1–2-grams + LinearSVC (scikit-learn defaults), the benchmark's
  stated reference (0.53);
* ``ours``       ``yiti.engine.classify.train`` with the extra titles (the shipped recipe);
* ``ours-noext`` the same without the extra titles (what a platform with only coded records gets).

    .venv/bin/python bench/classify_bench.py                  # all three, 5 folds
    .venv/bin/python bench/classify_bench.py --json out.json  # also write the numbers

Folds: scikit-learn StratifiedKFold(5, shuffle=True, random_state=0) over the discipline labels
(two disciplines have a single paper, so they cannot be in every fold; the warning is muted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yiti.engine.classify import train  # noqa: E402


def _rows(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _reference(train_texts: list[str], train_labels: list[str], test_texts: list[str]) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2))
    clf = LinearSVC().fit(vec.fit_transform(train_texts), train_labels)
    return [str(p) for p in clf.predict(vec.transform(test_texts))]


def main() -> int:
    default_data = Path(os.environ.get("YITI_SHARED_DATA", str(REPO / ".." / "shared" / "data")))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data, help="folder with csl_dev.jsonl")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--methods", default="reference,ours,ours-noext")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    args = ap.parse_args()

    from sklearn.model_selection import StratifiedKFold

    dev = _rows(args.data / "csl_dev.jsonl")
    titles_path = args.data / "csl_train_titles.jsonl"
    extra = _rows(titles_path) if titles_path.exists() else []
    texts = [f"{r['title']}。{r['abstract']}" for r in dev]
    labels = [str(r["discipline"]) for r in dev]
    parents = {str(r["discipline"]): str(r["category"]) for r in dev}
    extra_texts = [str(r["title"]) for r in extra]
    extra_parents = [str(r["category"]) for r in extra]
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    print(
        f"csl_dev: {len(dev)} papers, {len(set(labels))} disciplines; extra titles: {len(extra)}; "
        f"{args.folds}-fold stratified CV, seed {args.seed}",
        flush=True,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # classes with fewer members than folds
        folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(texts, labels))

    results: dict[str, dict[str, list[float]]] = {m: {"acc": [], "train_s": []} for m in methods}
    for k, (tr, te) in enumerate(folds):
        tr_texts = [texts[i] for i in tr]
        tr_labels = [labels[i] for i in tr]
        te_texts = [texts[i] for i in te]
        te_labels = [labels[i] for i in te]
        for m in methods:
            t0 = time.perf_counter()
            if m == "reference":
                pred = _reference(tr_texts, tr_labels, te_texts)
                elapsed = time.perf_counter() - t0
            elif m in ("ours", "ours-noext"):
                use_extra = m == "ours"
                model = train(
                    tr_texts,
                    tr_labels,
                    parents=parents if use_extra else None,
                    extra_texts=extra_texts if use_extra else (),
                    extra_parents=extra_parents if use_extra else (),
                )
                elapsed = time.perf_counter() - t0
                pred = model.predict(te_texts)
            else:
                raise SystemExit(f"unknown method {m!r}")
            acc = sum(p == t for p, t in zip(pred, te_labels, strict=True)) / len(te_labels)
            results[m]["acc"].append(acc)
            results[m]["train_s"].append(elapsed)
            print(f"fold {k + 1}  {m:11s} accuracy {acc:.3f}  train {elapsed:6.1f} s", flush=True)

    print()
    print(
        f"{'method':11s}  "
        + "  ".join(f"fold{k + 1}" for k in range(len(folds)))
        + "   mean ± std    train s/fold"
    )
    summary: dict[str, Any] = {}
    for m in methods:
        accs = results[m]["acc"]
        mean = statistics.mean(accs)
        std = statistics.pstdev(accs)
        secs = statistics.mean(results[m]["train_s"])
        print(f"{m:11s}  " + "  ".join(f"{a:.3f}" for a in accs) + f"   {mean:.3f} ± {std:.3f}   {secs:6.1f}")
        summary[m] = {"folds": accs, "mean": mean, "std": std, "train_seconds_per_fold": secs}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
