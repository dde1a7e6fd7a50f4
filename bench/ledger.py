#!/usr/bin/env python3
"""Time to compute the whole indicator ledger for a year (`yiti.dashboard.indicators.table`) as the leader
(the city and every county) and as a county officer (their county), then the ledger page and a drill-down
page through the test client, and a month's snapshot.

Usage (from the repository root, in the venv), on a copy of a scale-100 database:
    YITI_VAR_DIR=/tmp/ledger-bench python bench/ledger.py [--year 2026] [--repeat 5] [--snapshot]

The database must already hold the demo data (`yiti demo-data --scale 100`); it is migrated first.
Wall time, median and maximum of --repeat runs after one warm-up; the load average is printed (the machine
may be shared). --snapshot also times one `snapshots.figures` (what `yiti snapshot` computes), once.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from yiti.accounts.models import Department, User  # noqa: E402
from yiti.core.models import Division  # noqa: E402
from yiti.dashboard import indicators as ledger  # noqa: E402
from yiti.dashboard import snapshots  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, float, int]:
    """(median wall ms, max wall ms, median CPU ms of this process — SQLite runs inside it —, queries)."""
    fn()  # warm-up
    times, cpu = [], []
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times) * 1000, max(times) * 1000, statistics.median(cpu) * 1000, queries


def user(username: str, **kw) -> User:
    found = User.objects.filter(username=username).first() or User.objects.create_user(username=username,
                                                                                      password="x", **kw)
    # as the tests do: no second factor or forced password change between the bench and the pages
    from yiti.security.models import AccountSecurity

    AccountSecurity.objects.update_or_create(user=found, defaults={"must_change_password": False})
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--snapshot", action="store_true")
    args = parser.parse_args()
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    call_command("migrate", verbosity=0)
    city = Division.objects.get(code="140700")
    dept = Department.objects.filter(kind="city").first() or Department.objects.create(
        name="晋中市人才办", kind="city", division=city)
    yuci = Division.objects.get(code="140702")
    county_dept = Department.objects.filter(division=yuci).first() or Department.objects.create(
        name="榆次区科技局", kind="office", parent=dept, division=yuci)
    leader = user("bench_leader", role="leader", scope="city")
    officer = user("bench_officer", role="staff", scope="county", department=county_dept)
    print(f"load average before: {os.getloadavg()}")
    print(f"{len(ledger.INDICATORS)} indicators, {len(ledger.counties())} counties, year {args.year}")
    print("| what | median ms (wall) | max ms (wall) | median ms (CPU) | queries |")
    print("|---|---|---|---|---|")
    for label, u in (("leader", leader), ("county officer", officer)):
        med, mx, cpu, q = timed(lambda u=u: ledger.table(u, args.year), args.repeat)
        print(f"| table(), {label} | {med:.0f} | {mx:.0f} | {cpu:.0f} | {q} |")
    client = Client(HTTP_HOST="localhost")
    for label, u in (("leader", leader), ("county officer", officer)):
        client.force_login(u)
        for page, url in (("ledger page", f"/dashboard/ledger/?year={args.year}"),
                          ("drill-down (agreements funded)", f"/dashboard/ledger/agreements_funded/?year={args.year}"),
                          ("drill-down (needs matched)", f"/dashboard/ledger/needs_matched/?year={args.year}")):
            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            med, mx, cpu, q = timed(get, args.repeat)
            print(f"| {page}, {label} | {med:.0f} | {mx:.0f} | {cpu:.0f} | {q} |")
    if args.snapshot:
        reset_queries()
        start, start_cpu = time.perf_counter(), time.process_time()
        values = snapshots.figures(f"{args.year}-11")
        print(f"| snapshots.figures (one month: {len(values)} values) | {(time.perf_counter() - start) * 1000:.0f} | "
              f"| {(time.process_time() - start_cpu) * 1000:.0f} | |")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
