#!/usr/bin/env python3
"""Expert-finding ablations on cached features: the tables of docs/engine.md, reproducible.

    python ../shared/bench/expert_split.py ../shared/data/nssf_projects.csv /tmp/nssf_s1 --seed 1
    .venv/bin/python bench/expert_ablation.py /tmp/nssf_s1                  # every variant
    .venv/bin/python bench/expert_ablation.py /tmp/nssf_s1 shipped additive  # some of them

Builds the index and the finder exactly as ``python -m yiti.engine rank-experts`` does (same
config, same seed, candidates' names as person keys), then computes features once and caches
them in the split folder: the training pseudo-queries (``ExpertFinder.pseudo_queries``) and, for
every query of the split, its pool and the positions of its relevant owners in the pool (from
qrels; only used to score).  Each variant then refits the ranker on the cached training material
(``ExpertFinder.fit_ranker`` with a changed config, or with features held at 0 — a constant
feature cannot be used by either model) and scores the cached pools as score.py would
(MRR@100, Recall@10).  The ``shipped`` variant equals the CLI's numbers exactly.

Cost on the 2 shared cores: building and features ~5–10 min (once per split, then cached),
then ~1–2 min per variant.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yiti.engine import ExpertFinder, ExpertFinderConfig, Index, candidate_documents  # noqa: E402
from yiti.engine.cli import read_jsonl  # noqa: E402
from yiti.engine.experts import FEATURES  # noqa: E402
from yiti.engine.text import normalise  # noqa: E402

YEAR = ("recency", "year_known", "first_year", "unknown_year_share", "query_year_gap",
        "year_after_prob", "query_unknown_year_prob")
# name → (config changes, features held at 0, description)
VARIANTS: dict[str, tuple[dict[str, object], tuple[str, ...], str]] = {
    "shipped": ({}, (), "shipped: trees 0.5 + additive 0.5, 22 features"),
    "trees": ({"tree_weight": 1.0}, (), "3 bagged monotone tree models alone"),
    "additive": ({"tree_weight": 0.0}, (), "additive spline logistic model alone"),
    "trees1": ({"tree_weight": 1.0, "bags": 1}, (), "one tree model alone"),
    "trees5": ({"tree_weight": 1.0, "bags": 5}, (), "5 bagged tree models alone"),
    "no_monotone": ({"monotone": False}, (), "blend, trees without monotone constraints"),
    "blend73": ({"tree_weight": 0.7}, (), "trees 0.7 + additive 0.3"),
    "c01": ({"additive_c": 0.1}, (), "blend, additive C 0.1"),
    "c1": ({"additive_c": 1.0}, (), "blend, additive C 1.0"),
    "knots3": ({"spline_knots": 3}, (), "blend, 3 knots"),
    "knots8": ({"spline_knots": 8}, (), "blend, 8 knots"),
    "no_namesakes": ({}, ("namesakes", "namesake_match", "namesake_docs"), "without namesakes (19 features)"),
    "no_year": ({}, YEAR, "without any year feature"),
    "no_year_classes": ({}, ("year_after_prob", "query_unknown_year_prob"), "without the year classifier"),
    "no_repeat": ({}, ("org_repeat_rate",), "without the organisation's repeat rate"),
    "no_lsa": ({}, ("dense_max", "dense_centroid"), "without LSA"),
    "no_cover": ({}, ("profile_cover",), "without profile coverage"),
    "hand": ({"min_train_positives": 10**9}, (), "hand-set weights (no learning)"),
}


def build(split: Path) -> ExpertFinder:
    cands = [c for _, c in read_jsonl(split / "candidates.jsonl", ("id",))]
    index = Index.build(candidate_documents(cands), workers=2)
    return ExpertFinder(index, ExpertFinderConfig(), person_of={str(c["id"]): str(c.get("name") or "") for c in cands})


def cache_features(finder: ExpertFinder, split: Path, path: Path) -> None:
    t0 = time.perf_counter()
    material = finder.pseudo_queries()
    t1 = time.perf_counter()
    qrels = {q["qid"]: set(q["relevant"]) for _, q in read_jsonl(split / "qrels.jsonl", ("qid",))}
    texts = {q["qid"]: str(q.get("text") or "") for _, q in read_jsonl(split / "queries.jsonl", ("qid",))}
    feats, positions, n_rel = [], [], []
    for qid, relevant in qrels.items():
        text = texts.get(qid, "")
        pool, f = finder.features(normalise(text)) if text.strip() else (np.zeros(0, np.int64), np.zeros((0, len(FEATURES))))
        owners = [finder.owners[int(o)] for o in pool]
        feats.append(f)
        positions.append([i for i, o in enumerate(owners) if o in relevant])
        n_rel.append(len(relevant))
    t2 = time.perf_counter()
    np.savez_compressed(
        path, features=np.asarray(FEATURES),
        train=np.vstack([f for f, _ in material]), train_len=np.asarray([len(f) for f, _ in material]),
        train_pos=np.asarray([p for _, p in material]),
        test=np.vstack(feats), test_len=np.asarray([len(f) for f in feats]),
        test_pos=np.asarray([p for ps in positions for p in ps], dtype=np.int64),
        test_pos_len=np.asarray([len(ps) for ps in positions]), test_rel=np.asarray(n_rel),
    )
    print(f"features cached in {path}: {len(material)} pseudo-queries ({t1 - t0:.0f} s), "
          f"{len(qrels)} queries ({t2 - t1:.0f} s)", file=sys.stderr)


def split_rows(x: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    return np.split(x, np.cumsum(lengths)[:-1]) if len(lengths) else []


def evaluate(score: Callable[[np.ndarray], np.ndarray], pools: list[np.ndarray], relevant: list[np.ndarray],
             n_rel: np.ndarray) -> tuple[float, float]:
    mrr = r10 = 0.0
    for feats, rel, n in zip(pools, relevant, n_rel.tolist(), strict=True):
        if len(feats) == 0 or len(rel) == 0:
            continue
        order = np.argsort(-score(feats), kind="stable")[:100]
        ranks = np.flatnonzero(np.isin(order, rel))
        if len(ranks):
            mrr += 1.0 / (ranks[0] + 1)
            r10 += float((ranks < 10).sum()) / n
    return mrr / len(n_rel), r10 / len(n_rel)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", type=Path, help="folder made by expert_split.py")
    ap.add_argument("variants", nargs="*", help=f"default: all of {', '.join(VARIANTS)}")
    ap.add_argument("--cache", type=Path, help="feature cache (default: SPLIT/ablation_features.npz)")
    args = ap.parse_args()
    unknown = [v for v in args.variants if v not in VARIANTS]
    if unknown:
        ap.error(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    cache = args.cache or args.split / "ablation_features.npz"
    finder = build(args.split)
    if not cache.exists():
        cache_features(finder, args.split, cache)
    with np.load(cache) as z:
        if list(z["features"]) != list(FEATURES):
            sys.exit(f"{cache} was made with other features; delete it")
        train = list(zip(split_rows(z["train"], z["train_len"]), z["train_pos"].tolist(), strict=True))
        pools = split_rows(z["test"], z["test_len"])
        relevant = split_rows(z["test_pos"], z["test_pos_len"])
        n_rel = z["test_rel"]
    base = finder.config
    print(f"{args.split}: {len(n_rel)} queries, {len(train)} pseudo-queries\n")
    print("| variant | MRR@100 | R@10 | fit s |")
    print("|---|---|---|---|")
    for name in args.variants or VARIANTS:
        changes, zeroed, label = VARIANTS[name]
        cols = [FEATURES.index(f) for f in zeroed]

        def zero(x: np.ndarray, cols: list[int] = cols) -> np.ndarray:
            if not cols:
                return x
            x = x.copy()
            x[:, cols] = 0.0
            return x

        finder.config = dataclasses.replace(base, **changes)  # type: ignore[arg-type]
        t0 = time.perf_counter()
        finder.fit_ranker([(zero(f), p) for f, p in train])
        fit_s = time.perf_counter() - t0
        mrr, r10 = evaluate(lambda f: finder.score_pool(zero(f)), pools, relevant, n_rel)
        print(f"| {label} (`{name}`) | {mrr:.4f} | {r10:.4f} | {fit_s:.0f} |", flush=True)
    finder.config = base
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
