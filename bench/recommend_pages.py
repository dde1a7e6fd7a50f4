#!/usr/bin/env python3
"""Server time of the recommendation panels (a need's 推荐专家 / 推荐成果 / 推荐单位, a result's 推荐企业 / 匹配需求)
and of 全库检索, with a warm index, as a city-wide officer and as a county officer (staff_140702, 榆次区).

Usage (from the repository root, in the venv):
    YITI_VAR_DIR=/tmp/bench-sqlite python bench/recommend_pages.py --scale 10 --samples 40
    # scale 100, on a database and index built beforehand (`yiti matching-index --rebuild`):
    DATABASE_URL=sqlite:////work/perf/m14.sqlite3 YITI_VAR_DIR=/work/perf/var14 \
        python bench/recommend_pages.py --reuse-index --users city_staff,staff_140702 --samples 40 --profile

The database is migrated and, when empty, filled with `demo-data --scale N`. The index is built once in this
process (`store.build()`, timed), then each URL is requested once to warm up and the samples are timed:
--samples needs (or results) drawn with a fixed seed, one request each per panel kind; the search runs their
titles' first words as queries. Requests go through Django's test client (server time, no network or browser;
the panels as htmx fragments). Median and p95 in milliseconds; the load average before and after, since the
machine may be shared. The issue's targets at --scale 100: panel p95 ≤ 300 ms, search p95 ≤ 200 ms.

With --reuse-index the saved index (`store.current()`) is loaded instead of built, and this process's RSS is
printed before and after loading and after the requests (the index memory of one web process). Each row also
gives the CPU time of this process per request (time.process_time), which a loaded machine does not inflate
as it does wall time. --profile writes a cProfile summary of one need panel and one search per user.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
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
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(client: Client, urls: list[str], htmx: bool) -> tuple[float, float, float, float]:
    """Median and p95 of wall time, then of CPU time (ms)."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    samples, cpu = [], []
    for url in urls:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code in (200, 400), (url, response.status_code)
    return statistics.median(samples), percentile(samples, 0.95), statistics.median(cpu), percentile(cpu, 0.95)


def profile(client: Client, url: str, htmx: bool, label: str) -> None:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url, **headers)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(f"\n--- cProfile: {label} {url}\n" + "\n".join(out.getvalue().splitlines()[:60]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--users", default="bench_city,staff_140702")
    parser.add_argument("--reuse-index", action="store_true", help="load the saved index instead of building one")
    parser.add_argument("--profile", action="store_true", help="cProfile one need panel and one search per user")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from yiti.accounts.models import User
    from yiti.matching import store
    from yiti.needs.models import Need
    from yiti.orgs.models import Organisation
    from yiti.results.models import Result
    from yiti.security.models import AccountSecurity

    if not Organisation.objects.exists():
        started = time.monotonic()
        call_command("demo-data", scale=args.scale)
        print(f"demo-data --scale {args.scale}: {time.monotonic() - started:.0f} s")
    setup_test_environment()
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    started, cpu = time.monotonic(), time.process_time()
    before = rss_mb()
    if args.reuse_index:
        index = store.current()
        assert index is not None, "no saved index: run `yiti matching-index --rebuild` first"
        what = "index load"
    else:
        index = store.build()
        what = "index build"
    print(f"{what}: {time.monotonic() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, "
          f"{len(index.index)} documents; RSS {before:.0f} → {rss_mb():.0f} MB; load {load()}")
    rng = random.Random(20261205)
    print(f"samples {args.samples} per row; times in ms")
    for username in args.users.split(","):
        if username == "bench_city":
            user, _ = User.objects.get_or_create(username=username, defaults={"role": "staff", "scope": "city"})
        else:
            user = User.objects.get(username=username)
        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
        client = Client()
        client.force_login(user)
        needs = list(Need.objects.restrict(user).values_list("pk", "title"))
        results = list(Result.objects.restrict(user).values_list("pk", flat=True))
        need_sample = rng.sample(needs, min(args.samples, len(needs)))
        result_sample = rng.sample(results, min(args.samples, len(results)))
        print(f"\nuser {username} ({user.get_scope_display()}): {len(needs)} needs, {len(results)} results in scope")
        print(f"| {'page':<28} | {'median':>7} | {'p95':>7} | {'CPU med':>7} | {'CPU p95':>7} |")
        print(f"|{'-' * 30}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
        rows = [(f"need panel {kind}", [f"{reverse('needs:need_recommendations', args=[pk])}?kind={kind}"
                                        for pk, _t in need_sample], True) for kind in ("experts", "results", "orgs")]
        rows += [(f"result panel {kind}", [f"{reverse('results:result_recommendations', args=[pk])}?kind={kind}"
                                           for pk in result_sample], True) for kind in ("enterprises", "needs")]
        queries = [" ".join(title.replace("需求", " ").split()[:2])[:12] for _pk, title in need_sample]
        rows.append(("全库检索", [f"{reverse('matching:search')}?q={q}" for q in queries], False))
        for label, urls, htmx in rows:
            if not urls:
                continue
            timed(client, urls[:1], htmx)  # warm-up
            median, p95, cpu_median, cpu_p95 = timed(client, urls, htmx)
            print(f"| {label:<28} | {median:>7.1f} | {p95:>7.1f} | {cpu_median:>7.1f} | {cpu_p95:>7.1f} |",
                  flush=True)
        print(f"RSS after {username}'s requests: {rss_mb():.0f} MB")
        if args.profile:
            profile(client, rows[0][1][-1], True, f"{username} need panel experts")
            profile(client, rows[-1][1][-1], False, f"{username} 全库检索")
    print(f"\nload {load()}; RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
