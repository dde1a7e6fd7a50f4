"""The home page by role, the charts' JSON and Excel, the section hook and the 数据大屏 (yiti/dashboard/home.py,
charts.py, screen.py): each role sees its sections and nothing outside its scope; every figure shown equals
`indicators.value` for the user."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from yiti.agreements.choices import Step
from yiti.agreements.testing import make_agreement
from yiti.dashboard import charts, home
from yiti.dashboard import indicators as ledger
from yiti.dashboard.models import Snapshot, SnapshotValue, Target
from yiti.matching.testing import make_matching_list, make_places
from yiti.needs.testing import make_need

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def places():
    cache.clear()
    p = make_places()
    today = timezone.localdate()
    # county A: two agreements (one landed), a published list and a list under review; county B: one agreement
    make_agreement(parties=[p.a.university, p.a.enterprise], division=p.a.division, title="甲县合作协议一",
                   signed_date=today, status=Step.LANDED, committed_funds=Decimal("30"))
    make_agreement(parties=[p.a.university, p.a.enterprise], division=p.a.division, title="甲县合作协议二",
                   signed_date=today, committed_funds=Decimal("12.5"))
    make_agreement(parties=[p.b.university, p.b.enterprise], division=p.b.division, title="乙县合作协议",
                   signed_date=today, status=Step.STARTED, committed_funds=Decimal("7"))
    make_need(enterprise=p.b.enterprise, title="乙县第二条需求")
    make_matching_list(p.a)
    make_matching_list(p.b, published=False)  # under review: 太谷区对接清单
    return p


def client_for(client, user):
    client.force_login(user)
    from yiti.security.models import AccountSecurity

    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
    return client


def page(client, user, url="/"):
    response = client_for(client, user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ---- who sees which sections ------------------------------------------------------------------------------

def test_the_leader_sees_the_city_figures_the_county_chart_the_funnels_and_the_trend(client, places):
    html = page(client, places.leader)
    for section in ('id="leader-view"', 'id="figures"', 'id="chart-county"', 'id="chart-agreements"',
                    'id="chart-matching"', 'id="chart-trend"'):
        assert section in html, section
    assert 'id="staff-view"' not in html and 'id="org-view"' not in html and 'id="county-view"' not in html
    assert "榆次区" in html and "太谷区" in html  # both counties on the comparison
    assert "/screen/" in html


def test_city_staff_get_the_leaders_view_and_the_lists_waiting_for_review(client, places):
    html = page(client, places.city_staff)
    assert 'id="leader-view"' in html and 'id="staff-view"' in html
    assert "太谷区对接清单" in html  # a list under review, anywhere in the city


def test_a_county_officer_sees_their_county_only(client, places):
    html = page(client, places.a.officer)
    assert 'id="county-view"' in html and 'id="staff-view"' in html
    assert 'id="leader-view"' not in html and 'id="chart-county"' not in html and "/screen/" not in html
    assert "太谷区" not in html and "乙县" not in html  # nothing of county B: no list, no figure, no name
    # their county's figures: the ledger's values for the officer in their county
    for code, ind in ledger.INDICATORS.items():
        expected = ledger.value(ind, places.a.officer, THIS_YEAR, places.a.division)
        assert f'data-indicator="{code}"' in html
        assert f'data-value="{expected}"' in html, code
    assert ledger.value(ledger.get("agreements_signed"), places.a.officer, THIS_YEAR, places.a.division) == 2


def test_a_county_officer_sees_their_list_under_review_not_the_other_countys(client, places):
    make_matching_list(places.a, published=False)
    html = page(client, places.a.officer)
    assert "榆次区对接清单" in html and "太谷区对接清单" not in html


def test_an_organisation_contact_sees_only_their_organisations_items_and_agreements(client, places):
    html = page(client, places.a.university_contact)
    assert 'id="org-view"' in html
    assert 'id="leader-view"' not in html and 'id="staff-view"' not in html and 'id="figures"' not in html
    assert places.a.need.title in html and "甲县合作协议一" in html and "甲县合作协议二" in html
    assert "乙县" not in html and "太谷区" not in html


def test_an_administrator_keeps_the_registry_count_cards(client, places):
    from yiti.accounts.testing import make_user

    html = page(client, make_user("sysadmin_d", "sysadmin"))
    assert 'id="leader-view"' not in html and 'id="org-view"' not in html


def test_the_home_page_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# ---- figures equal the ledger ------------------------------------------------------------------------------

def test_the_leaders_figures_and_targets_equal_the_ledger(client, places):
    city = ledger.city()
    Target.objects.create(indicator="agreements_signed", year=THIS_YEAR, division=city, value=6)
    html = page(client, places.leader)
    for code, ind in ledger.INDICATORS.items():
        assert f'data-value="{ledger.value(ind, places.leader, THIS_YEAR)}"' in html, code
    assert ">50%<" in html  # 3 signed of a target of 6


def test_the_county_chart_json_equals_the_ledger_for_each_county(client, places):
    client_for(client, places.leader)
    Target.objects.create(indicator="funds_committed", year=THIS_YEAR, division=places.a.division, value=100)
    for code, ind in ledger.INDICATORS.items():
        data = client.get(f"/dashboard/charts/county/?indicator={code}&year={THIS_YEAR}").json()
        counties = ledger.counties()
        assert data["categories"] == [c.name for c in counties]
        assert [Decimal(str(v)) for v in data["series"][0]["data"]] == \
            [ledger.value(ind, places.leader, THIS_YEAR, c) for c in counties]
    data = client.get(f"/dashboard/charts/county/?indicator=funds_committed&year={THIS_YEAR}").json()
    assert data["series"][0]["data"][0] == 42.5 and data["series"][1]["data"][0] == 100  # 榆次区: 30 + 12.5


def test_the_agreement_ladder_counts_each_step_reached(client, places):
    client_for(client, places.leader)
    data = client.get("/dashboard/charts/agreements/").json()
    assert data["categories"] == ["签约", "项目启动", "资金到位", "落地"] or len(data["categories"]) == 4
    assert data["series"][0]["data"] == [3, 2, 1, 1]  # signed 3; started: 乙县's and the landed one; landed 1


def test_the_matching_funnel_reuses_the_lists_funnel_and_links_to_its_items(client, places):
    from yiti.matching import lists
    from yiti.matching.models import MatchingItem

    client_for(client, places.leader)
    data = client.get("/dashboard/charts/matching/").json()
    counts = lists.funnel(MatchingItem.objects.visible(places.leader))
    assert data["series"][0]["data"] == [counts[s] for s in lists.STEP_NAMES]
    assert data["links"][2] == "/matching/items/?step=published"


def test_the_trend_uses_a_snapshot_where_a_month_has_one_and_the_records_otherwise(client, places):
    ind = ledger.get("agreements_signed")
    last_month = charts.month_ends(timezone.localdate())[-2]
    snap = Snapshot.objects.create(period=last_month.strftime("%Y-%m"))
    SnapshotValue.objects.create(snapshot=snap, indicator=ind.code, year=last_month.year, division=None, value=17)
    client_for(client, places.leader)
    data = client.get("/dashboard/charts/trend/?indicator=agreements_signed").json()
    assert len(data["categories"]) == 12 and data["categories"][-2] == snap.period
    values = data["series"][0]["data"]
    assert values[-2] == 17  # frozen
    assert values[-1] == ledger.value(ind, places.leader, THIS_YEAR)  # this month: live
    assert values[0] == 0  # a year ago: no agreement signed by then


def test_a_county_officers_trend_is_their_countys(client, places):
    client_for(client, places.a.officer)
    data = client.get("/dashboard/charts/trend/?indicator=agreements_signed").json()
    assert data["series"][0]["data"][-1] == 2 and "榆次区" in data["title"]


def test_charts_outside_the_role_are_refused_and_bad_parameters_fall_back(client, places):
    client_for(client, places.a.officer)
    for name in ("county", "agreements", "matching"):
        assert client.get(f"/dashboard/charts/{name}/").status_code == 403
        assert client.get(f"/dashboard/charts/{name}/xlsx/").status_code == 403
    assert client.get("/dashboard/charts/nothing/").status_code == 404
    client_for(client, places.leader)
    data = client.get("/dashboard/charts/county/?indicator=%3Cscript%3E&year=99999999999").json()
    assert str(THIS_YEAR) in data["title"] and "<script>" not in json.dumps(data)
    assert client.get("/?year=abc&indicator=x").status_code == 200


def test_the_excel_download_holds_the_charts_figures(client, places):
    from openpyxl import load_workbook

    client_for(client, places.leader)
    response = client.get(f"/dashboard/charts/county/xlsx/?indicator=agreements_signed&year={THIS_YEAR}")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][1] == str(ledger.get("agreements_signed").name)
    by_county = {r[0]: r[1] for r in rows[1:]}
    assert by_county["榆次区"] == 2 and by_county["太谷区"] == 1 and len(by_county) == len(ledger.counties())


def test_a_bar_links_to_the_ledgers_drilldown_of_its_indicator_county_and_year(client, places):
    client_for(client, places.leader)
    data = client.get(f"/dashboard/charts/county/?indicator=agreements_signed&year={THIS_YEAR}").json()
    yuci = ledger.counties()[0]
    assert yuci.code == "140702"
    link = f"/dashboard/ledger/agreements_signed/?year={THIS_YEAR}&county={yuci.pk}"
    assert data["links"][0] == link
    html = client.get("/?indicator=agreements_signed").content.decode()
    assert link.replace("&", "&amp;") in html
    # the bar's page counts what the bar shows
    page = client.get(link)
    figure = data["series"][0]["data"][0]
    figure = figure["value"] if isinstance(figure, dict) else figure
    assert page.status_code == 200 and Decimal(str(figure)) == page.context["table"].paginator.count


def test_a_ratio_bar_opens_nothing(client, places):
    client_for(client, places.leader)
    ratio = next(i for i in ledger.INDICATORS.values() if i.is_ratio)
    data = client.get(f"/dashboard/charts/county/?indicator={ratio.code}").json()
    assert set(data["links"]) == {None}


# ---- the section hook ----------------------------------------------------------------------------------

def test_a_section_registered_for_leaders_shows_on_their_home_page_only(client, places, tmp_path, settings):
    (tmp_path / "dummy_section.html").write_text("<p id='dummy'>{{ section.title }}：{{ section.count }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    def overdue_tasks(request):
        return {"title": "示例分区", "template": "dummy_section.html", "count": 7}

    home.add_section("leader", overdue_tasks)
    try:
        assert "<p id='dummy'>示例分区：7</p>" in page(client, places.leader)
        assert "示例分区" not in page(client, places.a.officer)
    finally:
        home.remove_section("leader", overdue_tasks)
    assert "示例分区" not in page(client, places.leader)
    with pytest.raises(ValueError):
        home.add_section("everyone", overdue_tasks)


# ---- 数据大屏 -------------------------------------------------------------------------------------------------

def test_the_screen_is_for_leaders_and_city_staff(client, places):
    assert 'id="stage"' in page(client, places.leader, "/screen/")
    assert client_for(client, places.city_staff).get("/screen/data/").status_code == 200
    for user in (places.a.officer, places.a.university_contact):
        client_for(client, user)
        assert client.get("/screen/").status_code == 403
        assert client.get("/screen/data/").status_code == 403


def test_the_screen_data_equals_the_ledger_and_has_no_map_by_default(client, places):
    client_for(client, places.leader)
    data = client.get("/screen/data/").json()
    for counter in data["counters"]:
        ind = ledger.get(counter["code"])
        assert Decimal(str(counter["value"])) == ledger.value(ind, places.leader, THIS_YEAR)
    first = data["comparisons"][0]
    ind = ledger.get(first["json"].split("indicator=")[1].split("&")[0])
    assert [Decimal(str(v)) for v in first["series"][0]["data"]] == \
        [ledger.value(ind, places.leader, THIS_YEAR, c) for c in ledger.counties()]
    assert data["map"] is None
    assert client.get("/screen/map/").status_code == 404


def test_a_configured_boundary_file_adds_the_choropleth_with_its_approval_number(client, places, tmp_path, settings):
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adcode": 140702, "name": "榆次区"},
         "geometry": {"type": "Polygon", "coordinates": [[[112.7, 37.7], [112.9, 37.7], [112.9, 37.6], [112.7, 37.7]]]}}]}
    path = tmp_path / "jinzhong.geojson"
    path.write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")
    settings.YITI_SCREEN_BOUNDARY_FILE = str(path)
    settings.YITI_SCREEN_BOUNDARY_APPROVAL = "晋S（2024）001号"
    client_for(client, places.leader)
    data = client.get("/screen/data/").json()
    assert data["map"]["approval"] == "晋S（2024）001号" and data["map"]["name_property"] == "adcode"
    assert {"name": "榆次区", "code": "140702"}.items() <= data["map"]["data"][0].items()
    served = client.get(data["map"]["url"])
    assert served.status_code == 200 and json.loads(b"".join(served.streaming_content)) == geo


def test_the_screen_data_is_cached_for_a_minute(client, places, django_assert_max_num_queries):
    client_for(client, places.leader)
    first = client.get("/screen/data/").json()
    make_agreement(parties=[places.a.university], division=places.a.division, signed_date=timezone.localdate())
    with django_assert_max_num_queries(8):  # the session and the user, not the figures
        assert client.get("/screen/data/").json() == first


def test_month_ends_are_the_last_twelve_ending_today():
    ends = charts.month_ends(datetime.date(2026, 3, 15))
    assert ends[0] == datetime.date(2025, 4, 30) and ends[-2] == datetime.date(2026, 2, 28)
    assert ends[-1] == datetime.date(2026, 3, 15) and len(ends) == 12


def test_the_grouped_figures_equal_the_ledgers_for_every_indicator_county_and_role(places):
    for user in (places.leader, places.city_staff, places.a.officer, places.b.officer):
        for ind in ledger.INDICATORS.values():
            for year in (THIS_YEAR, THIS_YEAR - 1, None):
                assert charts.figure(ind, user, year) == ledger.value(ind, user, year), (ind.code, user, year)
                assert charts.per_county(ind, user, year) == ledger.by_county(ind, user, year), (ind.code, user)


def test_the_trend_computed_from_the_records_is_the_ledgers_figure_at_each_month_end(places):
    from yiti.agreements.models import Agreement

    today = timezone.localdate()
    for days in (40, 75, 200, 400):  # spread over the last months and the year before
        make_agreement(parties=[places.a.university], division=places.a.division,
                       signed_date=today - datetime.timedelta(days=days), committed_funds=Decimal(days))
    ends = charts.month_ends(today)
    for code in ("agreements_signed", "funds_committed"):
        ind = ledger.get(code)
        for user, county in ((places.leader, None), (places.a.officer, places.a.division)):
            points = charts.year_to_date(ind, user, ends, county)
            for day in ends:
                expected = ledger.records(ind, user, day.year, county).filter(signed_date__lte=day)
                total = sum((a.committed_funds for a in expected), Decimal(0)) if ind.sum_field else expected.count()
                assert points[day] == total, (code, day)
    assert Agreement.objects.count() == 7


def test_the_grouped_figures_count_a_record_reached_through_several_paths_as_the_ledger_does(places):
    # an agreement between a university of county A and an enterprise of county B counts in both counties once
    make_agreement(parties=[places.a.university, places.b.enterprise, places.b.university], division=None,
                   signed_date=timezone.localdate(), committed_funds=Decimal("8"))
    today = timezone.localdate()
    for sum_field in ("", "committed_funds"):
        ind = ledger.Indicator(code=f"test_parties_{sum_field}", name="x", definition="x", unit="x",
                               model="agreements.Agreement", date_field="signed_date",
                               county_path="parties__division", sum_field=sum_field, many=True)
        assert charts.figure(ind, places.leader, THIS_YEAR) == ledger.value(ind, places.leader, THIS_YEAR)
        assert charts.per_county(ind, places.leader, THIS_YEAR) == ledger.by_county(ind, places.leader, THIS_YEAR)
        ytd = charts.year_to_date(ind, places.leader, [today], places.b.division)
        assert ytd[today] == ledger.value(ind, places.leader, THIS_YEAR, places.b.division)


def test_the_agreement_ladder_and_the_landed_indicator_count_differently_and_say_so(client, places):
    """协议落地数 counts the 落地 evidence dated in the year whatever year the agreement was signed; the home
    page's ladder counts the agreements signed in the year by the step reached. Same data, two figures: the
    funnel's labels are not the indicator's name and its note names the indicator and says how it differs."""
    from yiti.agreements.models import Evidence

    today = timezone.localdate()
    old = make_agreement(parties=[places.a.university, places.a.enterprise], division=places.a.division,
                         title="甲县往年签约协议", signed_date=today.replace(year=THIS_YEAR - 1, month=3, day=1),
                         status=Step.LANDED)
    Evidence.objects.create(agreement=old, step=Step.LANDED, date=today, note="项目投产")
    landed = ledger.value(ledger.get("agreements_landed"), places.leader, THIS_YEAR)
    chart = charts.agreements_chart(places.leader, THIS_YEAR)
    assert landed == 1 and chart.series[0]["data"][-1] == 1  # two different agreements: the same number by chance
    Evidence.objects.create(agreement=old, step=Step.STARTED, date=today, note="启动会")
    assert ledger.value(ledger.get("agreements_started"), places.leader, THIS_YEAR) == 1
    assert charts.agreements_chart(places.leader, THIS_YEAR).series[0]["data"][1] == 2  # this year's cohort
    names = {str(ledger.get(c).name) for c in charts.LADDER_INDICATORS}
    assert not names & set(chart.categories)
    assert chart.categories == [f"{THIS_YEAR}年签约", "其中：已启动", "其中：资金已到位", "其中：已落地"]
    html = page(client, places.leader)
    assert "“协议落地数”" in html and "不论协议哪年签约" in html
    assert "不论哪年签约" in str(ledger.get("agreements_landed").definition)


# ---- the figures kept ready by the worker (issue 15 §6: no leader waits for a cold figure) -----------------------

REGISTRY_TABLES = ("talents_talent", "needs_need", "agreements_agreement", "orgs_organisation", "platforms_platform",
                   "results_result", "experts_expertrole", "matching_matchingitem")


def registry_reads(queries) -> list[str]:
    """The queries that count registry records (the staff's overdue matching items are a list, not a figure)."""
    return [q["sql"] for q in queries if any(f'FROM "{t}"' in q["sql"] for t in REGISTRY_TABLES)
            and "contact_deadline" not in q["sql"]]


def test_the_figures_kept_ready_equal_the_ledger_for_every_indicator_county_and_role(places):
    from yiti.dashboard import live

    today = timezone.localdate()
    make_agreement(parties=[places.a.university], division=places.a.division,
                   signed_date=today - datetime.timedelta(days=70), committed_funds=Decimal("4"))
    live.refresh()
    ends = charts.month_ends(today)
    for user in (places.leader, places.city_staff, places.a.officer, places.b.officer):
        for ind in ledger.INDICATORS.values():
            for year in (THIS_YEAR, None):
                assert charts.figure(ind, user, year) == ledger.value(ind, user, year), (ind.code, user, year)
            assert charts.per_county(ind, user, THIS_YEAR) == ledger.by_county(ind, user, THIS_YEAR), ind.code
            for county in (None, places.a.division):
                assert charts.figure(ind, user, THIS_YEAR, county) == ledger.value(ind, user, THIS_YEAR, county)
                kept = charts.year_to_date(ind, user, ends, county)
                assert kept == charts._year_to_date(ind, user, ends, county), (ind.code, user, county)
        assert charts.agreement_ladder(user, THIS_YEAR) == charts.agreement_ladder_of(
            __import__("yiti.agreements.models", fromlist=["Agreement"]).Agreement.objects.restrict(user, "view"),
            THIS_YEAR)


def test_leaders_and_a_county_officer_read_the_kept_figures_not_the_records(client, places, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiti.dashboard import live

    settings.YITI_DASHBOARD_CACHE_SECONDS = 0  # nothing kept per user: what the page reads is the set or the records
    live.refresh()
    for user, url in ((places.leader, "/"), (places.leader, "/screen/data/"), (places.city_staff, "/"),
                      (places.a.officer, "/")):
        client_for(client, user)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert registry_reads(queries.captured_queries) == [], (user, url)
        if url == "/":
            assert 'id="figures-at"' in response.content.decode() or 'id="county-figures-at"' in response.content.decode()
    # without the set (no worker), or with one too old, the page counts the records itself
    from yiti.dashboard.models import FigureSet

    FigureSet.objects.update(computed_at=timezone.now() - live.max_age() - datetime.timedelta(minutes=1))
    client_for(client, places.leader)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert registry_reads(queries.captured_queries)


def test_only_users_whose_scope_is_the_whole_figure_read_the_kept_set(places):
    from yiti.accounts.testing import make_user
    from yiti.dashboard import live

    assert live.sees_city(places.leader) and live.sees_city(places.city_staff)
    assert not live.sees_city(places.a.officer)
    assert live.sees_county(places.a.officer, places.a.division)
    assert not live.sees_county(places.a.officer, places.b.division)
    department_staff = make_user("dept_staff_live", "staff", scope="department", department=places.a.officer.department)
    assert not live.sees_city(department_staff) and not live.sees_county(department_staff, places.a.division)
    assert not live.sees_city(places.a.enterprise_contact)


def test_the_worker_refreshes_the_figures_and_queues_its_next_run(settings):
    from django_tasks_db.models import DBTaskResult

    from yiti.dashboard import live
    from yiti.dashboard.models import FigureSet
    from yiti.dashboard.tasks import refresh_figures

    assert live.schedule() is False  # tests run tasks inline: nothing to queue, the pages compute themselves
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # a page finding no set queues the refresh (once)
    assert live.ready(THIS_YEAR) is None and live.ready(THIS_YEAR) is None
    queued = DBTaskResult.objects.filter(task_path="yiti.dashboard.tasks.refresh_figures")
    assert queued.count() == 1
    queued.update(status="RUNNING")
    assert refresh_figures.func().startswith(f"dashboard figures {THIS_YEAR}")
    assert FigureSet.objects.get(year=THIS_YEAR).data["values"]
    nxt = queued.get(status="READY")
    assert nxt.run_after - timezone.now() > datetime.timedelta(minutes=live.refresh_minutes() - 1)
    cache.clear()
    assert live.ready(THIS_YEAR) is not None


def test_the_trend_counts_a_need_matched_both_ways_once(places):
    # a need with a published matching item and two agreements answering it: one need matched (the ledger's
    # figure), not one per joined row
    need = places.a.need
    for _ in range(2):
        make_agreement(parties=[places.a.university, places.a.enterprise], division=places.a.division).needs.add(need)
    ind = ledger.get("needs_matched")
    today = timezone.localdate()
    if need.published_date is None or need.published_date.year != today.year:
        need.published_date = today
        need.save()
    ends = charts.month_ends(today)
    assert charts._year_to_date(ind, places.leader, ends, None)[today] == ledger.value(ind, places.leader, today.year)
    assert ledger.value(ind, places.leader, today.year) >= 1


def test_the_trend_of_today_counts_the_talents_entered_today(places):
    # created_at is a date-time: today's point is up to the end of today (Asia/Shanghai), not its midnight
    from yiti.talents.testing import make_talent

    make_talent(population="local", division=places.a.division)
    ind = ledger.get("talents_introduced")
    today = timezone.localdate()
    ends = charts.month_ends(today)
    for county in (None, places.a.division):
        found = charts._year_to_date(ind, places.leader, ends, county)[today]
        assert found == ledger.value(ind, places.leader, today.year, county) >= 1
