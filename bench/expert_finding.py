#!/usr/bin/env python3
"""Expert finding: the engine against the reference BM25, side by side on one split.

    python ../shared/bench/expert_split.py ../shared/data/nssf_projects.csv /tmp/nssf
    .venv/bin/python bench/expert_finding.py /tmp/nssf

Runs ../shared/bench/baseline_bm25.py and ``python -m yiti.engine rank-experts`` on the same
folder, one after the other on this machine, scores both with score.py and prints a Markdown
table (quality, wall time, peak RSS of each process) plus the ratios ours / BM25.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = Path(os.environ.get("YITI_SHARED_BENCH", str(ROOT / ".." / "shared" / "bench")))
METRICS = ("MRR@100", "nDCG@10", "Recall@10", "Recall@100")


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the process, and its stderr+stdout."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{output}")
    return wall, usage.ru_maxrss / 1024.0, output.strip()


def score(ranking: Path, split: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(SHARED_BENCH / "score.py"), str(ranking), str(split / "qrels.jsonl")],
                         check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", type=Path, help="folder made by expert_split.py")
    ap.add_argument("--out", type=Path, help="where rankings go (default: the split folder)")
    args = ap.parse_args()
    out = args.out or args.split
    out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    runs = {
        "BM25 (baseline_bm25.py)": [py, str(SHARED_BENCH / "baseline_bm25.py"), str(args.split), str(out / "bm25.jsonl")],
        "yiti.engine rank-experts": [py, "-m", "yiti.engine", "rank-experts", "--candidates", str(args.split / "candidates.jsonl"),
                                     "--queries", str(args.split / "queries.jsonl"), "--top", "100",
                                     "--out", str(out / "engine.jsonl")],
    }
    rows = {}
    for name, cmd in runs.items():
        wall, rss, log = run(cmd)
        ranking = out / ("bm25.jsonl" if "baseline" in name else "engine.jsonl")
        rows[name] = (score(ranking, args.split), wall, rss, log.splitlines()[-1] if log else "")
    print("| ranker | " + " | ".join(METRICS) + " | wall s | peak RSS MB |")
    print("|---|" + "---|" * (len(METRICS) + 2))
    for name, (m, wall, rss, _) in rows.items():
        print(f"| {name} | " + " | ".join(f"{m[k]:.4f}" for k in METRICS) + f" | {wall:.1f} | {rss:.0f} |")
    (b, *_), (e, *_) = rows.values()
    print("| ratio engine / BM25 | " + " | ".join(f"{e[k] / b[k]:.2f}×" if b[k] else "-" for k in METRICS) + " | | |")
    for name, (*_, log) in rows.items():
        print(f"\n{name}: {log}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
