#!/usr/bin/env python3
"""Office users working while a large import writes (issue 12, item 30): 500s, 503s and page times.

Usage (from the repository root, in the venv; SQLite, the embedded default):
    python bench/concurrent_import.py --template /tmp/bench-sqlite/yiti.sqlite3

--template is a database filled by `demo-data --scale 100` (bench/list_pages.py makes one); it is
copied to a temporary folder, never changed. The script then, on the copy:
1. makes a 20,000-row talent spreadsheet (bench/import_csv.py) and checks it as an import job of a
   city office account (the preview step), so only the write remains;
2. starts the development server (`runserver --noreload`, threaded) on 127.0.0.1 and the background
   worker (`db_worker`), as `make run` does;
3. confirms the import (the worker writes it) and, until the job has ended (at most --seconds),
   runs --editors users saving needs through the edit form, --loggers users logging in and out and
   --readers users opening list pages, each waiting --pause seconds between requests;
4. prints, per kind of request, how many there were, how many got a 500 and a 503, and the time
   they took (median, p95, max), the import's write time, and the load average.
Everything stays on the loopback interface; the server and the worker are stopped at the end.
"""

import argparse
import html.parser
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-2026-concurrency!"
READ_URLS = ["/talents/", "/needs/?q=检测", "/results/", "/orgs/?q=机械", "/experts/", "/platforms/"]


class FormFields(html.parser.HTMLParser):
    """The values a browser would send, unchanged, for the largest POST form of a page (the edit form,
    not the language switch or the log-out button)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    @property
    def fields(self) -> list[tuple[str, str]]:
        return max(self.forms, key=len, default=[])

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        if not self.in_form or (not a.get("name") and tag != "option"):
            return
        fields = self.forms[-1]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file"} or (kind in {"checkbox", "radio"} and "checked" not in a):
                return
            fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            fields.append((self.select, a.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.forms[-1].append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def csrf_of(session: requests.Session) -> str:
    return session.cookies.get("csrftoken", "")


def login(session: requests.Session, base: str, username: str) -> requests.Response:
    session.get(f"{base}/login/", timeout=60)
    return session.post(f"{base}/login/", data={"username": username, "password": PASSWORD,
                                                 "csrfmiddlewaretoken": csrf_of(session)},
                        headers={"Referer": f"{base}/login/"}, allow_redirects=False, timeout=60)


class Load:
    def __init__(self, base: str, pause: float):
        self.base, self.pause = base, pause
        self.samples: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def note(self, kind: str, started: float, response: requests.Response | None) -> None:
        status = response.status_code if response is not None else 0  # 0: no answer (timeout)
        with self.lock:
            self.samples[kind].append((status, (time.perf_counter() - started) * 1000))

    def call(self, kind: str, send) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = send()
        except requests.RequestException:
            response = None
        self.note(kind, started, response)
        return response

    def editor(self, username: str, need_id: int) -> None:
        session = requests.Session()
        login(session, self.base, username)
        url = f"{self.base}/needs/{need_id}/edit/"
        n = 0
        while not self.stop.is_set():
            page = self.call("edit form (GET)", lambda: session.get(url, timeout=60))
            if page is not None and page.status_code == 200:
                parser = FormFields()
                parser.feed(page.text)
                n += 1
                data = [(k, f"{v.split(' · ')[0]} · {n}" if k == "title" else v) for k, v in parser.fields]
                self.call("edit save (POST)", lambda data=data: session.post(
                    url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60))
            self.stop.wait(self.pause)

    def logger(self, username: str) -> None:
        while not self.stop.is_set():
            session = requests.Session()
            response = self.call("login (POST)", lambda session=session: login(session, self.base, username))
            if response is not None and response.status_code == 302:
                session.post(f"{self.base}/logout/", data={"csrfmiddlewaretoken": csrf_of(session)},
                             headers={"Referer": f"{self.base}/"}, timeout=60)
            self.stop.wait(self.pause)

    def reader(self, username: str, offset: int) -> None:
        session = requests.Session()
        login(session, self.base, username)
        i = offset
        while not self.stop.is_set():
            url = READ_URLS[i % len(READ_URLS)]
            self.call("list page (GET)", lambda url=url: session.get(f"{self.base}{url}", timeout=60))
            i += 1
            self.stop.wait(self.pause)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def setup(env: dict[str, str], csv_path: Path, rows: int, users: int) -> tuple[int, list[int]]:
    """Bench accounts, the spreadsheet and the checked import job, in a child process (own settings)."""
    code = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")
import django
django.setup()
from django.core.files import File
from yiti.accounts.models import Department, Role, Scope, User
from yiti.security.models import AccountSecurity
from yiti.imports import services
from yiti.imports.models import ImportJob
from yiti.needs.models import Need
department = Department.objects.filter(kind="city").first()
for i in range({users}):
    user, _ = User.objects.get_or_create(username=f"bench_user_{{i}}", defaults=dict(
        role=Role.STAFF, scope=Scope.CITY, department=department))
    user.set_password({PASSWORD!r})
    user.save()
    AccountSecurity.objects.update_or_create(user=user, defaults={{"must_change_password": False}})
importer = User.objects.get(username="bench_user_0")
with open({str(csv_path)!r}, "rb") as handle:
    job = ImportJob.objects.create(registry="talents", user=importer, file=File(handle, name="bench.csv"),
                                   original_name="bench.csv", options={{"create_missing": False}})
services.check(job)
job.refresh_from_db()
assert job.status == "ready", (job.status, job.message)
print(job.pk)
print(" ".join(str(pk) for pk in Need.objects.order_by("pk").values_list("pk", flat=True)[:{users}]))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    return int(lines[-2]), [int(x) for x in lines[-1].split()]


def job_state(env: dict[str, str], job_id: int) -> str:
    code = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")
import django
django.setup()
from yiti.imports.models import ImportJob
job = ImportJob.objects.get(pk={job_id})
print(job.status, (job.finished_at.timestamp() if job.finished_at else 0), job.counts.get("created", 0))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--template", required=True, help="a SQLite database filled by demo-data (copied, not changed)")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--loggers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds each user waits between requests")
    parser.add_argument("--seconds", type=float, default=600, help="longest run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="yiti-concurrency-"))
    database = work / "yiti.sqlite3"
    shutil.copyfile(args.template, database)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "YITI_VAR_DIR": str(work / "var"), "YITI_DEBUG": "0"}
    (work / "var").mkdir()
    # Personal data in the template is encrypted with demo-data's generated key: beside the database
    # (YITI_VAR_DIR=/tmp/bench-sqlite) or in the YITI_VAR_DIR it was made with.
    for folder in (Path(args.template).resolve().parent, Path(os.environ.get("YITI_VAR_DIR", "var"))):
        if (folder / "data_key").exists() and "YITI_DATA_KEY" not in env:
            shutil.copyfile(folder / "data_key", work / "var" / "data_key")
            break
    subprocess.run([sys.executable, "-m", "yiti.manage", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    csv_path = work / "talents.csv"
    subprocess.run([sys.executable, str(ROOT / "bench" / "import_csv.py"), str(csv_path), "--rows", str(args.rows)],
                   env=env, cwd=ROOT, check=True)
    users = max(args.editors, 1) + args.loggers + args.readers
    print(f"checking the {args.rows}-row import (preview step) …", flush=True)
    job_id, need_ids = setup(env, csv_path, args.rows, users)

    base = f"http://127.0.0.1:{args.port}"
    manage = [sys.executable, "-m", "yiti.manage"]
    server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{args.port}", "--noreload"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=open(work / "server.log", "w"))
    worker = None
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        load = Load(base, args.pause)
        threads = [threading.Thread(target=load.editor, args=(f"bench_user_{i}", need_ids[i]))
                   for i in range(args.editors)]
        threads += [threading.Thread(target=load.logger, args=(f"bench_user_{args.editors + i}",))
                    for i in range(args.loggers)]
        threads += [threading.Thread(target=load.reader, args=(f"bench_user_{args.editors + args.loggers + i}", i))
                    for i in range(args.readers)]
        worker = subprocess.Popen([*manage, "db_worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=open(work / "worker.log", "w"))
        print(f"load before: {os.getloadavg()[0]:.2f}; starting {args.editors} editors, {args.loggers} log-ins, "
              f"{args.readers} readers, then confirming the import …", flush=True)
        session = requests.Session()
        login(session, base, "bench_user_0")
        session.get(f"{base}/imports/{job_id}/", timeout=60)
        for thread in threads:
            thread.start()
        started = time.time()
        confirmed = session.post(f"{base}/imports/{job_id}/confirm/", data={"csrfmiddlewaretoken": csrf_of(session)},
                                 headers={"Referer": f"{base}/imports/{job_id}/"}, allow_redirects=False, timeout=60)
        assert confirmed.status_code == 302, confirmed.status_code
        state = ""
        while time.time() - started < args.seconds:
            time.sleep(2)
            state = job_state(env, job_id)
            if state.split()[0] in {"done", "failed"}:
                break
        load.stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.time() - started
    finally:
        server.terminate()
        if worker is not None:
            worker.terminate()
        server.wait()
        if worker is not None:
            worker.wait()

    status, finished, created = state.split() if state else ("?", "0", "0")
    print(f"\nimport: {status}, {created} talents created; confirmed → finished "
          f"{float(finished) - started:.1f} s" if float(finished) else f"\nimport: {status} after {elapsed:.0f} s")
    print(f"{elapsed:.0f} s of load; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    print(f"| {'requests':<18} | {'count':>5} | {'500':>4} | {'503':>4} | {'other':>5} | {'median ms':>9} | "
          f"{'p95 ms':>7} | {'max ms':>7} |")
    print(f"|{'-' * 20}|{'-' * 7}|{'-' * 6}|{'-' * 6}|{'-' * 7}|{'-' * 11}|{'-' * 9}|{'-' * 9}|")
    expected = {"login (POST)": {302}, "edit save (POST)": {302}}
    for kind, samples in sorted(load.samples.items()):
        times = [ms for _status, ms in samples]
        codes = [status for status, _ms in samples]
        other = [c for c in codes if c not in expected.get(kind, {200}) and c not in {500, 503}]
        print(f"| {kind:<18} | {len(samples):>5} | {codes.count(500):>4} | {codes.count(503):>4} | "
              f"{len(other):>5} | {statistics.median(times):>9.0f} | {percentile(times, 0.95):>7.0f} | "
              f"{max(times):>7.0f} |" + (f" other: {sorted(set(other))}" if other else ""))
    print("other = an answer that is neither the expected one (200 page, 302 after a save or log-in) nor 500/503; "
          "0 = no answer within 60 s")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
