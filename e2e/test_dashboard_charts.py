"""Issue 15 §7 in a real browser, under the strict CSP: the leader's home page draws its charts (ECharts canvases),
the table toggle works, and the 数据大屏 renders its counters and charts scaled to the window — with no CSP
violation and no console error. Screenshots go to test-artifacts/ (not committed)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city():
    from django.core.cache import cache

    from yiti.agreements.choices import Step
    from yiti.agreements.testing import make_agreement
    from yiti.core.models import Division
    from yiti.dashboard.models import Target
    from yiti.matching.testing import make_matching_list, make_places
    from yiti.needs.testing import make_need

    cache.clear()  # the screen's figures are cached per user: not another test's
    places = make_places()
    today = timezone.localdate()
    steps = [Step.SIGNED, Step.STARTED, Step.FUNDS_ARRIVED, Step.LANDED]
    for n, place in enumerate((places.a, places.b)):
        for i in range(6 - 2 * n):
            make_agreement(parties=[place.university, place.enterprise], division=place.division,
                           title=f"{place.division.name}合作协议{i}", status=steps[i % 4],
                           signed_date=today - datetime.timedelta(days=25 * i), committed_funds=Decimal(40 + 15 * i))
            make_need(enterprise=place.enterprise, title=f"{place.division.name}技术需求{i}",
                      published_date=today - datetime.timedelta(days=20 * i))
        make_matching_list(place)
    Target.objects.create(indicator="agreements_signed", year=today.year, value=10,
                          division=Division.objects.get(code="140700"))
    return places


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"{msg.type}: {msg.text}")
            if msg.type == "error" or "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    return problems


def test_the_leaders_home_page_and_the_data_screen_draw_their_charts_under_the_csp(browser, live_server, city):
    from yiti.accounts.testing import PASSWORD

    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = watch(page)
    log_in(page, base, city.leader.username, PASSWORD)

    # the home page: every chart drawn on a canvas, its table hidden behind the toggle
    page.wait_for_selector("#leader-view")
    for name in ("county", "agreements", "matching", "trend"):
        page.wait_for_selector(f"#chart-{name} .yiti-chart canvas")
        assert page.locator(f"#chart-{name} .yiti-chart-table").is_hidden()
    page.click("#chart-county .yiti-chart-toggle")
    assert page.locator("#chart-county .yiti-chart-table").is_visible()
    assert "榆次区" in page.locator("#chart-county .yiti-chart-table").inner_text()
    page.click("#chart-county .yiti-chart-toggle")
    # another indicator: the chart and its table are redrawn from the JSON endpoint
    page.select_option("#chart-county select[name=indicator]", "funds_committed")
    page.wait_for_selector("#chart-county .yiti-chart-xlsx[href*=funds_committed]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(1500)  # the charts' entry animation
    page.screenshot(path=str(ARTIFACTS / "dashboard_leader_home.png"), full_page=True)

    # the data screen, in a window of another shape: scaled to fit, nothing cropped
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/screen/")
    page.wait_for_selector("#counters .yiti-counter")
    for chart in ("cmp-0", "cmp-1", "agreements", "matching"):
        page.wait_for_selector(f"#{chart} canvas")
    box = page.locator("#stage").bounding_box()
    assert box is not None
    assert box["x"] >= -0.5 and box["y"] >= -0.5
    assert box["x"] + box["width"] <= 1366.5 and box["y"] + box["height"] <= 768.5
    assert abs(box["width"] / box["height"] - 1920 / 1080) < 0.01
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "dashboard_screen_1366x768.png"))
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "dashboard_screen_1920x1080.png"))
    signed = page.locator("#counters [data-indicator=agreements_signed] .yiti-counter-value").inner_text()
    assert signed.startswith("10")  # agreements signed this year: 6 + 4

    assert problems == []
    context.close()


def test_a_configured_boundary_file_draws_the_county_map_with_its_approval_number(browser, live_server, city,
                                                                                 settings, tmp_path):
    import json

    from yiti.accounts.testing import PASSWORD

    def square(x: float, y: float) -> list:
        return [[[x, y], [x + 0.3, y], [x + 0.3, y + 0.3], [x, y + 0.3], [x, y]]]

    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adcode": 140702, "name": "榆次区"},
         "geometry": {"type": "Polygon", "coordinates": square(112.6, 37.6)}},
        {"type": "Feature", "properties": {"adcode": 140703, "name": "太谷区"},
         "geometry": {"type": "Polygon", "coordinates": square(112.6, 37.3)}}]}
    path = tmp_path / "counties.geojson"
    path.write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")
    settings.YITI_SCREEN_BOUNDARY_FILE = str(path)
    settings.YITI_SCREEN_BOUNDARY_APPROVAL = "晋S（2024）001号"

    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = watch(page)
    log_in(page, live_server.url, city.leader.username, PASSWORD)
    page.goto(f"{live_server.url}/screen/")
    page.wait_for_selector("#map canvas")
    assert "晋S（2024）001号" in page.locator("#map-approval").inner_text()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "dashboard_screen_map.png"))
    assert problems == []
    context.close()
