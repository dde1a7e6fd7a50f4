"""Roll-ups by county and lead department, per week and month; each figure links to exactly its tasks."""

from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.urls import reverse

from yiti.accounts.testing import make_user
from yiti.core.registry import registry_of
from yiti.supervision import rollups
from yiti.supervision.choices import TaskStatus
from yiti.supervision.models import Task
from yiti.supervision.testing import make_task, world

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 20)


def tasks_of_december(w):
    """榆次: 3 assigned in December (one done on time, one done late and closed, one overdue); 太谷: 1 closed."""
    make_task(w, assigned_on=date(2026, 12, 1), deadline=date(2026, 12, 10), status=TaskStatus.DONE,
              done_on=date(2026, 12, 9))
    make_task(w, assigned_on=date(2026, 12, 2), deadline=date(2026, 12, 5), status=TaskStatus.CLOSED,
              done_on=date(2026, 12, 8), closed_on=date(2026, 12, 11))
    make_task(w, assigned_on=date(2026, 12, 3), deadline=date(2026, 12, 15))  # overdue on the 20th
    make_task(w, assigned_on=date(2026, 12, 3), deadline=date(2026, 12, 25))  # not yet due
    make_task(w, assigned_on=date(2026, 11, 1), deadline=date(2026, 11, 30), status=TaskStatus.CLOSED,
              done_on=date(2026, 11, 30), closed_on=date(2026, 12, 1), division=w.taigu,
              lead_department=w.taigu_dept)
    make_task(w, assigned_on=date(2026, 10, 1), deadline=date(2026, 10, 30))  # nothing in December


def figures(row):
    return {name: cell.value for name, cell in row.cells.items()}


def test_by_county_per_month():
    w = world()
    tasks_of_december(w)
    rows, total = rollups.rollup(Task.objects.all(), "county", "month", date(2026, 12, 7), TODAY)
    by_name = {r.name: figures(r) for r in rows}
    assert by_name == {
        "榆次区": {"assigned": 4, "on_time": 1, "overdue": 1, "closed": 1, "avg_days": 9.0},
        "太谷区": {"assigned": 0, "on_time": 0, "overdue": 0, "closed": 1, "avg_days": 30.0},  # done in November
    }
    assert figures(total) == {"assigned": 4, "on_time": 1, "overdue": 1, "closed": 2, "avg_days": 19.5}


def test_by_lead_department_per_week():
    w = world()
    tasks_of_december(w)
    rows, _total = rollups.rollup(Task.objects.all(), "department", "week", date(2026, 12, 9), TODAY)
    # the week of Monday 7 to Sunday 13 December
    assert {r.name: figures(r) for r in rows} == {
        "榆次区": {"assigned": 0, "on_time": 1, "overdue": 0, "closed": 1, "avg_days": 9.0}}
    rows, _total = rollups.rollup(Task.objects.all(), "department", "week", date(2026, 12, 15), TODAY)
    assert {r.name: figures(r) for r in rows} == {
        "榆次区": {"assigned": 0, "on_time": 0, "overdue": 1, "closed": 0, "avg_days": None}}


def test_periods():
    assert rollups.period_bounds("week", date(2026, 12, 5)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert rollups.period_bounds("month", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert rollups.shift("month", date(2026, 12, 5), 1) == date(2027, 1, 1)
    assert rollups.shift("month", date(2026, 1, 31), -1) == date(2025, 12, 1)
    assert rollups.shift("week", date(2026, 12, 5), -1) == date(2026, 11, 23)


def test_each_figure_links_to_the_list_filtered_by_its_group_and_period():
    w = world()
    tasks_of_december(w)
    rows, total = rollups.rollup(Task.objects.all(), "county", "month", date(2026, 12, 7), TODAY)
    yuci = next(r for r in rows if r.name == "榆次区")
    query = {k: v[0] for k, v in parse_qs(urlsplit(yuci.cells["on_time"].url).query).items()}
    assert query == {"division": str(w.yuci.pk), "on_time": "true", "done_on_after": "2026-12-01",
                     "done_on_before": "2026-12-31"}
    assert urlsplit(yuci.cells["on_time"].url).path == "/supervision/"
    assert "division" not in parse_qs(urlsplit(total.cells["assigned"].url).query)


@pytest.mark.parametrize("by", ["county", "department"])
@pytest.mark.parametrize("period", ["week", "month"])
def test_every_linked_figure_equals_the_count_of_its_filtered_list(by, period, time_machine):
    from django.http import QueryDict

    time_machine.move_to(datetime(2026, 12, 20, 12, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)  # TODAY
    w = world()
    tasks_of_december(w)
    make_task(w, division=w.city_division, lead_department=w.city_office, assigned_on=date(2026, 12, 4))
    filterset = registry_of(Task).filterset
    request = RequestFactory().get("/supervision/")
    request.user = make_user("boss", "leader", is_superuser=True)
    for day in (date(2026, 12, 1), date(2026, 12, 9), date(2026, 11, 30)):
        rows, total = rollups.rollup(Task.objects.all(), by, period, day, TODAY)
        for row in [*rows, total]:
            for name, cell in row.cells.items():
                if not cell.url:  # the city-wide row by county: no filter selects exactly it (no link)
                    continue
                listed = filterset(QueryDict(urlsplit(cell.url).query), queryset=Task.objects.all(),
                                   request=request).qs
                expected = cell.value if name != "avg_days" else row.cells["closed"].value
                assert listed.count() == expected, (by, period, day, row.name, name, cell.url)


def test_the_page_shows_the_figures_with_their_links(client):
    w = world()
    tasks_of_december(w)
    client.force_login(make_user("boss", "leader", is_superuser=True))
    html = client.get(reverse("supervise:rollups"), {"by": "county", "period": "month",
                                                    "date": "2026-12-07"}).content.decode()
    assert "2026-12-01 — 2026-12-31" in html and "榆次区" in html and "太谷区" in html
    assert f'href="/supervision/?division={w.yuci.pk}&amp;assigned_on_after=2026-12-01' in html


@pytest.mark.parametrize("query", [{"date": "2026-13-45"}, {"by": "x", "period": "year"}, {"date": "x" * 500}])
def test_bad_parameters_fall_back_to_defaults(client, query):
    world()
    client.force_login(make_user("boss", "leader", is_superuser=True))
    assert client.get(reverse("supervise:rollups"), query).status_code == 200


def test_organisation_contacts_may_not_see_roll_ups(client):
    client.force_login(make_user("contact", "org_contact"))
    assert client.get(reverse("supervise:rollups")).status_code == 403


def test_city_wide_tasks_by_county_are_a_row_without_links_and_in_the_linked_total():
    w = world()
    tasks_of_december(w)
    make_task(w, title="全市事项", division=w.city_division, lead_department=w.city_office,
              assigned_on=date(2026, 12, 4))
    rows, total = rollups.rollup(Task.objects.all(), "county", "month", date(2026, 12, 7), TODAY)
    city = rows[-1]
    assert city.key is None and city.cells["assigned"].value == 1 and city.cells["assigned"].url == ""
    assert total.cells["assigned"].value == 5 and total.cells["assigned"].url
    # by lead department the city office is an exact row
    rows, _total = rollups.rollup(Task.objects.all(), "department", "month", date(2026, 12, 7), TODAY)
    office = next(r for r in rows if r.key == w.city_office.pk)
    assert office.cells["assigned"].value == 1 and "lead_department=" in office.cells["assigned"].url


def test_counties_come_in_the_order_of_their_codes_and_the_grouping_is_named(client):
    """榆次区 (140702) before 太谷区 (140703), as every other page lists counties — not by the names' code points;
    the select choosing county or department is 汇总方式, not the talent log's 经办人."""
    w = world()
    tasks_of_december(w)
    rows, _total = rollups.rollup(Task.objects.all(), "county", "month", date(2026, 12, 7), TODAY)
    assert [r.name for r in rows] == ["榆次区", "太谷区"]
    client.force_login(make_user("boss", "leader", is_superuser=True))
    html = client.get(reverse("supervise:rollups")).content.decode()
    assert "汇总方式" in html and "经办人" not in html
