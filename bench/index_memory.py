#!/usr/bin/env python3
"""Index memory per web process: two processes load the saved matching index and serve recommendation panels
and 全库检索, then their PSS (proportional set size: a page shared by both counts half in each) is read from
/proc/PID/smaps_rollup — memory-mapped index files touched by both processes are counted once between them,
which RSS does not show.

Usage (from the repository root, in the venv, on a database with a built index):
    DATABASE_URL=sqlite:////work/perf/m14.sqlite3 YITI_VAR_DIR=/work/perf/var14 \
        python bench/index_memory.py --user city_staff --requests 40

Each process: Django set up, a first request without the index (the baseline), the index loaded
(`store.current()`), then --requests needs' 推荐专家 / 推荐成果 / 推荐单位 panels and a search (each process its
own needs). Printed per process: RSS and PSS (anonymous / file-backed) at the baseline, after loading, and after
the requests; the index's memory is the difference from the baseline. Issue 14 target: ≤ 500 MB per process.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

FIELDS = ("Rss", "Pss", "Pss_Anon", "Pss_File", "Shared_Clean", "Private_Dirty")


def rollup(pid: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        if name in FIELDS:
            out[name] = int(value.split()[0]) / 1024
    return out


def by_mapping(pid: int, top: int = 12) -> list[tuple[str, float]]:
    """PSS (MB) per mapped file (anonymous memory as "[anonymous]"), largest first."""
    pss: dict[str, float] = {}
    name = "[anonymous]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head, _, rest = line.partition(" ")
        if not head.endswith(":"):  # a mapping's first line: address, perms, offset, device, inode, path
            parts = line.split(None, 5)
            name = parts[5] if len(parts) > 5 and parts[5] else "[anonymous]"
        elif head == "Pss:":
            pss[name] = pss.get(name, 0.0) + int(rest.split()[0]) / 1024
    return sorted(pss.items(), key=lambda kv: -kv[1])[:top]


def child(user_name: str, requests: int, seed: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from yiti.accounts.models import User
    from yiti.matching import store
    from yiti.needs.models import Need

    setup_test_environment()
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    user = User.objects.get(username=user_name)
    client = Client()
    client.force_login(user)
    needs = list(Need.objects.restrict(user).values_list("pk", "title"))
    sample = random.Random(seed).sample(needs, min(requests, len(needs)))
    client.get(reverse("needs:need_detail", args=[sample[0][0]]))

    def report(stage: str) -> None:
        print(stage, flush=True)
        sys.stdin.readline()  # the parent has read smaps_rollup

    report("baseline")
    store.current()
    report("loaded")
    for pk, title in sample:
        for kind in ("experts", "results", "orgs"):
            client.get(f"{reverse('needs:need_recommendations', args=[pk])}?kind={kind}", HTTP_HX_REQUEST="true")
        client.get(f"{reverse('matching:search')}?q={' '.join(title.split()[:2])[:12]}")
    report("queried")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", default="city_staff")
    parser.add_argument("--requests", type=int, default=40, help="needs per process (4 requests each)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.user, args.requests, args.child)
        return
    procs = [subprocess.Popen([sys.executable, __file__, "--child", str(i), "--user", args.user,
                               "--requests", str(args.requests)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True) for i in range(2)]
    started = time.perf_counter()
    table: dict[str, list[dict[str, float]]] = {}
    for stage in ("baseline", "loaded", "queried"):
        for p in procs:  # both processes reach the stage before either is read
            assert p.stdout is not None
            line = p.stdout.readline().strip()
            assert line == stage, (line, stage)
        table[stage] = [rollup(p.pid) for p in procs]
        if stage == "queried":
            mappings = [by_mapping(p.pid) for p in procs]
        print(f"{stage} at {time.perf_counter() - started:.0f} s", flush=True)
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("\n")
            p.stdin.flush()
    for p in procs:
        p.wait()
    print(f"\n| process | stage | {' | '.join(FIELDS)} (MB) |")
    print(f"|---|---|{'---|' * len(FIELDS)}")
    for i in range(2):
        for stage, rows in table.items():
            print(f"| {i + 1} | {stage} | " + " | ".join(f"{rows[i].get(f, 0):.0f}" for f in FIELDS) + " |")
    for i in range(2):
        print(f"\nprocess {i + 1} after the requests, PSS by mapping (MB):")
        for name, mb in mappings[i]:
            print(f"  {mb:8.1f}  {name}")
    for i in range(2):
        base = table["baseline"][i]
        print(f"process {i + 1}: index PSS loaded +{table['loaded'][i]['Pss'] - base['Pss']:.0f} MB, after the "
              f"requests +{table['queried'][i]['Pss'] - base['Pss']:.0f} MB (RSS +"
              f"{table['queried'][i]['Rss'] - base['Rss']:.0f} MB)")


if __name__ == "__main__":
    main()
