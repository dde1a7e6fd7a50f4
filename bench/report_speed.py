#!/usr/bin/env python3
"""Work reports (issue 15 §5, §6): the time of one monthly report on a demo city, in-process, the same code path
as /reports/new/ (`yiti.dashboard.reports.start_report` → `generate`), phase by phase.

Usage (from the repository root, in the venv; on a COPY of a scale-100 database — the run writes a snapshot,
reports and their files):
    cp /work/perf/bench.sqlite3 /tmp/rbench/yiti.sqlite3; cp /work/perf/var/{data_key,secret_key} /tmp/rbench/
    YITI_VAR_DIR=/tmp/rbench python bench/report_speed.py --period 2026-11 --repeat 3

The first report of a month without a snapshot takes the snapshot (`snapshots.take`: every indicator × year ×
county from the records) — printed apart as "snapshot"; the repeats read the frozen snapshot. Phases: the
content (figures from the snapshot, the charts), the Word file (docxtpl), the PDF (WeasyPrint), and the whole
`generate` (wall time; the machine may be shared: the load average is printed). The first report of a process
also pays matplotlib's and WeasyPrint's imports (printed as "imports").
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from yiti.accounts.models import User  # noqa: E402
from yiti.dashboard import indicators as ledger  # noqa: E402
from yiti.dashboard import reports, snapshots  # noqa: E402
from yiti.dashboard.models import Snapshot, WorkReport  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--period", default="2026-11", help="the month reported on")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--county", default="", help="a county code: that county's report")
    parser.add_argument("--clones", type=int, default=0,
                        help="declare this many copies of the first indicator (before the ledger has its 20+): "
                             "their rows, columns and charts are rendered as a full ledger's would be")
    args = parser.parse_args()
    if args.clones:
        import dataclasses

        first = next(iter(ledger.INDICATORS.values()))
        for i in range(args.clones):
            ledger.declare(dataclasses.replace(first, code=f"{first.code}_copy{i}"))

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    user = User.objects.filter(role="staff", scope="city", is_active=True).order_by("pk").first()
    assert user is not None, "no city office staff: run on a demo database"
    county = None
    if args.county:
        county = next(c for c in ledger.counties() if c.code == args.county)
    print(f"indicators: {len(ledger.INDICATORS)}, counties: {len(ledger.counties())}, load {load()}")

    started, cpu = time.perf_counter(), time.process_time()
    import matplotlib.pyplot  # noqa: F401
    import weasyprint  # noqa: F401
    print(f"imports (matplotlib, weasyprint): {time.perf_counter() - started:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU")

    if not Snapshot.objects.filter(period=args.period).exists():
        started, cpu = time.perf_counter(), time.process_time()
        snapshots.take(args.period)
        print(f"snapshot {args.period} taken: {time.perf_counter() - started:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU")

    for i in range(args.repeat):
        report = reports.start_report(user, kind="month", period=args.period, county_id=county.pk if county else None)
        w0, c0 = time.perf_counter(), time.process_time()
        snapshot = snapshots.take(args.period)
        data = reports.content(report, snapshot)
        w1, c1 = time.perf_counter(), time.process_time()
        docx = reports.render_docx(reports.default_template(), data)
        w2, c2 = time.perf_counter(), time.process_time()
        pdf = reports.render_pdf(data)
        w3, c3 = time.perf_counter(), time.process_time()
        reports.generate(report)
        w4, c4 = time.perf_counter(), time.process_time()
        report.refresh_from_db()
        assert report.status == WorkReport.Status.DONE, report.message
        print(f"run {i + 1} (wall / CPU s): content {w1 - w0:.2f} / {c1 - c0:.2f} ({len(data.charts)} charts), "
              f"word {w2 - w1:.2f} / {c2 - c1:.2f} ({len(docx) // 1024} KB), "
              f"pdf {w3 - w2:.2f} / {c3 - c2:.2f} ({len(pdf) // 1024} KB); "
              f"generate (all of it) {w4 - w3:.2f} / {c4 - c3:.2f}; load {load()}")


if __name__ == "__main__":
    main()
