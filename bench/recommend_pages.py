#!/usr/bin/env python3
"""Server time of the recommendation panels (a need's 推荐专家 / 推荐成果 / 推荐单位, a result's 推荐企业 / 匹配需求)
and of 全库检索, with a warm index, as a city-wide officer and as a county officer (staff_140702, 榆次区).

Usage (from the repository root, in the venv):
    YITI_VAR_DIR=/tmp/bench-sqlite python bench/recommend_pages.py --scale 10 --samples 40

The database is migrated and, when empty, filled with `demo-data --scale N`. The index is built once in this
process (`store.build()`, timed), then each URL is requested once to warm up and the samples are timed:
--samples needs (or results) drawn with a fixed seed, one request each per panel kind; the search runs their
titles' first words as queries. Requests go through Django's test client (server time, no network or browser;
the panels as htmx fragments). Median and p95 in milliseconds; the load average before and after, since the
machine may be shared. The issue's targets at --scale 100: panel p95 ≤ 300 ms, search p95 ≤ 200 ms.
"""

import argparse
import os
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


def timed(client: Client, urls: list[str], htmx: bool) -> tuple[float, float]:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    samples = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 400), (url, response.status_code)
    return statistics.median(samples), percentile(samples, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--users", default="bench_city,staff_140702")
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
    started = time.monotonic()
    index = store.build()
    print(f"index build: {time.monotonic() - started:.1f} s, {len(index.index)} documents; load {load()}")
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
        print(f"| {'page':<28} | {'median':>7} | {'p95':>7} |")
        print(f"|{'-' * 30}|{'-' * 9}|{'-' * 9}|")
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
            median, p95 = timed(client, urls, htmx)
            print(f"| {label:<28} | {median:>7.1f} | {p95:>7.1f} |", flush=True)
    print(f"\nload {load()}")


if __name__ == "__main__":
    main()
