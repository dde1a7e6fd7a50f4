#!/usr/bin/env python3
"""Server time of every registry's list page (first page, with a keyword, last page) and detail page,
as the superuser and as a county officer (staff_140702, 榆次区: the scope filter on).

Usage (from the repository root, in the venv):
    YITI_VAR_DIR=/tmp/bench-sqlite python bench/list_pages.py --scale 100
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yiti_bench python bench/list_pages.py --scale 100

The database is migrated and, when empty, filled with `demo-data --scale N` first (that takes
minutes at scale 100; the time is printed). Pages are requested in-process through Django's test
client, so the numbers are server time without network or browser; each URL is requested --repeat
times after one warm-up, and the median and p95 are reported in milliseconds. "rows" is what the
user's scope holds. The load average is printed before and after: the machine may be shared.
A page slower than --give-up seconds on its warm-up is reported as such instead of being repeated.

--clock cpu reports CPU time instead of wall time: on a machine shared with other work the wall time
includes waiting for a core. It is this process's CPU time (on SQLite the database runs inside it) plus,
on a PostgreSQL server on this machine, the CPU time of this connection's server process (from
/proc/<pid>/schedstat); with a remote server it would leave the server's work out, and says so.
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from yiti.accounts.models import User  # noqa: E402
from yiti.core.access import is_registry  # noqa: E402
from yiti.core.navigation import menu  # noqa: E402

# The second keyword of needs and experts is the one that hung a county officer's page (issue 12, item 33).
KEYWORDS = {"orgs": ["机械"], "talents": ["王"], "experts": ["李", "王"], "needs": ["检测", "技术"], "results": ["一种"],
            "platforms": ["中心"], "agreements": ["合作"], "supervision": ["协议"]}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(client: Client, url: str, repeat: int, give_up: float, clock=time.perf_counter) -> tuple[float, float] | None:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if time.perf_counter() - started > give_up:
        return None
    samples = []
    for _ in range(repeat):
        started = clock()
        response = client.get(url)
        samples.append((clock() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), percentile(samples, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--users", default="bench,staff_140702",
                        help="comma-separated: bench (a superuser) and/or county officers' user names")
    parser.add_argument("--only", default="", help="comma-separated app labels to measure (default: all)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or this process's CPU time (see above)")
    parser.add_argument("--give-up", type=float, default=5.0, help="seconds; a slower warm-up is a defect, not a sample")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from yiti.orgs.models import Organisation

    if not Organisation.objects.exists():
        started = time.monotonic()
        call_command("demo-data", scale=args.scale)
        print(f"demo-data --scale {args.scale}: {time.monotonic() - started:.0f} s")
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load or a table rewrite: fresh statistics, visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    setup_test_environment()
    gc.freeze()  # as yiti/wsgi.py does once the application is loaded
    # Server time of the pages themselves: the benchmark users skip the second factor and the
    # first-login password change that a real user goes through once.
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    from django.apps import apps
    from django.urls import reverse

    from yiti.security.models import AccountSecurity

    clock = cpu_clock() if args.clock == "cpu" else time.perf_counter
    print(f"database: {connection.vendor}; repeat {args.repeat}; {args.clock} times in ms (median / p95); load {load()}")
    for username in args.users.split(","):
        if username == "bench":
            user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True, "is_staff": True})
        else:
            user = User.objects.get(username=username)  # demo-data's county officers: staff_<county code>
        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
        client = Client()
        client.force_login(user)
        who = "superuser" if user.is_superuser else f"{user.get_scope_display()} {user.department}"
        print(f"\nuser {username} ({who})")
        print(f"| {'page':<34} | {'rows':>8} | {'median':>7} | {'p95':>7} |")
        print(f"|{'-' * 36}|{'-' * 10}|{'-' * 9}|{'-' * 9}|")
        measured: set[str] = set()
        for _group, items in menu():
            for item in items:
                model = apps.get_model(item.model)
                if not is_registry(model):
                    continue
                app = model._meta.app_label
                if args.only and app not in args.only.split(","):
                    continue
                visible = model.objects.restrict(user, "view")
                rows = visible.count()
                url = reverse(item.url_name)
                name = app
                if app in measured:  # a second menu entry over the same records (督办: 我的待办, roll-ups): the page
                    result = timed(client, url, args.repeat, args.give_up, clock)
                    shown = "over the give-up time" if result is None else f"{result[0]:>7.1f} | {result[1]:>7.1f}"
                    print(f"| {item.url_name:<34} | {rows:>8} | {shown} |", flush=True)
                    continue
                measured.add(app)
                if not rows:
                    print(f"| {name + ' list':<34} | {rows:>8} | nothing in scope: not measured |", flush=True)
                    continue
                pk = visible.order_by("pk").values_list("pk", flat=True)[rows // 2]
                for label, target in (
                    (f"{name} list", url),
                    *((f"{name} list ?q={word}", f"{url}?q={word}") for word in KEYWORDS.get(name, [])),
                    (f"{name} list, last page", None),
                    (f"{name} detail", reverse(f"{app}:{model._meta.model_name}_detail", args=[pk])),
                ):
                    if target is None:
                        target = f"{url}?page={max(1, (rows + 24) // 25)}"
                    result = timed(client, target, args.repeat, args.give_up, clock)
                    if result is None:
                        print(f"| {label:<34} | {rows:>8} | over {args.give_up:.0f} s on the first request: a defect |",
                              flush=True)
                        continue
                    median, p95 = result
                    print(f"| {label:<34} | {rows:>8} | {median:>7.1f} | {p95:>7.1f} |", flush=True)
    print(f"\nload {load()}")


def cpu_clock():
    """Seconds of CPU used so far by this process and, for a local PostgreSQL, its server process."""
    server = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
        if not server.exists():
            print("the PostgreSQL server is not on this machine: its CPU time is not counted")
            server = None

    def clock() -> float:
        spent = time.process_time()
        if server is not None:
            spent += int(server.read_text().split()[0]) / 1e9  # nanoseconds on a CPU
        return spent

    return clock


def load() -> str:
    """The load average (1, 5, 15 min) and the core count: timings on a busy machine are not comparable."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


if __name__ == "__main__":
    main()
