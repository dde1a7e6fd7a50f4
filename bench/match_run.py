#!/usr/bin/env python3
"""A matching run (对接清单, issue 14 §3) over about 1,000 needs, inline, through the lists service:
`lists.start_run(user, Scope)` then `lists.build(run)` — the work `tasks.run_job` does on the worker.

Usage (from the repository root, in the venv, on a database with a built index):
    DATABASE_URL=sqlite:////work/perf/m14.sqlite3 YITI_VAR_DIR=/work/perf/var14 \
        python bench/match_run.py --user staff_140702 --needs 1000

The scope is the user's county (or the whole city for a city officer) and a published-date range chosen so
that about --needs needs fall in it (the newest first: date_from is the published date of the N-th newest
need in the user's scope; ties on that day may add a few). The index is loaded first (`store.current()`,
timed apart), so the run is timed with a warm index, as on a worker that has served a run before. Prints wall
time, CPU time (this process's and its forked processes': the run works its records in
YITI_MATCHING_RUN_WORKERS processes, default 2), records, proposals, and the time per 1,000 needs. The list
made is deleted afterwards (--keep to keep it). Issue target: a run over 1,000 needs ≤ 120 s.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", default="staff_140702")
    parser.add_argument("--needs", type=int, default=1000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the run to FILE")
    args = parser.parse_args()

    from django.conf import settings

    from yiti.accounts.models import User
    from yiti.matching import lists, store
    from yiti.matching.choices import ListKind
    from yiti.matching.models import MatchingItem, MatchingList

    user = User.objects.get(username=args.user)
    divisions = lists.run_divisions(user)
    division_id = divisions[0].pk if divisions else None
    base = lists.records_in_scope(user, lists.Scope(ListKind.NEEDS, division_id))
    in_scope = base.count()
    dates = list(base.values_list("published_date", flat=True)[: args.needs])
    date_from = dates[-1] if len(dates) >= args.needs else None
    scope = lists.Scope(ListKind.NEEDS, division_id, date_from=date_from)
    print(f"user {args.user} ({user.get_scope_display()}), division {division_id}: {in_scope} needs in scope; "
          f"date_from {date_from}")

    started, cpu = time.perf_counter(), time.process_time()
    index = store.current()
    if index is None:
        sys.exit("no matching index: run `yiti matching-index --rebuild` first")
    print(f"index load: {time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, "
          f"{index.documents} documents; load {load()}")

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    def cpu_all() -> float:
        """CPU of this process and of the run's forked processes (yiti.core.forked), once they have ended."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    started, cpu = time.perf_counter(), cpu_all()
    run = lists.start_run(user, scope, title="bench/match_run.py")
    if profiler:
        profiler.enable()
    lists.build(run)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    wall, cpu = time.perf_counter() - started, cpu_all() - cpu
    run.refresh_from_db()
    items = MatchingItem.objects.filter(matching_list_id=run.matching_list_id).count()
    n = run.records or 0
    print(f"processes: {settings.YITI_MATCHING_RUN_WORKERS} (YITI_MATCHING_RUN_WORKERS)")
    print(f"run {run.pk}: status {run.status}, {n} needs, {items} proposals; {run.message}")
    print(f"wall {wall:.1f} s, CPU {cpu:.1f} s; per 1,000 needs: wall {wall * 1000 / max(n, 1):.1f} s, "
          f"CPU {cpu * 1000 / max(n, 1):.1f} s; max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"load {load()}")
    if not args.keep and run.matching_list_id:
        MatchingList.objects.filter(pk=run.matching_list_id).delete()


if __name__ == "__main__":
    main()
