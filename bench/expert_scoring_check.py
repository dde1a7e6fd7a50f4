#!/usr/bin/env python3
"""Full-size check: the finder's array rankers score exactly like the scikit-learn models they are
taken from, and like main's blend of them (before the models were held as arrays).

    .venv/bin/python bench/expert_ablation.py /tmp/nssf_s1 hand      # makes the feature cache
    .venv/bin/python bench/expert_scoring_check.py /tmp/nssf_s1

Trains the ranker once on the cached material (~3 min idle), keeping the scikit-learn models,
then scores every cached pool both ways and counts the pools whose scores are not bit-identical.
"""
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import expert_ablation as ab  # noqa: E402

from yiti.engine import experts  # noqa: E402

kept = {}
orig_t, orig_a = experts._Trees.from_models.__func__, experts._Additive.from_pipeline.__func__
experts._Trees.from_models = classmethod(lambda cls, models: (kept.__setitem__("trees", models), orig_t(cls, models))[1])
experts._Additive.from_pipeline = classmethod(lambda cls, pipe: (kept.__setitem__("add", pipe), orig_a(cls, pipe))[1])

split = Path(sys.argv[1])
finder = ab.build(split)
with np.load(split / "ablation_features.npz") as z:
    train = list(zip(ab.split_rows(z["train"], z["train_len"]), z["train_pos"].tolist(), strict=True))
    pools = ab.split_rows(z["test"], z["test_len"])
t0 = time.perf_counter()
finder.fit_ranker(train)
print("fit", round(time.perf_counter() - t0), "s", flush=True)


def old_score(feats):  # the code on main
    with threadpool_limits(1):
        probs = [np.asarray(m.predict_proba(feats)[:, 1], dtype=np.float64) for m in kept["trees"]]
        p = np.clip(np.mean(probs, axis=0), 1e-9, 1.0 - 1e-9)
        trees = np.log(p) - np.log1p(-p)
        return np.asarray(0.5 * trees + 0.5 * kept["add"].decision_function(feats), dtype=np.float64)


same = diff_order = 0
worst = 0.0
for f in pools:
    if not len(f):
        continue
    a, b = old_score(f), finder.score_pool(f)
    if np.array_equal(a, b):
        same += 1
    else:
        worst = max(worst, float(np.abs(a - b).max()))
        oa, ob = np.argsort(-a, kind="stable")[:100], np.argsort(-b, kind="stable")[:100]
        diff_order += int(not np.array_equal(oa, ob))
print(f"pools with identical scores {same} of {sum(1 for f in pools if len(f))}; "
      f"largest difference {worst:.3g}; top-100 order differs in {diff_order}")
sys.exit(1 if diff_order or worst else 0)
