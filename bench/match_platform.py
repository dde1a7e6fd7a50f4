#!/usr/bin/env python3
"""Expert finding in the platform, on real data: the README's NSSF import → the matching index → `yiti recommend
experts`, scored against the reference BM25 on the same split (issue 14 §6).

    python ../shared/bench/expert_split.py ../shared/data/nssf_projects.csv /tmp/nssf
    .venv/bin/python bench/match_platform.py /tmp/nssf [--work /tmp/match_platform] [--engine-ranking FILE]

Steps, each timed (wall time, peak RSS from /usr/bin/time):
  1. the grant list without the split's held-out titles: for each query, every row of its expert (person,
     organisation) whose title is the held-out title or a near-duplicate of it (difflib ratio > 0.7, the split's
     own rule) is left out — otherwise the answer would be in the database;
  2. a fresh SQLite database (YITI_VAR_DIR in the work folder), `yiti migrate`, and the README's two import
     commands: talents from the whole list (talent rows carry no title), results from the file of step 1;
  3. `yiti matching-index --rebuild` (the full build: documents, search index, expert finder trained, saved);
  4. `yiti recommend experts --queries queries.jsonl --top 100 --out platform.jsonl --all-talents`;
  5. each ranked talent mapped back to the split's candidate id by (name, organisation), then score.py;
  6. ../shared/bench/baseline_bm25.py on the same split, scored the same way; with --engine-ranking, the engine
     CLI's ranking (bench/expert_finding.py writes engine.jsonl) is scored too;
  7. the index's memory in one process: RSS before and after `store.current()` and after a first query.
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("YITI_SHARED", str(ROOT / ".." / "shared")))
YITI = str(Path(sys.executable).with_name("yiti"))
METRICS = ("MRR@100", "nDCG@10", "Recall@10", "Recall@100")
sys.path.insert(0, str(ROOT / "bench"))
from import_nssf import RESULTS, TALENTS  # noqa: E402  (the README's commands, kept in one place)

_NON_WORD = re.compile(r"[\W_]+")


def norm_title(text: str) -> str:
    return _NON_WORD.sub("", text)


def norm_name(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def held_out_csv(split: Path, source: Path, target: Path) -> tuple[int, int]:
    """Write the grant list without the held-out titles of the split's queried experts; (rows kept, left out)."""
    cands = {c["id"]: c for c in read_jsonl(split / "candidates.jsonl")}
    texts = {q["qid"]: q["text"] for q in read_jsonl(split / "queries.jsonl")}
    held: dict[tuple[str, str], list[str]] = {}
    for rel in read_jsonl(split / "qrels.jsonl"):
        for cid in rel["relevant"]:
            c = cands[cid]
            held.setdefault((c["name"], c["org"]), []).append(norm_title(texts[rel["qid"]]))
    kept = dropped = 0
    with open(source, encoding="utf-8", newline="") as f, open(target, "w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        for row in reader:
            titles = held.get(((row.get("person") or "").strip(), (row.get("org") or "").strip()))
            if titles:
                t = norm_title((row.get("title") or "").strip())
                if any(t == h or difflib.SequenceMatcher(None, t, h).ratio() > 0.7 for h in titles):
                    dropped += 1
                    continue
            writer.writerow(row)
            kept += 1
    return kept, dropped


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) and output of a command."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "RSS %M", *cmd], env=env, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    rss = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("RSS ")]
    return wall, (rss[-1] // 1024 if rss else 0), (done.stdout + done.stderr).strip()


def score(ranking: Path, split: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(SHARED / "bench" / "score.py"), str(ranking), str(split / "qrels.jsonl")],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def to_candidates(platform: Path, split: Path, database: Path, target: Path) -> tuple[int, int, int]:
    """The platform's rankings with candidate ids; (talents mapped, talents not mapped, talents standing for
    several candidates).

    A candidate of the split is a (person, organisation) pair; the import may merge two pairs into one talent
    (the same name at 福建师范大学 and at 福建师范大学社会历史学院 is one person to it). A talent therefore stands
    for every pair it was made from: its own name and organisation, and its name with the organisation of each
    result it leads (the row's 所属单位). A ranked talent becomes those candidates, its own pair first."""
    by_name: dict[tuple[str, str], str] = {}
    for c in read_jsonl(split / "candidates.jsonl"):
        by_name.setdefault((norm_name(c["name"]), norm_name(c["org"])), c["id"])
    con = sqlite3.connect(database)
    pairs: dict[int, list[tuple[str, str]]] = {}
    for pk, name, org in con.execute("select t.id, t.name, o.name from talents_talent t "
                                     "left join orgs_organisation o on o.id = t.organisation_id"):
        pairs[pk] = [(norm_name(name), norm_name(org))]
    for pk, name, org in con.execute("select distinct t.id, t.name, o.name from results_result r "
                                     "join talents_talent t on t.id = r.leader_id "
                                     "join orgs_organisation o on o.id = r.owner_id"):
        if (norm_name(name), norm_name(org)) not in pairs[pk]:
            pairs[pk].append((norm_name(name), norm_name(org)))
    con.close()
    mapped = missing = several = 0
    with open(target, "w", encoding="utf-8") as out:
        for line in read_jsonl(platform):
            ranking: list[str] = []
            for hit in line["ranking"]:
                cids = [by_name[p] for p in pairs.get(hit["talent_id"], []) if p in by_name]
                if not cids:
                    missing += 1
                    continue
                mapped += 1
                several += len(cids) > 1
                ranking.extend(c for c in cids if c not in ranking)
            out.write(json.dumps({"qid": line["qid"], "ranking": ranking[:100]}, ensure_ascii=False) + "\n")
    return mapped, missing, several


MEMORY = """
import os, resource, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import django; django.setup()
from yiti.matching import store
from yiti.talents.models import Talent
Talent.objects.first()
before = rss(); t0 = time.perf_counter()
idx = store.current()
loaded = rss(); t1 = time.perf_counter()
idx.experts("乡村振兴战略背景下农村基层治理研究", top=100)
first = rss(); t2 = time.perf_counter()
for q in ("新时代马克思主义中国化研究", "数字经济与产业结构升级", "中国古代文学文献整理"):
    idx.experts(q, top=100)
warm = rss(); t3 = time.perf_counter()
print(f"MEMORY {before:.0f} {loaded:.0f} {first:.0f} {warm:.0f} {t1 - t0:.2f} {t2 - t1:.2f} {(t3 - t2) / 3:.3f}")
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", type=Path, help="folder made by ../shared/bench/expert_split.py")
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "nssf_projects.csv")
    ap.add_argument("--work", type=Path, default=Path("/tmp/match_platform"))
    ap.add_argument("--engine-ranking", type=Path, help="engine.jsonl of bench/expert_finding.py on the same split")
    ap.add_argument("--keep", action="store_true", help="reuse the work folder's database and index if present")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} is absent: this benchmark needs ../shared/data")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    var = work / "var"
    env = {**os.environ, "YITI_VAR_DIR": str(var), "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "yiti.settings"}
    env.pop("DATABASE_URL", None)
    timings: list[tuple[str, float, int, str]] = []
    if not (args.keep and (var / "yiti.sqlite3").exists()):
        subprocess.run(["rm", "-rf", str(var)], check=True)
        csv_path = work / "nssf_without_held_out.csv"
        t0 = time.perf_counter()
        kept, dropped = held_out_csv(args.split, args.data, csv_path)
        timings.append(("held-out titles left out", time.perf_counter() - t0, 0, f"{kept} rows kept, {dropped} left out"))
        wall, rss, _ = run([YITI, "migrate", "-v0"], env)
        timings.append(("migrate", wall, rss, ""))
        subprocess.run([YITI, "shell", "-c", "from yiti.accounts.models import User; "
                        "User.objects.create_superuser('bench', 'bench@example.com', 'Bench-2026-match')"],
                       env=env, check=True)
        # The people come from the whole list (a talent row holds no title); the projects without the held-out
        # titles. (Left out of the talents too, an expert whose only row with a 类别 was held out would be
        # refused by the talent import and their other projects left without a leader.)
        for registry, options, source in (("talents", TALENTS, args.data), ("results", RESULTS, csv_path)):
            wall, rss, log = run([YITI, "import", registry, str(source), *options], env)
            counts = [line for line in log.splitlines() if line.startswith("{")]
            timings.append((f"import {registry}", wall, rss, f"`{counts[-1]}`" if counts else ""))
    load = os.getloadavg()[0]
    wall, rss, log = run([YITI, "matching-index", "--rebuild"], env)
    timings.append(("matching-index --rebuild", wall, rss, f"load average {load:.1f} at start; "
                    + " / ".join(line for line in log.splitlines() if "Built" in line or "构建" in line or "已建" in line)))
    platform = work / "platform.jsonl"
    wall, rss, log = run([YITI, "recommend", "experts", "--queries", str(args.split / "queries.jsonl"), "--top", "100",
                          "--out", str(platform), "--all-talents"], env)
    n_queries = len(read_jsonl(args.split / "queries.jsonl"))
    timings.append(("recommend experts", wall, rss, f"{n_queries} queries, {1000 * wall / max(n_queries, 1):.0f} ms each"))
    mapped, missing, several = to_candidates(platform, args.split, var / "yiti.sqlite3", work / "platform_candidates.jsonl")
    wall, rss, _ = run([sys.executable, str(SHARED / "bench" / "baseline_bm25.py"), str(args.split), str(work / "bm25.jsonl")], env)
    timings.append(("baseline_bm25.py", wall, rss, ""))
    mem = subprocess.run([sys.executable, "-c", MEMORY], env=env, capture_output=True, text=True, cwd=ROOT)
    rows = {"BM25 (baseline_bm25.py)": score(work / "bm25.jsonl", args.split),
            "platform: yiti recommend experts": score(work / "platform_candidates.jsonl", args.split)}
    if args.engine_ranking:
        rows["engine CLI (python -m yiti.engine rank-experts)"] = score(args.engine_ranking, args.split)
    print("| ranker | " + " | ".join(METRICS) + " |")
    print("|---|" + "---|" * len(METRICS))
    for name, m in rows.items():
        print(f"| {name} | " + " | ".join(f"{m[k]:.4f}" for k in METRICS) + " |")
    base, plat = rows["BM25 (baseline_bm25.py)"], rows["platform: yiti recommend experts"]
    print("| platform / BM25 | " + " | ".join(f"{plat[k] / base[k]:.2f}×" if base[k] else "-" for k in METRICS) + " |")
    if args.engine_ranking:
        eng = rows["engine CLI (python -m yiti.engine rank-experts)"]
        print("| platform / engine CLI | " + " | ".join(f"{plat[k] / eng[k]:.3f}" if eng[k] else "-" for k in METRICS) + " |")
    print(f"\nranked talents mapped to candidates: {mapped} (standing for several: {several}); not mapped: {missing}")
    print("\n| step | wall s | peak RSS MB | note |\n|---|---|---|---|")
    for name, wall, rss, note in timings:
        print(f"| {name} | {wall:.1f} | {rss or ''} | {note} |")
    line = [x for x in mem.stdout.splitlines() if x.startswith("MEMORY")]
    if line:
        before, loaded, first, warm, t_load, t_first, t_query = line[0].split()[1:]
        print(f"\nindex memory in one process: RSS {before} MB before, {loaded} MB after load (+{float(loaded) - float(before):.0f}), "
              f"{first} MB after the first query (+{float(first) - float(before):.0f}), {warm} MB after 3 more; "
              f"load {t_load} s, first query {t_first} s, later {t_query} s each")
    else:
        print(f"\nmemory measurement failed: {mem.stderr[-2000:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
