"""Command line: ``python -m yiti.engine rank-experts|search|classify ...`` (formats: bench/README)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .experts import ExpertFinder, ExpertFinderConfig, candidate_documents
from .index import Index


class JsonlError(ValueError):
    pass


def read_jsonl(path: str | Path, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each good line; bad lines are reported on stderr with their
    number and skipped, so one broken record does not lose a whole run."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                _warn(f"{path}:{n}: 不是有效的 JSON，已跳过（{e.msg}，第 {e.colno} 列）")
                continue
            if not isinstance(item, dict):
                _warn(f"{path}:{n}: 应为 JSON 对象，已跳过")
                continue
            missing = [k for k in required if k not in item]
            if missing:
                _warn(f"{path}:{n}: 缺少字段 {', '.join(missing)}，已跳过")
                continue
            yield n, item


def _warn(msg: str) -> None:
    print(msg, file=sys.stderr)


def rank_experts(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m yiti.engine rank-experts",
                                 description="Rank candidate experts for each query (expert finding).")
    ap.add_argument("--candidates", required=True, help='JSONL: {"id", "name", "org", "docs": [{"title", "year", "discipline"}]}')
    ap.add_argument("--queries", required=True, help='JSONL: {"qid", "text"}')
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--out", required=True, help='JSONL written: {"qid", "ranking": [candidate ids]}')
    ap.add_argument("--workers", type=int, default=2, help="processes for text analysis")
    ap.add_argument("--train-queries", type=int, default=3000, help="pseudo-queries for the learned ranker (0: no learning)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    cands = [c for _, c in read_jsonl(args.candidates, ("id",))]
    queries = [q for _, q in read_jsonl(args.queries, ("qid", "text"))]
    index = Index.build(candidate_documents(cands), workers=args.workers)
    t1 = time.perf_counter()
    finder = ExpertFinder(index, ExpertFinderConfig(seed=args.seed, train_queries=max(args.train_queries, 1)),
                          person_of={str(c["id"]): str(c.get("name") or "") for c in cands})
    info = finder.train() if args.train_queries > 0 else {}
    t2 = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as out:
        for q in queries:
            text = str(q.get("text") or "")
            ranking = [h.owner for h in finder.rank(text, args.top)] if text.strip() else []
            out.write(json.dumps({"qid": q["qid"], "ranking": ranking}, ensure_ascii=False) + "\n")
    t3 = time.perf_counter()
    _warn(f"candidates {len(cands)}  documents {len(index)}  index {t1 - t0:.1f}s  "
          f"fit+train {t2 - t1:.1f}s {info}  {len(queries)} queries {t3 - t2:.1f}s")
    return 0


def search(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m yiti.engine search", description="Search a saved index.")
    ap.add_argument("index")
    ap.add_argument("query")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--filters", default="", help='JSON, e.g. {"discipline": "应用经济", "year": {"gte": 2015}}')
    args = ap.parse_args(argv)
    index = Index.load(args.index)
    filters = json.loads(args.filters) if args.filters else None
    result = index.search(args.query, filters, args.top)
    if result.reason:
        _warn(result.reason)
    for hit in result.hits:
        print(json.dumps({"id": hit.id, "score": round(hit.score, 6)}, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"rank-experts": rank_experts, "search": search}
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m yiti.engine {rank-experts,classify,search} ...")
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "classify":
        # Built separately (yiti/engine/classify.py); imported only when asked for.
        module = importlib.import_module("yiti.engine.classify")
        return int(module.main(rest))
    if cmd not in commands:
        _warn(f"unknown command {cmd!r}; expected one of rank-experts, classify, search")
        return 2
    return commands[cmd](rest)
