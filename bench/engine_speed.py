#!/usr/bin/env python3
"""Engine speed against plain bm25s, side by side, on N short documents (default 1,000,000).

Documents are NSSF project titles and variations of them (the first half of one title joined
to the second half of another, with that title's discipline and year); queries are the first
two thirds of titles.  Each engine runs in its own process so that peak RSS is its own:

    .venv/bin/python bench/engine_speed.py                 # both, prints a Markdown table
    .venv/bin/python bench/engine_speed.py --docs 200000   # smaller

"bm25s" = the same analyser's tokens (same 2 worker processes) indexed by bm25s.BM25
(Lucene, k1 1.5, b .75) and retrieved one query at a time with k=100; "engine" =
yiti.engine.Index.build(workers=2) and Index.search(top=100), analysis included in both.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yiti.engine import Analyser, Document, Index  # noqa: E402
from yiti.engine.text import shared_data_dir  # noqa: E402


def corpus(n: int) -> tuple[list[Document], list[str]]:
    rows = []
    with open(shared_data_dir() / "nssf_projects.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["title"].strip()]
    m = len(rows)
    docs = []
    for i in range(n):
        a = rows[i % m]
        title = a["title"].strip()
        if i >= m:
            b = rows[(i * 7919 + 13) % m]["title"].strip()
            title = title[: len(title) // 2] + b[len(b) // 2 :]
        docs.append(Document(f"d{i}", title=title, discipline=a["discipline"] or None,
                             year=int(a["year"]) if a["year"].isdigit() and a["year"] != "0000" else None,
                             owner=f"p{i % 200_000}"))
    queries = []
    for j in range(10_000):
        t = rows[(j * 104_729 + 7) % m]["title"].strip()
        queries.append(t[: max(4, 2 * len(t) // 3)])
    return docs, queries


def peak_mb() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (me + kids) / 1024.0


_AN: Analyser | None = None


def _tok(texts: list[str]) -> list[list[str]]:
    assert _AN is not None
    return _AN.analyse_many(texts)


def run_one(engine: str, n: int, n_queries: int) -> dict[str, float]:
    docs, queries = corpus(n)
    queries = queries[:n_queries]
    out: dict[str, float] = {"docs": float(n), "queries": float(len(queries))}
    lat: list[float] = []
    if engine == "engine":
        t0 = time.perf_counter()
        index = Index.build(docs, workers=2, learn_keywords=False)
        out["index_s"] = time.perf_counter() - t0
        del docs
        index.search(queries[0], top=100)  # warm: first query builds caches
        t1 = time.perf_counter()
        for q in queries:
            s = time.perf_counter()
            index.search(q, top=100)
            lat.append(time.perf_counter() - s)
        out["query_total_s"] = time.perf_counter() - t1
        # incremental changes on the big index, then the cost of folding them in and persisting
        extra, _ = corpus(1000)
        t = time.perf_counter()
        index.add([Document(f"new{i}", title=d.title, discipline=d.discipline, year=d.year, owner=d.owner)
                   for i, d in enumerate(extra)])
        out["add_1000_s"] = time.perf_counter() - t
        t = time.perf_counter()
        index.update([Document(f"d{i}", title=d.title + "更新", year=d.year) for i, d in enumerate(extra)])
        out["update_1000_s"] = time.perf_counter() - t
        t = time.perf_counter()
        index.delete([f"d{i}" for i in range(1000, 2000)])
        out["delete_1000_s"] = time.perf_counter() - t
        t = time.perf_counter()
        for q in queries[:1000]:
            index.search(q, top=100)
        out["query_with_delta_ms"] = (time.perf_counter() - t)  # per query: total of 1000 queries in s = ms each
        t = time.perf_counter()
        index.compact()
        out["compact_s"] = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            index.save(tmp)
            out["save_s"] = time.perf_counter() - t
            t = time.perf_counter()
            loaded = Index.load(tmp)
            out["load_mmap_s"] = time.perf_counter() - t
            t = time.perf_counter()
            loaded.search(queries[0], top=100)
            out["first_query_after_load_ms"] = 1000 * (time.perf_counter() - t)
    else:
        import bm25s

        global _AN
        _AN = Analyser()
        _AN.segmenter.prepare()  # load jieba and the segmentation arrays before forking
        t0 = time.perf_counter()
        texts = [d.title for d in docs]
        del docs
        chunks = [texts[i : i + 20_000] for i in range(0, len(texts), 20_000)]
        with mp.get_context("fork").Pool(2) as pool:
            tokens = [t for part in pool.imap(_tok, chunks) for t in part]
        bm = bm25s.BM25()
        bm.index(tokens, show_progress=False)
        out["index_s"] = time.perf_counter() - t0
        del tokens, texts
        t1 = time.perf_counter()
        for q in queries:
            s = time.perf_counter()
            qt = [t for t in _AN.analyse(q) if t in bm.vocab_dict]
            if qt:
                bm.retrieve([qt], k=100, show_progress=False, n_threads=1)
            lat.append(time.perf_counter() - s)
        out["query_total_s"] = time.perf_counter() - t1
    lat.sort()
    out["p50_ms"] = 1000 * lat[len(lat) // 2]
    out["p95_ms"] = 1000 * lat[int(len(lat) * 0.95)]
    out["peak_rss_mb"] = peak_mb()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--bm25s-queries", type=int, default=1_000,
                    help="bm25s without numba takes ~50 ms a query at 1M documents: time fewer, compare per query")
    ap.add_argument("--only", choices=("engine", "bm25s"), help="run one engine in this process (internal)")
    args = ap.parse_args()
    if args.only:
        print(json.dumps(run_one(args.only, args.docs, args.queries)))
        return 0
    results = {}
    for engine in ("bm25s", "engine"):
        nq = args.bm25s_queries if engine == "bm25s" else args.queries
        proc = subprocess.run([sys.executable, __file__, "--only", engine, "--docs", str(args.docs),
                               "--queries", str(nq)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        results[engine] = json.loads(proc.stdout.strip().splitlines()[-1])
    for r in results.values():
        r["mean_ms"] = 1000 * r["query_total_s"] / r["queries"]
    cols = ("index_s", "queries", "query_total_s", "mean_ms", "p50_ms", "p95_ms", "peak_rss_mb")
    print(f"{args.docs:,} documents, top 100, {os.cpu_count()} CPUs\n")
    print("| | index s | queries | queries total s | mean ms | p50 ms | p95 ms | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | " + " | ".join(f"{r[c]:.1f}" for c in cols) + " |")
    b, e = results["bm25s"], results["engine"]
    print("| engine / bm25s | " + " | ".join("" if c in ("queries", "query_total_s") else f"{e[c] / b[c]:.2f}×"
                                           for c in cols) + " |")
    print("\nengine, incremental and persistence (seconds unless ms): "
          + ", ".join(f"{k} {v:.2f}" for k, v in e.items() if k not in cols and k not in ("docs", "queries")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
