#!/usr/bin/env python3
"""Saving and loading a trained ExpertFinder at NSSF size: load time, and identical rankings.

    python ../shared/bench/expert_split.py ../shared/data/nssf_projects.csv /tmp/nssf
    .venv/bin/python bench/expert_load.py /tmp/nssf /tmp/nssf_finder

Builds the index and trains the finder as ``rank-experts`` does (~3–5 min on the 2 shared
cores), ranks the first ``--queries`` queries, saves both into the folder (``finder.save``),
then in a fresh process times ``ExpertFinder.load`` and the first query (which loads jieba),
ranks the same queries and checks that owners and scores are identical.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yiti.engine import ExpertFinder, ExpertFinderConfig, Index, candidate_documents  # noqa: E402
from yiti.engine.cli import read_jsonl  # noqa: E402


def rankings(finder: ExpertFinder, texts: list[str]) -> list[list[tuple[str, float]]]:
    return [[(h.owner, h.score) for h in finder.rank(t, 100)] for t in texts]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", type=Path)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--load-only", action="store_true", help="(internal) time loading in this process")
    args = ap.parse_args()
    texts = [str(q.get("text") or "") for _, q in read_jsonl(args.split / "queries.jsonl", ("qid",))][: args.queries]
    expected = args.folder / "bench_rankings.json"
    if args.load_only:
        t0 = time.perf_counter()
        finder = ExpertFinder.load(args.folder)
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        finder.rank(texts[0], 100)
        first_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        got = rankings(finder, texts)
        per_query_ms = 1000 * (time.perf_counter() - t2) / len(texts)
        same = got == [[(o, s) for o, s in r] for r in json.loads(expected.read_text(encoding="utf-8"))]
        print(json.dumps({"load_s": round(load_s, 3), "first_query_s": round(first_s, 3),
                          "query_ms": round(per_query_ms, 1), "identical": same, "queries": len(texts)}))
        return 0 if same else 1
    t0 = time.perf_counter()
    cands = [c for _, c in read_jsonl(args.split / "candidates.jsonl", ("id",))]
    index = Index.build(candidate_documents(cands), workers=2)
    finder = ExpertFinder(index, ExpertFinderConfig(), person_of={str(c["id"]): str(c.get("name") or "") for c in cands})
    finder.train()
    t1 = time.perf_counter()
    ranked = rankings(finder, texts)
    t2 = time.perf_counter()
    finder.save(args.folder)
    save_s = time.perf_counter() - t2
    expected.write_text(json.dumps(ranked, ensure_ascii=False), encoding="utf-8")
    size = sum(p.stat().st_size for p in args.folder.rglob("*") if p.is_file()) / 1e6
    print(f"build+train {t1 - t0:.0f} s, save {save_s:.1f} s, folder {size:.0f} MB ({len(index)} documents)")
    out = subprocess.run([sys.executable, __file__, str(args.split), str(args.folder), "--queries", str(args.queries),
                          "--load-only"], capture_output=True, text=True, cwd=ROOT)
    print(out.stdout.strip() or out.stderr)
    return out.returncode


if __name__ == "__main__":
    raise SystemExit(main())
