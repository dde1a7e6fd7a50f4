#!/usr/bin/env python3
"""Server time of the dashboards (issue 15 §6): the home page by role and the 数据大屏's data endpoint, for the
leader, the city staff (city_staff) and a county officer (staff_140702), plus the charts' JSON endpoints.

Usage (from the repository root, in the venv), on a copy of a scale-100 database:
    YITI_VAR_DIR=/path/to/copy python bench/dashboard_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiti_bench python bench/dashboard_pages.py

In-process through Django's test client, like bench/list_pages.py: server time without network or browser;
each URL once as a warm-up, then --repeat times; median and p95 in milliseconds. The screen endpoint is
cached for a minute (yiti/dashboard/screen.py), and so are the figures behind every chart (charts.py): "(cold)"
clears the cache before every request (the first visit in a minute), the others are what a wall screen and
the leaders' browsers get within the minute.

--ready first computes the figures the worker keeps ready (`yiti.dashboard.live.refresh`, timed: what the worker
spends every few minutes) and measures with them: "(cold)" then still clears the per-process cache, but the
figures of the leaders, the city staff and a county officer come from the kept set (what a user gets while
`yiti db_worker` runs). Without --ready no set exists (or it is removed): the pages compute the figures
themselves, as when no worker runs.
"""

import argparse
import gc
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
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from yiti.accounts.models import User  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(client: Client, url: str, repeat: int, before=None, clock=time.perf_counter) -> tuple[float, float]:
    if before:
        before()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = clock()
        response = client.get(url)
        samples.append((clock() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), percentile(samples, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--users", default="leader,city_staff,staff_140702")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or this process's CPU time (SQLite runs in it): on a shared machine the wall "
                             "time includes waiting for a core")
    parser.add_argument("--ready", action="store_true",
                        help="compute the figures kept ready first (as the worker does) and measure with them")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)  # a database generated before the dashboard app
    setup_test_environment()
    gc.freeze()
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    from yiti.security.models import AccountSecurity

    one, five, fifteen = os.getloadavg()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    try:
        from yiti.dashboard import live
        from yiti.dashboard.models import FigureSet
    except ImportError:  # a branch before the figures kept ready
        live = None
    if live is not None:
        FigureSet.objects.all().delete()
        if args.ready:
            for _ in range(2):
                wall, cpu = time.perf_counter(), time.process_time()
                found = live.refresh()
                print(f"figures kept ready (live.refresh, {len(found.data['values'])} indicators): "
                      f"{(time.perf_counter() - wall) * 1000:.0f} ms wall, {(time.process_time() - cpu) * 1000:.0f} ms CPU")
    print(f"database: {connection.vendor}; repeat {args.repeat}; {args.clock} times in ms (median / p95); "
          f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores")
    for username in args.users.split(","):
        user = User.objects.get(username=username)
        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
        client = Client()
        client.force_login(user)
        print(f"\nuser {username} ({user.get_role_display()}, {user.get_scope_display()} {user.department or ''})")
        print(f"| {'page':<34} | {'median':>7} | {'p95':>7} |")
        print(f"|{'-' * 36}|{'-' * 9}|{'-' * 9}|")
        pages = [("home page (cold)", "/", cache.clear), ("home page", "/", None),
                 ("chart JSON: trend (cold)", "/dashboard/charts/trend/", cache.clear)]
        if user.role == "leader" or user.scope == "city":
            pages += [("chart JSON: by county (cold)", "/dashboard/charts/county/", cache.clear),
                      ("chart JSON: agreement ladder", "/dashboard/charts/agreements/", None),
                      ("chart JSON: matching funnel", "/dashboard/charts/matching/", None),
                      ("chart Excel: by county", "/dashboard/charts/county/xlsx/", None),
                      ("screen page", "/screen/", None),
                      ("screen data (cold)", "/screen/data/", cache.clear),
                      ("screen data", "/screen/data/", None)]
        for label, url, before in pages:
            median, p95 = timed(client, url, args.repeat, before, clock)
            print(f"| {label:<34} | {median:>7.1f} | {p95:>7.1f} |", flush=True)
    one, five, fifteen = os.getloadavg()
    print(f"\nload {one:.2f} {five:.2f} {fifteen:.2f}")


if __name__ == "__main__":
    main()
