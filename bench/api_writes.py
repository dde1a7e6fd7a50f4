#!/usr/bin/env python3
"""The API's write path at scale (issue 16 §4, docs/api.md): POST a need with an API key.

Usage (from the repository root, in the venv; the database is a COPY — this script writes into it, and clears
the encrypted phone of the one enterprise it uses, since the copy is read without its data key):
    cp /work/perf/bench.sqlite3 /tmp/bench-api/bench.sqlite3
    YITI_VAR_DIR=/tmp/bench-api DATABASE_URL=sqlite:////tmp/bench-api/bench.sqlite3 \
        python bench/api_writes.py --calls 200 --rate 30

The database is migrated first (a copy made by an older build gains the new columns). A key is issued for a county
officer of the database (their county's first enterprise is the need's enterprise) with a rate limit high enough
not to interfere, then:

- writes: --calls POSTs of a new need (`POST /api/needs/`, each with its own Idempotency-Key), through Django's
  test client in this process (no network: the time is the server's — key check, form, scope, save, change
  history, the answer, the ApiCall trail row). p50/p95/max of the handler's time and of the trail's duration_ms;
- retry: one call retried with the same Idempotency-Key: the same answer, one record;
- rate: a second key limited to --rate calls a minute: the number of 201s before the first 429.

The load average is printed before and after (the machine may be shared).
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def make_key(account, rate: int, name: str) -> str:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from yiti.security.api_keys import issue
    from yiti.security.models import ApiKey, ApiKeyGrant

    key = ApiKey(name=name, account=account, expires_at=timezone.now() + timedelta(days=1), rate_limit=rate)
    token = issue(key)
    key.save()
    ApiKeyGrant.objects.create(key=key, content_type=ContentType.objects.get(app_label="needs", model="need"),
                               may_view=True, may_add=True, may_change=True)
    return token


def post(client: Client, token: str, body: dict, idempotency_key: str = "") -> tuple[float, object]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if idempotency_key:
        headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    started = time.perf_counter()
    response = client.post("/api/needs/", data=json.dumps(body), content_type="application/json", **headers)
    return time.perf_counter() - started, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rate", type=int, default=30, help="calls per minute of the rate-limited key")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)

    from django.core.cache import cache
    from django.db import connection

    from yiti.accounts.models import User
    from yiti.needs.models import Need
    from yiti.orgs.models import Organisation
    from yiti.security.models import ApiCall

    print(f"load average before: {os.getloadavg()}; database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"needs: {Need.objects.count():,}, organisations: {Organisation.objects.count():,}")
    account = (User.objects.filter(role="staff", scope="county", is_active=True, department__division__isnull=False)
               .select_related("department").order_by("pk").first())
    assert account is not None, "no county officer in the database (run `yiti demo-data` first)"
    enterprises = Organisation.objects.filter(org_type="enterprise", division=account.department.division)
    enterprise = enterprises.only("pk", "name").order_by("pk").first()
    assert enterprise is not None, "no enterprise in the officer's county"
    # The copy is read without the data key it was written with (this run's YITI_VAR_DIR has its own): the one
    # enterprise the needs name loses its encrypted contact phone, so that loading it decrypts nothing.
    Organisation.objects.filter(pk=enterprise.pk).update(phone="")
    print(f"account: {account.username} ({account.department}), enterprise: {enterprise.name}")
    cache.clear()
    client = Client()
    run = uuid.uuid4().hex[:8]

    def body(n: int) -> dict:
        return {"enterprise": f"#{enterprise.pk}", "need_type": "technology",
                "title": f"基准接口需求{run}-{n:04d}：数控机床精度检测", "description": "接口写入基准测试"}

    # writes
    token = make_key(account, rate=100_000, name=f"基准接口密钥{run}")
    post(client, token, body(-1), f"{run}-warm")  # warm-up: imports, caches
    first_trail = ApiCall.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    times = []
    for n in range(args.calls):
        seconds, response = post(client, token, body(n), f"{run}-{n}")
        assert response.status_code == 201, (response.status_code, response.content[:300])
        times.append(seconds * 1000)
    trail = list(ApiCall.objects.filter(pk__gt=first_trail, status=201).values_list("duration_ms", flat=True))
    print(f"\nPOST /api/needs/ × {args.calls} (each its own Idempotency-Key), handler time in this process:")
    print(f"  p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms")
    print(f"  the trail's duration_ms (ApiCall, {len(trail)} rows): p50 {statistics.median(trail):.0f} ms, "
          f"p95 {percentile(trail, 0.95):.0f} ms")

    # retry
    retried = body(99_999)
    first_s, first = post(client, token, retried, f"{run}-retry")
    again_s, again = post(client, token, retried, f"{run}-retry")
    created = Need.objects.filter(title=retried["title"]).count()
    same = first.json() == again.json()
    print(f"\nretry with the same Idempotency-Key: {first.status_code} ({first_s * 1000:.1f} ms) then "
          f"{again.status_code} ({again_s * 1000:.1f} ms); same answer: {same}; records created: {created}")
    assert first.status_code == again.status_code == 201 and same and created == 1

    # rate limit
    limited = make_key(account, rate=args.rate, name=f"基准限流密钥{run}")
    statuses = []
    for n in range(args.rate + 5):
        statuses.append(post(client, limited, body(50_000 + n), f"{run}-rate-{n}")[1].status_code)
    accepted = statuses.index(429) if 429 in statuses else len(statuses)
    print(f"\nrate limit {args.rate}/minute: {accepted} calls answered 201, then {statuses[accepted:]}")
    assert accepted == args.rate and set(statuses[accepted:]) == {429}
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
