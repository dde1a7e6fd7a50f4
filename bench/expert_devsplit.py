#!/usr/bin/env python3
"""Make a development split for choosing expert-finding parameters without touching the test split.

Removes every project of the experts whose held-out titles are queries of the test split
(their (person, org) pairs, read from its qrels/candidates; their scores are never looked
at), then runs ../shared/bench/expert_split.py on what is left with another seed.  Parameters
are chosen on this split only; the test split is scored once, at the end.

    .venv/bin/python bench/expert_devsplit.py ../shared/data/nssf_projects.csv /tmp/nssf /tmp/nssf_dev
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("projects_csv")
    ap.add_argument("test_dir", help="the test split made by expert_split.py")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1)
    # The test split asks 2000 of its 3523 eligible experts; asking the same share (865 of the
    # 1523 left here) keeps as many multi-project experts in the profiles as the test has.
    ap.add_argument("--queries", type=int, default=865)
    ap.add_argument("--split-script", default=str(Path(__file__).resolve().parents[2] / "shared/bench/expert_split.py"))
    args = ap.parse_args()
    test = Path(args.test_dir)
    rel = {c for line in open(test / "qrels.jsonl", encoding="utf-8") for c in json.loads(line)["relevant"]}
    excluded = set()
    for line in open(test / "candidates.jsonl", encoding="utf-8"):
        c = json.loads(line)
        if c["id"] in rel:
            excluded.add((c["name"].strip(), c["org"].strip()))
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    kept = 0
    with open(args.projects_csv, encoding="utf-8", newline="") as f, open(out / "projects.csv", "w", encoding="utf-8", newline="") as g:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(g, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        for row in reader:
            if (row["person"].strip(), row["org"].strip()) not in excluded:
                writer.writerow(row)
                kept += 1
    print(f"excluded experts {len(excluded)}  kept rows {kept}")
    return subprocess.call([sys.executable, args.split_script, str(out / "projects.csv"), str(out), "--seed", str(args.seed), "--queries", str(args.queries)])


if __name__ == "__main__":
    raise SystemExit(main())
