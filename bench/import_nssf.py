"""Time the README's two commands that import the NSSF grant list, on a fresh database.

    .venv/bin/python bench/import_nssf.py                                   # SQLite in a temporary folder
    .venv/bin/python bench/import_nssf.py --database-url postgres://postgres@127.0.0.1:5432/yiti_import_bench

The PostgreSQL database is dropped and created again. Each import runs in its own process; wall time and
peak RSS come from /usr/bin/time. Results go to docs/benchmarks.md by hand.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "nssf_projects.csv"
YITI = str(Path(sys.executable).with_name("yiti"))
TALENTS = ["--map", "person=姓名", "--map", "org=单位", "--map", "rank=职称级别", "--map", "province=主管地区",
           "--map", "discipline=学科", "--map", "system=类别", "--map", "category=", "--map", "title=",
           "--map", "year=", "--map", "project_id=", "--map", "org_type=", "--set", "人才类型=在外优秀人才",
           "--lenient"]
RESULTS = ["--map", "title=名称", "--map", "org=所属单位", "--map", "person=团队负责人",
           "--map", "project_id=专利号/登记号", "--map", "year=年份", "--map", "discipline=学科",
           "--map", "category=项目类别", "--map", "rank=", "--map", "province=", "--map", "org_type=",
           "--map", "system=", "--set", "成果类型=科研项目", "--lenient"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *args], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    rss_kb = int(done.stderr.strip().splitlines()[-1])
    return wall, rss_kb // 1024, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    options = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is absent: this benchmark needs ../shared/data")
    var = tempfile.mkdtemp(prefix="yiti-import-bench-")
    env = {**os.environ, "YITI_VAR_DIR": var}
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
        name = options.database_url.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run([YITI, "migrate", "-v0"], env=env, check=True)
    subprocess.run([YITI, "shell", "-c", "from yiti.accounts.models import User; "
                    "User.objects.create_superuser('bench', 'bench@example.com', 'Bench-2026-import')"],
                   env=env, check=True)
    print("| import | wall s | peak RSS MB | counts |")
    print("|---|---|---|---|")
    total = 0.0
    for registry, args in (("talents", TALENTS), ("results", RESULTS)):
        wall, rss, counts = run([YITI, "import", registry, str(DATA), *args], env)
        total += wall
        print(f"| {registry} | {wall:.1f} | {rss} | `{json.loads(counts)}` |")
    print(f"| both | {total:.1f} | | |")


if __name__ == "__main__":
    main()
