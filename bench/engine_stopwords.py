#!/usr/bin/env python3
"""Measure which frequent terms carry no topical information (the engine's stopword list).

For every term (jieba word or character bigram) of the NSSF and CSL titles: its document
frequency and the KL divergence between the label distribution of the titles that contain it
and the label distribution of all titles (NSSF discipline, CSL category).  A term that is
frequent (df >= --min-df) and spread like the background (KL < --max-kl nats) says nothing
about the topic.  Prints them, most frequent first; the chosen list is yiti/engine/data/stopwords.txt.

    .venv/bin/python bench/engine_stopwords.py
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from yiti.engine.text import Analyser, shared_data_dir  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-df", type=float, default=0.004)
    ap.add_argument("--max-kl", type=float, default=0.15)
    ap.add_argument("--write", help="write the chosen list to this file")
    args = ap.parse_args()
    data = shared_data_dir()
    titled: list[tuple[str, str]] = []
    with open(data / "nssf_projects.csv", encoding="utf-8", newline="") as f:
        titled += [("n:" + r["discipline"], r["title"]) for r in csv.DictReader(f) if r["title"].strip()]
    with open(data / "csl_train_titles.jsonl", encoding="utf-8") as f:
        titled += [("c:" + str(d["category"]), d["title"]) for d in map(json.loads, f)]
    an = Analyser(stopwords=())
    verdict: dict[str, list[bool]] = defaultdict(list)
    for source in ("n:", "c:"):
        rows = [(lab, t) for lab, t in titled if lab.startswith(source)]
        bg = Counter(lab for lab, _ in rows)
        n = len(rows)
        by_term: dict[str, Counter[str]] = defaultdict(Counter)
        for lab, title in rows:
            for term in set(an.analyse(title)):
                by_term[term][lab] += 1
        print(f"# {source} {n} titles")
        for term, labs in sorted(by_term.items(), key=lambda kv: -sum(kv[1].values())):
            df = sum(labs.values())
            if df < args.min_df * n:
                break
            kl = sum(c / df * math.log((c / df) / (bg[lab] / n)) for lab, c in labs.items())
            verdict[term].append(kl < args.max_kl)
            print(f"{term}\t{df / n:.3f}\t{kl:.3f}\t{'STOP' if kl < args.max_kl else ''}")
    # A stopword must be uninformative in every source where it is frequent.
    chosen = sorted(t for t, v in verdict.items() if all(v))
    print("# chosen:", " ".join(chosen))
    if args.write:
        Path(args.write).write_text(
            "# Measured by bench/engine_stopwords.py: frequent and spread like the background.\n"
            + "\n".join(chosen) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
