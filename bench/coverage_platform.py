#!/usr/bin/env python3
"""Commissioner coverage on the platform side: one `CoverageRun` solved in-process on the demo city, the
same code path as /matching/coverage/ (`yiti.matching.coverage.start_run` → `solve`).

Usage (from the repository root, in the venv):
    YITI_VAR_DIR=/tmp/bench-coverage python bench/coverage_platform.py --scale 10
    YITI_VAR_DIR=/tmp/bench-coverage python bench/coverage_platform.py --scale 10 --targets community --k 1
    YITI_VAR_DIR=/tmp/bench-coverage100 python bench/coverage_platform.py --scale 100 --county 140702

The database is migrated and, when empty, filled with `demo-data --scale N` first (the time is printed).
The run is started as a superuser over every target of the kind (enterprises: those in the reserve pool,
or all villages/communities with --targets community) with the active experts of --role. Reported: the
index build (first `store.current()`), the fit phase (the expert finder once per target), the solver
(`yiti.engine.assign`), writing the proposals, and the whole `solve`; the counts (targets, experts,
candidate pairs' outcome: covered places, uncovered by reason). The load average is printed: the machine
may be shared.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from yiti.accounts.models import User  # noqa: E402
from yiti.core.models import Division  # noqa: E402
from yiti.matching import coverage, store  # noqa: E402
from yiti.matching.models import CoverageRun  # noqa: E402
from yiti.orgs.models import Organisation  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--targets", choices=("enterprise", "community"), default="enterprise")
    parser.add_argument("--role", default="commissioner")
    parser.add_argument("--k", type=int, default=1)
    parser.add_argument("--county", default="", help="a county code (e.g. 140702): only its targets, as its officer would")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        started = time.perf_counter()
        call_command("demo-data", scale=args.scale)
        print(f"demo-data --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True, "is_staff": True})
    print(f"database: {connection.vendor}; load {load()}")

    started = time.perf_counter()
    store.reset()
    store.current()
    index_s = time.perf_counter() - started

    divisions = [Division.objects.get(code=args.county).pk] if args.county else []
    criteria = coverage.Criteria(org_type=args.targets, reserve_pool=args.targets == "enterprise", k=args.k,
                                 divisions=divisions, start=coverage.today().isoformat())
    run = coverage.start_run(user, title="bench", role=args.role, criteria=criteria)
    marks: list[tuple[str, float]] = []
    plain = run.set_progress

    def timed_progress(phase: str, done: int, total: int) -> None:
        if not marks or marks[-1][0] != phase:
            marks.append((phase, time.perf_counter()))
        plain(phase, done, total)

    run.set_progress = timed_progress  # type: ignore[method-assign]
    started = time.perf_counter()
    coverage.solve(run)
    ended = time.perf_counter()
    run.refresh_from_db()
    assert run.status == CoverageRun.Status.REVIEW, run.message

    phase_start = {phase: at for phase, at in marks}
    fit_s = phase_start.get("prepare", ended) - started
    solver_s = phase_start.get("done", ended) - phase_start.get("prepare", ended)
    write_s = ended - phase_start.get("done", ended)
    lines = run.proposals.all()
    reasons = Counter(lines.filter(expert__isnull=True).values_list("uncovered_reason", flat=True))
    experts = coverage.expert_queryset(user, args.role).count()
    summary = coverage.summary(run)["total"]
    print(f"targets {summary['targets']} ({args.targets}{', county ' + args.county if args.county else ''}), experts {experts} ({args.role}), k {args.k}")
    print(f"covered places {run.summary['covered']} / {run.summary['demanded']}; targets covered "
          f"{summary['covered']} ({summary['rate']:.1%}); experts used {summary['experts']}; uncovered {dict(reasons)}")
    print("| step | seconds |\n|---|---|")
    for label, seconds in (("index build (first store.current())", index_s), ("fit (expert finder per target)", fit_s),
                           ("solver (engine.assign)", solver_s), ("write proposals", write_s),
                           ("whole solve", ended - started)):
        print(f"| {label} | {seconds:.2f} |")
    print(f"load {load()}")


if __name__ == "__main__":
    main()
