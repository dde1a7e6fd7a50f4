#!/usr/bin/env python3
"""推荐结对 at city scope (issue 16 §3): `yiti.pairing.services.propose` over every street/community and every
university, institute and department of the database (a superuser's 推荐结对), timed.

Usage (from the repository root, in the venv), on a copy of a scale-100 database:
    YITI_VAR_DIR=/tmp/bench-pairing DATABASE_URL=sqlite:////tmp/bench-pairing/bench.sqlite3 \\
        python bench/pairing_propose.py --capacity 30 --repeat 3

Prints the communities without a pair in force, the partners, the candidate pairs, then for each run the wall time
and this process's CPU time (median of --repeat after one warm-up) with what the proposals came to: communities
paired, unpaired, total fit, same-county pairs. --max-candidates narrows (each community keeps its best partners)
to see what narrowing would cost. Nothing is written. The load average is printed before and after.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()


def main() -> None:
    from yiti.orgs.models import Organisation
    from yiti.pairing import services
    from yiti.pairing.choices import COMMUNITY_TYPES, PARTNER_TYPES, PairStatus
    from yiti.pairing.models import Pairing

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--capacity", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--same-county-only", action="store_true")
    parser.add_argument("--max-candidates", type=int, default=getattr(services, "MAX_CANDIDATES", 0),
                        help="(0: the code before narrowing existed, to time it)")
    args = parser.parse_args()

    everyone = Organisation.objects.all()
    paired = Pairing.objects.filter(status=PairStatus.ACTIVE).values("community_id")
    communities = everyone.filter(org_type__in=COMMUNITY_TYPES).exclude(pk__in=paired).count()
    partners = everyone.filter(org_type__in=PARTNER_TYPES).count()
    print(f"load average {os.getloadavg()[0]:.2f}; communities without a pair {communities}, partners {partners}, "
          f"pairs {communities * partners:,}; capacity {args.capacity}, max candidates {args.max_candidates:,}")
    walls, cpus = [], []
    found = None
    for n in range(args.repeat + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        narrow = {"max_candidates": args.max_candidates} if args.max_candidates else {}
        found = services.propose(everyone, everyone, capacity=args.capacity, same_county_only=args.same_county_only,
                                 **narrow)
        if n:  # the first run warms the caches
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    assert found is not None
    print(f"propose: wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s "
          f"(median of {args.repeat}); paired {len(found.pairs)}, unpaired {len(found.unpaired)}, "
          f"total fit {sum(p.fit for p in found.pairs):.3f}, same county {sum(p.same_county for p in found.pairs)}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
