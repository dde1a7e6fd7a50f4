"""How good are `yiti suggest-codes` suggestions on real data: the NSSF list imported as results, the
discipline of 2 000 random coded results hidden, `suggest-codes results` run, suggestions compared.

    .venv/bin/python bench/suggest_codes_nssf.py          # SQLite in a temporary folder

Prints accuracy over the hidden records, and coverage/accuracy at the default --min-probability 0.6;
wall time and peak RSS of the command from /usr/bin/time. Results go to docs/benchmarks.md by hand.
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


if __name__ == "__main__":
    main()
