"""Command line: ``python -m yiti.engine rank-experts|classify|search ...`` (formats: bench/README).

Every command reads JSONL through :func:`read_jsonl`: a bad line is reported as ``file:line:
reason`` (in Chinese) and either skipped (``rank-experts``; ``classify --skip-bad-lines``) or,
by default in ``classify``, collected so that the run stops before writing anything — a silently
dropped training line changes the model and a dropped prediction line loses an id."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import classify as classifier
from .experts import ExpertFinder, ExpertFinderConfig, candidate_documents
from .index import Index


def read_jsonl(
    path: str | Path, required: Sequence[str] = (), errors: list[str] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each good line.  A line is bad when it is not JSON, not an
    object, or a ``required`` field is missing, blank or not a string/number; it is reported as
    ``file:line: reason`` — on stderr and skipped when ``errors`` is None, else appended to
    ``errors``.  Raises OSError when the file cannot be read."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                reason = f"不是有效的 JSON（{e.msg}，第 {e.colno} 列）"
            else:
                reason = _check(item, required)
                if not reason:
                    yield n, item
                    continue
            if errors is None:
                _warn(f"{path}:{n}: {reason}，已跳过")
            else:
                errors.append(f"{path}:{n}: {reason}")


def _check(item: object, required: Sequence[str]) -> str:
    if not isinstance(item, dict):
        return "应为 JSON 对象"
    missing = [k for k in required if item.get(k) in (None, "")]
    odd = [k for k in required if k not in missing
           and (isinstance(item[k], bool) or not isinstance(item[k], str | int | float))]
    return "；".join([*([f"缺少字段 {', '.join(missing)}"] if missing else []),
                     *(f"字段 {k} 应为文字或数字" for k in odd)])


def _warn(msg: str) -> None:
    print(msg, file=sys.stderr)


# --- rank-experts ---------------------------------------------------------------------------------

def rank_experts(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m yiti.engine rank-experts",
                                 description="Rank candidate experts for each query (expert finding).")
    ap.add_argument("--candidates", required=True, help='JSONL: {"id", "name", "org", "docs": [{"title", "year", "discipline"}]}')
    ap.add_argument("--queries", required=True, help='JSONL: {"qid", "text"}')
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--out", required=True, help='JSONL written: {"qid", "ranking": [candidate ids]}')
    ap.add_argument("--workers", type=int, default=2, help="processes for text analysis and training")
    ap.add_argument("--train-queries", type=int, default=3000, help="pseudo-queries for the learned ranker (0: no learning)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--save", help="also write the index and the trained finder into this folder (ExpertFinder.load)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    cands = [c for _, c in read_jsonl(args.candidates, ("id",))]
    queries = [q for _, q in read_jsonl(args.queries, ("qid",))]
    index = Index.build(candidate_documents(cands), workers=args.workers)
    t1 = time.perf_counter()
    finder = ExpertFinder(index, ExpertFinderConfig(seed=args.seed, train_queries=max(args.train_queries, 1)),
                          person_of={str(c["id"]): str(c.get("name") or "") for c in cands}, workers=args.workers)
    info = finder.train() if args.train_queries > 0 else {}
    if args.save:
        finder.save(args.save)
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


# --- search ---------------------------------------------------------------------------------------

def search(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m yiti.engine search", description="Search a saved index.")
    ap.add_argument("index")
    ap.add_argument("query")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--filters", default="", help='JSON, e.g. {"discipline": "应用经济", "year": {"gte": 2015}}')
    args = ap.parse_args(argv)
    index = Index.load(args.index)
    try:
        filters = json.loads(args.filters) if args.filters else None
    except json.JSONDecodeError as e:
        _warn(f"错误: --filters 不是有效的 JSON（{e.msg}）")
        return 2
    result = index.search(args.query, filters, args.top)
    if result.reason:
        _warn(result.reason)
    for hit in result.hits:
        print(json.dumps({"id": hit.id, "score": round(hit.score, 6)}, ensure_ascii=False))
    return 0


# --- classify -------------------------------------------------------------------------------------

class _Usage(Exception):
    """A usage or input error: its message is printed after "错误: " and the command exits 2."""


def _classify_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m yiti.engine classify",
        description="Train a text classifier on JSONL records and/or label JSONL records.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--train", help="JSONL training records")
    src.add_argument("--model", help="folder of a saved model (instead of --train)")
    p.add_argument("--label", default="discipline", help="field holding the label (default: discipline)")
    p.add_argument("--text-fields",
                   help="comma-separated text fields (default: title,abstract, or the fields a --model was trained on)")
    p.add_argument("--parent-label", help="field holding each label's parent (e.g. category)")
    p.add_argument("--extra", help="JSONL records with only the parent label, for self-training")
    p.add_argument("--predict", help="JSONL records to label (each needs an 'id')")
    p.add_argument("--out", help="output JSONL (default: stdout)")
    p.add_argument("--top-k", type=int, default=0, help="also write the k best labels with probabilities")
    p.add_argument("--save-model", help="folder to save the trained model into")
    p.add_argument("--skip-bad-lines", action="store_true", help="skip malformed lines with a warning")
    return p


def _text_of(record: dict[str, Any], fields: Sequence[str]) -> str:
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
            raise ValueError(f"字段 {name} 不是文字")
    return "。".join(parts)


def _records(path: str, required: Sequence[str], fields: Sequence[str],
             errors: list[str] | None) -> tuple[list[str], list[dict[str, Any]]]:
    """Texts and records of the good lines of ``path``; bad lines handled as in :func:`read_jsonl`."""
    texts: list[str] = []
    kept: list[dict[str, Any]] = []
    try:
        rows = list(read_jsonl(path, required, errors))
    except OSError as e:
        raise _Usage(f"无法读取 {path}: {e.strerror or e}") from None
    for n, record in rows:
        try:
            texts.append(_text_of(record, fields))
        except ValueError as e:
            if errors is None:
                _warn(f"{path}:{n}: {e}，已跳过")
            else:
                errors.append(f"{path}:{n}: {e}")
            continue
        kept.append(record)
    return texts, kept


def _guard(action: Callable[[], Any], message: str) -> Any:
    try:
        return action()
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise _Usage(f"{message}: {e}") from None


def classify(argv: list[str]) -> int:
    """Train and/or apply a text classifier (yiti.engine.classify).  0 on success, 2 on bad usage
    or malformed input (nothing written)."""
    try:
        args = _classify_parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return _classify(args)
    except _Usage as e:
        _warn(f"错误: {e}")
        return 2


def _classify(args: argparse.Namespace) -> int:
    fields = [f.strip() for f in str(args.text_fields or "title,abstract").split(",") if f.strip()]
    if not fields:
        raise _Usage("--text-fields 为空")
    if args.predict is None and args.save_model is None:
        raise _Usage("没有要做的事：请给出 --predict 和/或 --save-model")
    if args.extra and not args.parent_label:
        raise _Usage("--extra 需要 --parent-label")
    if args.model and (args.extra or args.parent_label):
        raise _Usage("--extra / --parent-label 只能与 --train 一起使用")
    errors: list[str] | None = None if args.skip_bad_lines else []
    model: classifier.TextClassifier | None = None
    texts: list[str] = []
    labels: list[str] = []
    parents: dict[str, str] | None = None
    extra_texts: list[str] = []
    extra_parents: list[str] = []
    if args.model:
        model = _guard(lambda: classifier.load(args.model), f"无法读取模型 {args.model}")
        assert model is not None
        saved_fields = model.info.get("text_fields")
        if args.text_fields is None and isinstance(saved_fields, list) and saved_fields:
            fields = [str(f) for f in saved_fields]
    else:
        texts, kept = _records(args.train, [args.label], fields, errors)
        labels = [str(r[args.label]) for r in kept]
        if args.parent_label:
            pairs: Counter[tuple[str, str]] = Counter(
                (str(r[args.label]), str(r[args.parent_label])) for r in kept
                if r.get(args.parent_label) not in (None, ""))
            parents = {}
            for (lab, par), _ in pairs.most_common():
                parents.setdefault(lab, par)
        if args.extra:
            extra_texts, ekept = _records(args.extra, [args.parent_label], fields, errors)
            extra_parents = [str(r[args.parent_label]) for r in ekept]
    pred_texts: list[str] = []
    pred_ids: list[Any] = []
    if args.predict:
        pred_texts, pkept = _records(args.predict, ["id"], fields, errors)
        pred_ids = [r["id"] for r in pkept]
    if errors:
        for msg in errors[:50]:
            _warn(msg)
        if len(errors) > 50:
            _warn(f"…… 另有 {len(errors) - 50} 行格式错误")
        raise _Usage("输入中有格式错误的行，未写出任何结果（可用 --skip-bad-lines 跳过这些行）")

    if model is None:
        model = _guard(lambda: classifier.train(texts, labels, parents=parents, extra_texts=extra_texts,
                                                extra_parents=extra_parents), "无法训练")
        assert model is not None
        model.info["text_fields"] = fields
        if args.save_model:
            _guard(lambda: model.save(args.save_model) if model is not None else None, "无法保存模型")

    if args.predict:
        lines: list[str] = []
        if pred_texts:
            proba = model.predict_proba(pred_texts)
            k = max(0, int(args.top_k))
            for rid, p in zip(pred_ids, proba, strict=True):
                order = np.argsort(-p, kind="stable")
                rec: dict[str, Any] = {"id": rid, "label": model.labels[int(order[0])]}
                if k:
                    rec["top"] = [[model.labels[int(i)], round(float(p[i]), 4)] for i in order[:k]]
                lines.append(json.dumps(rec, ensure_ascii=False))
        data = "".join(line + "\n" for line in lines)
        if args.out:
            _guard(lambda: Path(args.out).write_text(data, encoding="utf-8"), f"无法写入 {args.out}")
        else:
            sys.stdout.write(data)
    return 0


COMMANDS: dict[str, Callable[[list[str]], int]] = {"rank-experts": rank_experts, "classify": classify, "search": search}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(f"usage: python -m yiti.engine {{{','.join(COMMANDS)}}} ...")
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd not in COMMANDS:
        _warn(f"未知的命令 {cmd!r}；可用命令: {'、'.join(COMMANDS)}")
        return 2
    try:
        return COMMANDS[cmd](rest)
    except OSError as e:
        _warn(f"错误: 无法读写 {e.filename or ''}: {e.strerror or e}")
        return 2
