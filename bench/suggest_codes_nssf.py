"""How good are `yiti suggest-codes` suggestions on real data: the NSSF list imported as results, the
discipline of 2 000 random coded results hidden, `suggest-codes results` run, suggestions compared.

    .venv/bin/python bench/suggest_codes_nssf.py          # SQLite in a temporary folder

Prints accuracy over the hidden records, and coverage/accuracy at the default --min-probability 0.6;
wall time and peak RSS of the command from /usr/bin/time. Then the same through the 建议代码 pages, as a
city-wide staff account: the background task's time, the server time of the review's first and last page,
and of 写入全部可信建议. Results go to docs/benchmarks.md by hand.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_nssf import DATA, RESULTS, YITI  # noqa: E402

HIDE = """
import json, random
from yiti.results.models import Result
coded = list(Result.objects.filter(discipline__isnull=False).order_by("pk").values_list("pk", "discipline__code"))
hidden = dict(random.Random(0).sample(coded, 2000))
Result.objects.filter(pk__in=list(hidden)).update(discipline=None)
print(json.dumps(hidden))
"""

WEB = """
import time
from django.test import Client
from django.test.utils import setup_test_environment
from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user
from yiti.imports import tagging
from yiti.imports.models import SuggestionJob
from yiti.results.models import Result

setup_test_environment()
user = make_user("bench_staff", Role.STAFF, scope=Scope.CITY)
client = Client()
client.force_login(user)
job = SuggestionJob.objects.create(registry="results", field="discipline", user=user)
t = time.perf_counter(); tagging.run(job); learn = time.perf_counter() - t
pages = -(-len(job.suggestions) // 100)
def timed(method, url, data=None):
    t = time.perf_counter(); response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code in (200, 302), response.status_code
    return time.perf_counter() - t
first = timed("get", f"/imports/suggestions/{job.pk}/")
last = timed("get", f"/imports/suggestions/{job.pk}/?page={pages}")
before = Result.objects.filter(discipline__isnull=False).count()
write = timed("post", f"/imports/suggestions/{job.pk}/apply/", {"confident": "1"})
written = Result.objects.filter(discipline__isnull=False).count() - before
print(f"web: {len(job.suggestions)} suggestions ({pages} pages): task {learn:.1f} s; review page 1 {first * 1000:.0f} ms, "
      f"page {pages} {last * 1000:.0f} ms; write all confident {write:.1f} s ({written} records)")
"""


def main() -> None:
    if not DATA.exists():
        sys.exit(f"{DATA} is absent: this benchmark needs ../shared/data")
    var = tempfile.mkdtemp(prefix="yiti-suggest-bench-")
    env = {**os.environ, "YITI_VAR_DIR": var}
    subprocess.run([YITI, "migrate", "-v0"], env=env, check=True)
    subprocess.run([YITI, "shell", "-c", "from yiti.accounts.models import User; "
                    "User.objects.create_superuser('bench', 'bench@example.com', 'Bench-2026-import')"],
                   env=env, check=True)
    subprocess.run([YITI, "import", "results", str(DATA), *RESULTS], env=env, check=True, capture_output=True)
    hidden = {int(k): v for k, v in json.loads(subprocess.run([YITI, "shell", "-v", "0", "-c", HIDE], env=env, check=True,
                                                              capture_output=True, text=True).stdout).items()}
    sheet = Path(var) / "suggestions.csv"
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", YITI, "suggest-codes", "results", "--out", str(sheet)],
                          env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    rss = int(done.stderr.strip().splitlines()[-1]) // 1024
    with open(sheet, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["编号"]) in hidden]
    right = [r["建议代码"] == hidden[int(r["编号"])] for r in rows]
    sure = [ok for ok, r in zip(right, rows, strict=True) if float(r["概率"]) >= 0.6]
    print(f"command: {done.stdout.strip()}  wall {wall:.1f} s  peak RSS {rss} MB")
    print(f"hidden {len(hidden)}, suggested {len(rows)}: accuracy {sum(right) / len(rows):.3f}; "
          f"probability >= 0.6: {len(sure)} ({len(sure) / len(rows):.1%}) with accuracy {sum(sure) / max(len(sure), 1):.3f}")
    web = subprocess.run([YITI, "shell", "-v", "0", "-c", WEB], env=env, check=True, capture_output=True, text=True)
    print(web.stdout.strip())


if __name__ == "__main__":
    main()
