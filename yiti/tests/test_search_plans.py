"""The query plan of a keyword search inside a data scope (issue 12, item 33).

A county officer's keyword search once took 133 s: SQLite looked up the list of keyword matches
once per organisation of the county (EXPLAIN QUERY PLAN: `SEARCH needs_need USING INDEX
needs_need_enterprise_id (enterprise_id=? AND rowid=?)` under the organisations loop). These tests
pin the plan of every registry's list query: the full-text table is read once per keyword, and no
table is searched by `rowid=?` together with another key (the nested loop). On PostgreSQL the same
lists are checked by bench/list_pages.py (docs/benchmarks.md).
"""

import re

import pytest
from django.db import connection
from django.test import RequestFactory

from yiti.core.registry import registries
from yiti.core.views import filtered
from yiti.tests.world import build_world

NESTED = re.compile(r"\(\w+=\? AND rowid=\?\)")


def list_queries(registry, user, params):
    request = RequestFactory().get("/", params)
    request.user = user
    _filterset, qs = filtered(registry, request)
    # The two queries of a list page that search: the (capped) count and the first page's ids.
    return qs, [qs.order_by().values("pk")[:10001], qs.values_list("pk", flat=True)[:25]]


def plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


def assert_one_pass(plan_lines: list[str], registry) -> None:
    fts = f"{registry.model._meta.db_table}_fts"
    assert sum(line.startswith(f"SCAN {fts} ") for line in plan_lines) == 1, plan_lines
    assert not [line for line in plan_lines if NESTED.search(line)], plan_lines


@pytest.fixture
def world(db):
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL is measured by bench/list_pages.py")
    return build_world()


@pytest.mark.parametrize("app", ["orgs", "talents", "experts", "needs", "results", "platforms", "agreements"])
def test_a_county_officers_keyword_search_reads_the_index_once_without_a_nested_loop(world, app):
    registry = registries()[app]
    county = world.users["county_staff_a"]
    qs, queries = list_queries(registry, county, {"q": "专属"})
    for query in queries:
        assert_one_pass(plan(query), registry)
    # and it finds exactly the records of the county that match
    matching = set(registry.model.objects.filter(pk__in=qs.values("pk")).values_list("pk", flat=True))
    assert world.a.records[registry.model._meta.label_lower].pk in matching
    assert world.b.records[registry.model._meta.label_lower].pk not in matching


@pytest.mark.parametrize("app", ["talents", "needs", "results", "agreements"])
def test_a_division_filter_with_a_keyword_has_the_same_one_pass_plan(world, app, admin_user):
    registry = registries()[app]
    _qs, queries = list_queries(registry, admin_user, {"q": "专属", "division": world.a.division.pk})
    for query in queries:
        assert_one_pass(plan(query), registry)


@pytest.mark.parametrize("app", ["talents", "needs"])
def test_an_unscoped_keyword_search_starts_from_the_index(world, app, admin_user):
    # the superuser's list: the matches drive the query (no scan of the whole table)
    registry = registries()[app]
    _qs, queries = list_queries(registry, admin_user, {"q": "专属"})
    table = registry.model._meta.db_table
    for query in queries:
        lines = plan(query)
        assert_one_pass(lines, registry)
        assert f"SCAN {table}" not in lines, lines


@pytest.mark.parametrize("app", ["results", "needs", "talents"])
def test_a_list_page_sorts_the_ids_in_scope_then_reads_its_rows_by_id(world, app, client):
    # A county officer's first page once sorted the whole rows of every record in the county (80,000
    # results with their texts) to show 25; the page's ids are found first, then only those rows are read.
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    registry = registries()[app]
    client.force_login(world.users["county_staff_a"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(registry.url_name("list")))
    assert response.status_code == 200
    table = registry.model._meta.db_table
    full_rows = [q["sql"] for q in queries if f'"{table}"."search_text"' in q["sql"].split(" FROM ")[0]]
    assert full_rows, [q["sql"] for q in queries]
    for sql in full_rows:
        assert "ORDER BY" not in sql and f'"{table}"."id" IN (' in sql, sql
    shown = {row.pk for row in response.context["table"].page.object_list.data}
    label = registry.model._meta.label_lower
    # the county's records, and county B's record when it is in the city-wide pool (an expert, a result)
    pooled_b = {world.b.records[label].pk} if label in {"talents.talent", "results.result"} else set()
    assert shown == {world.a.records[label].pk, *(r.pk for r in world.a.hidden.get(label, []))} | pooled_b


@pytest.mark.parametrize("app", ["experts", "results"])
def test_a_keyword_in_a_list_widened_by_a_broad_pool_starts_from_the_matches(world, app):
    # A broad pool (most of the table, written so that no index answers it) ORed into a county officer's scope: the
    # keyword's matches drive the query instead of every row of the table being checked against them (results ?q=一种).
    registry = registries()[app]
    assert registry.pool.broad and not registry.pool.covered
    county = world.users["county_staff_a"]
    qs, queries = list_queries(registry, county, {"q": "专属"})
    table = registry.model._meta.db_table
    for query in queries:
        lines = plan(query)
        assert_one_pass(lines, registry)
        assert f"SCAN {table}" not in lines, lines
    matching = set(qs.values_list("pk", flat=True))
    assert world.a.records[registry.model._meta.label_lower].pk in matching
    assert world.b.records[registry.model._meta.label_lower].pk not in matching  # 专属 is county A's marker


def test_a_keyword_in_a_list_widened_by_a_covered_pool_reads_the_covering_index(world):
    # Talents: the county OR the pool is answered by an index of (id, division, in_pool); the keyword is checked
    # against the ids it gives (a county officer's ?q=王: 25 ms against 37 ms looking each of 30,168 matches up in
    # the table) — never a scan of the table itself, never the table searched by the matches' ids.
    registry = registries()["talents"]
    assert registry.pool.broad and registry.pool.covered
    qs, queries = list_queries(registry, world.users["county_staff_a"], {"q": "专属"})
    table = registry.model._meta.db_table
    for query in queries:
        lines = plan(query)
        assert_one_pass(lines, registry)
        assert any(line.startswith(f"SCAN {table} USING COVERING INDEX talent_scope_pool_scan") for line in lines), lines
        assert not [line for line in lines if line.startswith(f"SEARCH {table} USING INTEGER PRIMARY KEY")], lines
    matching = set(qs.values_list("pk", flat=True))
    assert world.a.records["talents.talent"].pk in matching
    assert world.b.records["talents.talent"].pk not in matching  # 专属 is county A's marker


@pytest.mark.parametrize("app", ["talents", "results"])
def test_a_filter_beside_a_broad_pool_keeps_the_keyword_a_check(world, app):
    # With another condition (a filter) the keyword goes back to being checked row by row (the item-33 plan).
    registry = registries()[app]
    county = world.users["county_staff_a"]
    _qs, queries = list_queries(registry, county, {"q": "专属", "division": world.a.division.pk})
    for query in queries:
        lines = plan(query)
        assert_one_pass(lines, registry)
        assert any("+" in line or "LIST SUBQUERY" in line for line in lines), lines


def test_a_page_past_the_end_shows_the_last_page_counting_once(world, client):
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(world.users["county_staff_a"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(registries()["talents"].url_name("list")), {"page": 9999})
    assert response.status_code == 200
    assert response.context["table"].page.number == response.context["table"].paginator.num_pages
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)") and "talents_talent" in q["sql"]]
    assert counts and len(counts) == len(set(counts)), counts  # no count repeated for the last page


def test_a_deep_page_of_a_capped_list_is_the_same_rows_without_counting_further(world, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from yiti.core import paging
    from yiti.results.models import Result

    owner = world.a.records["results.result"].owner
    Result.objects.bulk_create([Result(title=f"成果{i}", owner=owner) for i in range(30)])
    monkeypatch.setattr(paging, "DEEP_OFFSET", 5)
    monkeypatch.setattr(paging.CappedPaginator, "COUNT_CAP", 20)
    qs = Result.objects.restrict(world.users["county_staff_a"], "view").pages_by_id()
    expected = list(qs.values_list("pk", flat=True))[15:20]
    table = registries()["results"].table(qs)  # the paginator counts the queryset inside django-tables2's rows
    paginator = paging.CappedPaginator(table.rows, 5)
    qs = table.data.data
    assert paginator.count == 20 and paginator.capped
    with CaptureQueriesContext(connection) as queries:
        page = [r.pk for r in qs[15:20]]
    assert page == expected
    assert not [q for q in queries if "COUNT(*)" in q["sql"]]


def _counts_the_or(sql: str) -> bool:
    return "division_id" in sql and "in_pool" in sql


def test_a_scope_alone_over_the_cap_says_10000_plus_without_counting_the_pool(world, monkeypatch):
    # The list is the county OR the city-wide pool: a county holding more than the cap is enough to say "10,000+".
    from django.test.utils import CaptureQueriesContext

    from yiti.core import paging
    from yiti.talents.models import Talent

    a = world.a.records["talents.talent"]
    Talent.objects.bulk_create([Talent(name=f"人才{i}", division=a.division) for i in range(6)])
    monkeypatch.setattr(paging.CappedPaginator, "COUNT_CAP", 5)
    table = registries()["talents"].table(Talent.objects.restrict(world.users["county_staff_a"], "view"))
    paginator = paging.CappedPaginator(table.rows, 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5 and paginator.capped
    # the pool alone (under the cap), then the county alone: never the OR
    assert len(queries) == 2 and not any(_counts_the_or(q["sql"]) for q in queries), queries
    # with a smaller county the whole list is counted (county A's talents and B's pooled expert)
    Talent.objects.filter(name__startswith="人才").delete()
    table = registries()["talents"].table(Talent.objects.restrict(world.users["county_staff_a"], "view"))
    paginator = paging.CappedPaginator(table.rows, 2)
    assert paginator.count == Talent.objects.restrict(world.users["county_staff_a"], "view").count()
    assert not paginator.capped


def test_a_pool_alone_over_the_cap_says_10000_plus_at_once(world, monkeypatch):
    # The city's experts outnumber the cap: their count alone says "10,000+", without the county's or the OR's.
    from django.test.utils import CaptureQueriesContext

    from yiti.core import paging
    from yiti.experts.models import ExpertRole
    from yiti.experts.testing import make_expert_role
    from yiti.talents.models import Talent

    b = world.b.records["talents.talent"]
    for i in range(6):
        make_expert_role(talent=Talent.objects.create(name=f"专家{i}", division=b.division))
    monkeypatch.setattr(paging.CappedPaginator, "COUNT_CAP", 5)
    table = registries()["experts"].table(ExpertRole.objects.restrict(world.users["county_staff_a"], "view"))
    paginator = paging.CappedPaginator(table.rows, 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5 and paginator.capped
    assert len(queries) == 1 and "in_pool" in queries[0]["sql"] and "division" not in queries[0]["sql"], queries


def test_a_keyword_matching_most_of_the_table_walks_the_lists_order_and_still_counts_exactly(world, admin_user,
                                                                                              monkeypatch):
    # The superuser's needs ?q=技术 (67,055 of 80,000): the newest 25 come from walking the date index and checking
    # each row's own search text (no list of the matches is built), not from sorting every match; the page still
    # says the exact count, from the full-text index.
    from yiti.core import search
    from yiti.needs.models import Need

    monkeypatch.setattr(search, "SMALL_TABLE", 0)
    registry = registries()["needs"]
    common = Need.objects.filter(title__contains="专属").count()
    assert common * 4 >= Need.objects.count()  # 专属 is in county A's needs: at least a quarter here
    qs, queries = list_queries(registry, admin_user, {"q": "专属"})
    lines = plan(queries[1])
    fts = f"{registry.model._meta.db_table}_fts"
    assert not [line for line in lines if line.startswith(f"SCAN {fts} ") or NESTED.search(line)], lines
    assert not [line for line in lines if "TEMP B-TREE" in line], lines  # no sort of the matches
    assert search.exact_keyword_count(qs) == qs.count() >= 1
    # a rare keyword keeps the matches driving the query
    monkeypatch.setattr(search, "MOST", 2.0)
    _qs, queries = list_queries(registry, admin_user, {"q": "专属"})
    assert f"SCAN {registry.model._meta.db_table}" not in plan(queries[1])
