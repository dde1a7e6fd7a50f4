#!/usr/bin/env python3
"""Supervision at scale (issue 15 §6): `yiti supervise` over the whole city (≤ 60 s) and the roll-up over
10,000 tasks (≤ 1 s).

Usage (from the repository root, in the venv):
    YITI_VAR_DIR=/tmp/bench-sqlite python bench/supervision.py --scale 100
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiti_bench python bench/supervision.py --scale 100

The database is migrated and, when empty, filled with `demo-data --scale N` first. Then, if it holds fewer
than --tasks supervision tasks, synthetic ones are added (seeded: counties, departments, dates over two years,
statuses in the ladder's proportions). Timed:

- `daily.run()` for a fixed day, twice: the first run raises the automatic tasks of the whole city (at scale
  100 tens of thousands of needs, agreements, platforms), recomputes every light and sends the notifications;
  the second finds nothing to do (what every later day costs is between the two);
- the roll-up (`rollups.rollup`) by county and by lead department, per week and per month, over all tasks,
  median and max of --repeat runs after one warm-up, and the roll-up page as a whole (as the superuser).

Wall time, and for `yiti supervise` the CPU time of the process (SQLite runs in it); the load average is printed
(the machine may be shared). --profile prints the first run's profile (cProfile, cumulative).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from yiti.accounts.models import Department, User  # noqa: E402
from yiti.orgs.models import Organisation  # noqa: E402
from yiti.supervision import daily, rollups  # noqa: E402
from yiti.supervision.choices import TaskStatus  # noqa: E402
from yiti.supervision.models import Task  # noqa: E402

DAY = date(2026, 12, 5)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def add_tasks(wanted: int, seed: int) -> int:
    have = Task.objects.filter(condition="").count()
    if have >= wanted:
        return 0
    rnd = random.Random(seed)
    city = Department.objects.filter(kind="city", parent=None).order_by("pk").first()
    counties = list(Department.objects.filter(kind="county").values_list("pk", "division_id"))
    tasks = []
    for n in range(wanted - have):
        lead, division = rnd.choice(counties)
        assigned = DAY - timedelta(days=rnd.randint(0, 730))
        deadline = assigned + timedelta(days=rnd.randint(7, 120))
        status = rnd.choices(TaskStatus.values, weights=[10, 10, 30, 10, 40])[0]
        done = closed = None
        if status in (TaskStatus.DONE, TaskStatus.CLOSED):
            done = min(DAY, deadline + timedelta(days=rnd.randint(-20, 15)))
            done = max(done, assigned)
            if status == TaskStatus.CLOSED:
                closed = min(DAY, done + timedelta(days=rnd.randint(0, 10)))
        tasks.append(Task(title=f"基准督办事项{n}", division_id=division, assigning_department=city,
                          lead_department_id=lead, assigned_on=assigned, deadline=deadline, status=status,
                          done_on=done, closed_on=closed))
    Task.objects.bulk_create(tasks, batch_size=1000)
    return len(tasks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--tasks", type=int, default=10_000, help="at least this many tasks (not automatic ones)")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--reset", action="store_true",
                        help="first remove the automatic tasks and all notifications and reset the lights, so that "
                             "the first run is measured again")
    parser.add_argument("--profile", action="store_true", help="profile the first run (cProfile, top 40)")
    args = parser.parse_args()
    print(f"database: {connection.vendor}; load average {load()}")
    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        started = time.perf_counter()
        call_command("demo-data", scale=args.scale, verbosity=0)
        print(f"demo-data --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    if args.reset:
        from yiti.supervision.models import Notification, Report

        Notification.objects.all().delete()
        Report.objects.filter(task__condition__gt="").delete()
        Task.objects.exclude(condition="").delete()
        Task.objects.update(light="green", red_since=None, escalated=False)
    added = add_tasks(args.tasks, args.seed)
    print(f"tasks: {Task.objects.count()} ({added} added)")

    for label in ("first run", "second run"):
        started, cpu = time.perf_counter(), time.process_time()
        if args.profile and label == "first run":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            summary = profiler.runcall(daily.run, DAY)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        else:
            summary = daily.run(DAY)
        print(f"yiti supervise ({label}): {time.perf_counter() - started:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU (this process, SQLite included) — {summary.line()}; "
              f"load {load()}", flush=True)
    print(f"tasks now: {Task.objects.count()}, open: {Task.objects.filter(status__in=['assigned', 'received', 'in_progress']).count()}")

    for by in rollups.GROUPS:
        for period in rollups.PERIODS:
            rollups.rollup(Task.objects.all(), by, period, DAY, DAY)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                rows, _total = rollups.rollup(Task.objects.all(), by, period, DAY, DAY)
                times.append(time.perf_counter() - started)
            print(f"roll-up by {by}, {period}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms ({len(rows)} rows)")

    setup_test_environment()
    client = Client()
    # the superuser: on a branch without the Task registry a leader's restrict() would give no task at all
    boss = User.objects.filter(is_superuser=True, is_active=True).first()
    if boss:
        client.force_login(boss)
        url = "/supervision/rollups/?by=county&period=month&date=2026-12-05"
        client.get(url)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - started)
        print(f"roll-up page (superuser): median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    print(f"load average {load()}")


if __name__ == "__main__":
    main()
