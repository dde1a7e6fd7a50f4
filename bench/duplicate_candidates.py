"""疑似重复 on real data: how well its candidate pairs find the 438 hand-labelled NSSF pairs, and how long
the page takes on a whole list.

    .venv/bin/python bench/duplicate_candidates.py            # SQLite in a temporary folder
    .venv/bin/python bench/duplicate_candidates.py --data /path/to/nssf_projects.csv   # from a git worktree

The whole NSSF list (62,580 rows) is imported as talents and then as results, as the README's commands do
(people first, organisations created on the way), in this process. Each labelled pair's two rows are then
followed to the records they became: "import" counts a pair as found when both rows became one record
(the import merged them), "page" when the two records are a candidate pair on 疑似重复, "both" when
either. Precision and recall are over the labelled pairs (a stratified sample that over-represents hard
cases: see yiti/imports/tests/data/README.md), with and without the pairs marked uncertain.
Then the time of `duplicates.candidates` as the superuser (every record) and of the page's first screen
(server side, test client) as a city-wide officer. Results go to docs/benchmarks.md by hand.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "nssf_projects.csv"
LABELS = ROOT / "yiti" / "imports" / "tests" / "data" / "nssf_duplicate_labels.csv"
STRATA = ROOT / "yiti" / "imports" / "tests" / "data" / "nssf_duplicate_labels_strata.csv"
# The README's column maps (bench/import_nssf.py), as the planner takes them.
TALENTS = {"mapping": {"person": "姓名", "org": "单位", "rank": "职称级别", "province": "主管地区", "discipline": "学科",
                       "system": "类别", "category": "", "title": "", "year": "", "project_id": "", "org_type": ""},
           "constants": {"人才类型": "在外优秀人才"}, "lenient": True}
RESULTS = {"mapping": {"title": "名称", "org": "所属单位", "person": "团队负责人", "project_id": "专利号/登记号",
                       "year": "年份", "discipline": "学科", "category": "项目类别", "rank": "", "province": "",
                       "org_type": "", "system": ""},
           "constants": {"成果类型": "科研项目"}, "lenient": True}


def setup() -> None:
    os.environ["YITI_VAR_DIR"] = tempfile.mkdtemp(prefix="yiti-duplicates-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "yiti.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def import_rows(registry_name: str, table, user, options) -> dict[int, int | None]:
    """Import the table; the record each data row (0-based index) became, None for a refused row."""
    from yiti.core.registry import registries
    from yiti.imports import plan as planner
    from yiti.imports import services, write

    started = time.perf_counter()
    plan = services.build_plan(registries()[registry_name], table, user, options)
    counts = write.apply(plan, user)
    print(f"imported {registry_name} in {time.perf_counter() - started:.1f} s: {counts}")
    record: dict[int, int | None] = {}
    for row in plan.rows:
        if row.action == planner.CREATE:
            record[row.number] = row.instance.pk
        elif row.action == planner.UPDATE:
            record[row.number] = row.target
    for row in plan.rows:
        if row.action == planner.DUPLICATE:
            record[row.number] = record.get(row.duplicate_of)  # type: ignore[arg-type]
    return {number - 2: record.get(number) for number in (r.number for r in plan.rows)}


def score(found: list[tuple[bool, bool]]) -> str:
    tp = sum(1 for p, label in found if p and label)
    predicted = sum(1 for p, _label in found if p)
    positive = sum(1 for _p, label in found if label)
    return f"{tp / max(1, predicted):.2f} | {tp / max(1, positive):.2f} | {predicted}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    data_path = parser.parse_args().data
    if not data_path.exists():
        sys.exit(f"{data_path} is absent: this benchmark needs ../shared/data")
    setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from yiti.accounts.models import Role, Scope, User
    from yiti.accounts.testing import make_user
    from yiti.core.registry import registries
    from yiti.imports import duplicates
    from yiti.imports.reader import Table

    user = User.objects.create_superuser("bench", "bench@example.com", "Bench-2026-duplicates")
    with data_path.open(encoding="utf-8", newline="") as handle:
        source = list(csv.reader(handle))
    headers, data = source[0], source[1:]
    table = Table(headers=headers, rows=data, row_numbers=[i + 2 for i in range(len(data))], sheet="",
                  encoding="utf-8", warnings=[])
    records = {"person": import_rows("talents", table, user, TALENTS),
               "project": import_rows("results", table, user, RESULTS)}

    timings = {}
    found_pairs = {}
    for kind, registry_name in (("person", "talents"), ("project", "results"), ("org", "orgs")):
        registry = registries()[registry_name]
        started, cpu = time.perf_counter(), time.process_time()
        pairs = duplicates.candidates(registry, user)
        timings[registry_name] = (f"{time.perf_counter() - started:.2f} / {time.process_time() - cpu:.2f}",
                                  registry.model.objects.count(), len(pairs))
        found_pairs[kind] = {(p.a, p.b) for p in pairs}

    with STRATA.open(encoding="utf-8") as handle:
        stratum = {(r["kind"], r["row_a"], r["row_b"]): r["stratum"] for r in csv.DictReader(handle)}
    results: dict[tuple[str, str, bool], list[tuple[bool, bool]]] = defaultdict(list)
    per_stratum: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # pairs, positive, flagged, flagged positive
    missed: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # same but not found, of which a row was refused
    with LABELS.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            kind, label = r["kind"], r["label"] == "1"
            a, b = records[kind].get(int(r["row_a"])), records[kind].get(int(r["row_b"]))
            merged = a is not None and a == b
            page = a is not None and b is not None and (min(a, b), max(a, b)) in found_pairs[kind]
            certain = not r["reason"].startswith("uncertain")
            for method, predicted in (("import", merged), ("page", page), ("both", merged or page)):
                results[(kind, method, True)].append((predicted, label))
                if certain:
                    results[(kind, method, False)].append((predicted, label))
            if label and not (merged or page):
                missed[kind][0] += 1
                missed[kind][1] += a is None or b is None
            counts = per_stratum[f"{kind} {stratum[(kind, r['row_a'], r['row_b'])]}"]
            counts[0] += 1
            counts[1] += label
            counts[2] += merged or page
            counts[3] += (merged or page) and label

    print("\n| pairs | found by | precision | recall | pairs flagged |")
    print("|---|---|---|---|---|")
    for kind in ("project", "person"):
        for uncertain in (True, False):
            for method in ("import", "page", "both"):
                found = results[(kind, method, uncertain)]
                what = f"{len(found)} {kind} pairs" + ("" if uncertain else " (uncertain left out)")
                print(f"| {what} | {method} | {score(found)} |")
    for kind, (count, refused) in missed.items():
        print(f"{kind}: {count} same pairs not found, {refused} of them with a row the import refused")
    print("\n| stratum | pairs | same | flagged | flagged and same |")
    print("|---|---|---|---|---|")
    for name, (n, positive, flagged, hit) in per_stratum.items():
        print(f"| {name} | {n} | {positive} | {flagged} | {hit} |")

    # The page as a city-wide officer opens it (the superuser would owe a second factor first); the first
    # request of the process (imports, caches) is left out of the timing.
    setup_test_environment()
    staff = make_user("bench_city", Role.STAFF, scope=Scope.CITY)
    client = Client()
    client.force_login(staff)
    client.get(reverse("orgs:organisation_duplicates"))
    # Wall and CPU seconds: on a shared machine the CPU time is what an idle server would take.
    print("\n| registry | records | candidate pairs | candidates(), superuser: wall / CPU s | same, city officer "
          "| page, city officer |")
    print("|---|---|---|---|---|---|")
    for registry_name, (seconds, count, pairs) in timings.items():
        registry = registries()[registry_name]
        started, cpu = time.perf_counter(), time.process_time()
        duplicates.candidates(registry, staff)
        officer = f"{time.perf_counter() - started:.2f} / {time.process_time() - cpu:.2f}"
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(reverse(registry.url_name("duplicates")))
        page = f"{time.perf_counter() - started:.2f} / {time.process_time() - cpu:.2f}"
        assert response.status_code == 200, response.status_code
        print(f"| {registry_name} | {count:,} | {pairs:,} | {seconds} | {officer} | {page} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
