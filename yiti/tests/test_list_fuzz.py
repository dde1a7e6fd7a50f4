"""Every registry list page's query string fuzzed with junk: no server error, for a county officer
(scope filter on) and for the superuser. Issue 12 found `?per_page=-1` a 500 on all seven lists.

Deterministic: every parameter (each filter's form keys, page, per_page, sort, q) gets every junk
value on its own, and a fixed-seed random mix combines several; the parameters come from the
registry's own filter set and table, so a filter added later is fuzzed too.
"""

import random

import pytest
from django import forms
from django.test import Client, RequestFactory
from django.urls import reverse

from yiti.accounts.models import User
from yiti.core.registry import registries
from yiti.tests.world import build_world

pytestmark = pytest.mark.django_db

JUNK = [
    "-1", "0", "99999999999999999999999", "1e5", "abc", "", " ", "1.5", "NaN", "unknown-choice",
    "2026-13-45", "9999-12-31", "-0001-01-01", "null", "[]", "' OR 1=1 --", "%", "%00", "\x00",
    "字" * 3000, "𝔘ñí©ødé ☃ \u202e 乙县", "<script>alert(1)</script>", "a" * 300,
]
# Each filter field gets these three (too big a number, an unknown choice, a NUL byte) and one more junk
# value in turn; page, per_page and q get every junk value. Keeps the run near 2,000 requests.
FILTER_JUNK = ["99999999999999999999999", "unknown-choice", "\x00"]
SORT_JUNK = ["no_such_column", "-no_such_column", "name,-id", "--name", "-", "password", "division__code"]
COMBINED_REQUESTS = 10  # per registry and user: random mixes of several junk parameters


def query_keys(registry, user) -> list[str]:
    """The query-string keys the list understands: every filter's form keys (a date range has two)."""
    request = RequestFactory().get("/")
    request.user = user
    form = registry.filterset(queryset=registry.model._default_manager.none(), request=request).form
    keys = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            keys += [f"{name}{suffix}" for suffix in widget.widgets_names]
        else:
            keys.append(name)
    return [*keys, "page", "per_page", "sort"]


def junk_for(registry, key: str, n: int = 0) -> list[str]:
    if key in ("page", "per_page", "q"):
        return JUNK
    if key != "sort":
        return [*FILTER_JUNK, JUNK[n % len(JUNK)]]
    columns = list(registry.table.base_columns)
    return [*SORT_JUNK, *columns[:3], *(f"-{c}" for c in columns[:3])]


def requests_for(registry, user, seed: int) -> list[dict[str, str]]:
    keys = query_keys(registry, user)
    single = [{key: value} for n, key in enumerate(keys) for value in junk_for(registry, key, n)]
    rng = random.Random(seed)
    mixed = [{key: rng.choice(JUNK if key != "sort" else junk_for(registry, key)) for key in rng.sample(keys, k=min(4, len(keys)))}
             for _ in range(COMBINED_REQUESTS)]
    return single + mixed


@pytest.fixture
def users(db):
    world = build_world()
    superuser = User.objects.create_superuser("fuzz_root", password="Fuzz-root-2026")
    return {"county officer": world.users["county_staff_a"], "superuser": superuser}


@pytest.mark.parametrize("who", ["county officer", "superuser"])
@pytest.mark.parametrize("label", sorted(registries()))
def test_list_query_string_junk_never_gives_a_server_error(users, who, label):
    registry = registries()[label]
    client = Client(raise_request_exception=False)
    client.force_login(users[who])
    url = reverse(registry.url_name("list"))
    errors = []
    for n, params in enumerate(requests_for(registry, users[who], seed=sorted(registries()).index(label))):
        # every fifth request as the htmx fragment the filter form asks for
        headers = {"HX-Request": "true", "HX-Target": "results"} if n % 5 == 0 else {}
        response = client.get(url, params, headers=headers)
        if response.status_code >= 500:
            errors.append(({k: v[:30] for k, v in params.items()}, response.status_code))
    assert errors == [], f"{who} {url}: {len(errors)} server errors, e.g. {errors[:5]}"
