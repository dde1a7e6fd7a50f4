#!/usr/bin/env python3
"""免申即享 at scale (issue 16 §2): 50 policies × 10,000 organisations screened (≤ 5 s).

Usage (from the repository root, in the venv):
    YITI_VAR_DIR=/tmp/bench-policies python bench/policy_screen.py --orgs 10000 --policies 50

The database is migrated; when it holds fewer than --orgs enterprises, seeded synthetic ones are added (type,
cultivation stage with 10 % left empty, industry, county, reserve pool), with one change-history entry each (as
an edit would leave), so that the explanations find their dates. 50 seeded policies of 2–4 conditions each over
the catalogue's fields. Timed (wall and this process's CPU, median of --repeat runs after one warm-up):

- load: every catalogue column of the organisations in scope in one query, with the change history's dates
  (`services.load_columns`, shared by the 50 policies: a run over several policies loads once);
- screen: the 50 policies over the columns (`rules.screen`), eligible and incomplete records found;
- explain: each eligible or incomplete record explained condition by condition (`rules.explain`);
- total: the three.

The load average is printed before and after (the machine may be shared).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

STAGES = ["startup_team", "startup", "tech_sme", "high_tech", "little_giant", "listed", ""]


def fill(count: int, seed: int) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from yiti.core.models import Division, Industry
    from yiti.orgs.models import Organisation

    have = Organisation.objects.filter(org_type="enterprise").count()
    if have >= count:
        return
    rng = random.Random(seed)
    counties = list(Division.objects.filter(code__startswith="1407", level="county").values_list("pk", flat=True))
    industries = list(Industry.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    rows = [Organisation(name=f"基准企业{seed}-{n:06d}有限公司", org_type="enterprise",
                         ladder_stage=rng.choice(STAGES), industry_id=rng.choice(industries),
                         division_id=rng.choice(counties), in_reserve_pool=rng.random() < 0.2)
            for n in range(have, count)]
    Organisation.objects.bulk_create(rows, batch_size=2000)
    content_type = ContentType.objects.get_for_model(Organisation)
    now = timezone.now()
    ids = Organisation.objects.filter(org_type="enterprise").values_list("pk", flat=True)
    LogEntry.objects.bulk_create([LogEntry(content_type=content_type, object_pk=str(pk), object_id=pk,
                                           object_repr="", action=LogEntry.Action.UPDATE, timestamp=now,
                                           changes={"ladder_stage": ["", "tech_sme"]}) for pk in ids],
                                 batch_size=2000)


def policies(count: int, seed: int) -> list[list[dict]]:
    """`count` seeded rule sets, each checked by the one gate as a policy's would be."""
    from yiti.core.models import Division, Industry
    from yiti.policies import rules

    rng = random.Random(seed)
    counties = list(Division.objects.filter(code__startswith="1407", level="county").values_list("code", flat=True))
    sections = list(Industry.objects.filter(parent__isnull=True).values_list("code", flat=True))
    makers = [
        lambda: {"field": "org_type", "op": "eq", "value": "enterprise"},
        lambda: {"field": "ladder_stage", "op": "in", "value": rng.sample(STAGES[:-1], 2)},
        lambda: {"field": "county", "op": "in", "value": rng.sample(counties, 3)},
        lambda: {"field": "industry", "op": "in", "value": rng.sample(sections, 3)},
        lambda: {"field": "in_reserve_pool", "op": "eq", "value": True},
        lambda: {"field": "ladder_stage", "op": "not_in", "value": ["listed"]},
    ]
    out = []
    for _ in range(count):
        chosen = rng.sample(makers, rng.randint(2, 4))
        out.append(rules.check_conditions("organisation", [make() for make in chosen]))
    return out


def once(rule_sets: list[list[dict]]) -> dict[str, tuple[float, float]]:
    from yiti.orgs.models import Organisation
    from yiti.policies import rules, services

    times: dict[str, tuple[float, float]] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    columns = services.load_columns("organisation", Organisation.objects.all(), date(2026, 12, 5))
    times["load"] = (time.perf_counter() - wall, time.process_time() - cpu)
    wall2, cpu2 = time.perf_counter(), time.process_time()
    found = [rules.screen(conditions, columns) for conditions in rule_sets]
    times["screen"] = (time.perf_counter() - wall2, time.process_time() - cpu2)
    wall3, cpu3 = time.perf_counter(), time.process_time()
    explained = 0
    for conditions, result in zip(rule_sets, found, strict=True):
        prepared = rules.prepare(conditions, columns)
        for row in result.eligible + result.incomplete:
            rules.explain(prepared, columns, row)
            explained += 1
    times["explain"] = (time.perf_counter() - wall3, time.process_time() - cpu3)
    times["total"] = (time.perf_counter() - wall, time.process_time() - cpu)
    once.last = (len(columns), explained, sum(len(r.eligible) for r in found))  # type: ignore[attr-defined]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--policies", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    fill(args.orgs, args.seed)
    rule_sets = policies(args.policies, args.seed)
    print(f"load average before: {os.getloadavg()}")
    once(rule_sets)  # warm-up
    runs = [once(rule_sets) for _ in range(args.repeat)]
    records, explained, eligible = once.last  # type: ignore[attr-defined]
    print(f"{args.policies} policies × {records} organisations; {eligible} eligible pairs, {explained} explained")
    for phase in ("load", "screen", "explain", "total"):
        walls = [r[phase][0] for r in runs]
        cpus = [r[phase][1] for r in runs]
        print(f"{phase:8s} wall median {statistics.median(walls):.2f} s (max {max(walls):.2f}), "
              f"CPU median {statistics.median(cpus):.2f} s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
