#!/usr/bin/env python3
"""CPU time of 全库检索's visibility step alone — `matching.search._visible_rows` (one `restrict()` query per record
kind over the ranking's 500 hits) and `resolve_visible` (the page's 20 records) — without the matching index.

The hits are drawn with a fixed seed from every searchable kind in the shares a search over the demo data returns
(needs, results, talents, organisations, platforms), so the numbers isolate what the scope and the city-wide pool
cost per search; the index's own search and the page's rendering come on top (bench/recommend_pages.py).

Usage (from the repository root, in the venv, on a database filled by `demo-data`):
    DATABASE_URL=… YITI_VAR_DIR=… python bench/search_visibility.py --users city_staff,staff_140702 --samples 20
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

from django.db import connection, reset_queries  # noqa: E402

from yiti.accounts.models import User  # noqa: E402
from yiti.matching.documents import KINDS  # noqa: E402
from yiti.matching.search import POOL, _visible_rows, resolve_visible  # noqa: E402

SHARES = {"need": 0.2, "result": 0.5, "talent": 0.2, "org": 0.08, "platform": 0.02}


def cpu_clock():
    """This process's CPU time plus, on a local PostgreSQL, its server process's (as bench/list_pages.py)."""
    server = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    return lambda: time.process_time() + (int(server.read_text().split()[0]) / 1e9 if server else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="city_staff,staff_140702")
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(14)
    ids = {kind: list(KINDS[kind]._default_manager.order_by().values_list("pk", flat=True)) for kind in SHARES}
    searches = []
    for _ in range(args.samples + 1):
        hits = [(f"{kind}:{rng.choice(ids[kind])}", 1.0)
                for kind, share in SHARES.items() for _ in range(round(POOL * share))]
        rng.shuffle(hits)
        searches.append(hits)
    clock = cpu_clock()
    print(f"database: {connection.vendor}; {args.samples} searches of {POOL} hits; CPU ms (median / p95); "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for username in args.users.split(","):
        samples = []
        for i, hits in enumerate(searches):
            user = User.objects.get(username=username)  # a fresh user per search, as per request
            started = clock()
            rows = _visible_rows(user, hits)
            resolve_visible(user, [(r.key, r.score) for r in rows[:20]])
            if i:  # the first is a warm-up
                samples.append((clock() - started) * 1000)
            reset_queries()
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"{username}: visible {len(rows)} of {len(hits)}; {statistics.median(samples):.1f} / {p95:.1f}")


if __name__ == "__main__":
    main()
