"""In a real browser: log in, create an enterprise need, find it with the list filter, open it."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_find_and_open_a_need(page, live_server, django_user_model):
    from yiti.needs.testing import make_need
    from yiti.orgs.testing import make_enterprise

    # given an office user and an enterprise
    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    enterprise = make_enterprise(name="太谷精工铸业有限公司")
    make_need(title="冷库保鲜技术需求")  # a need the filter must hide

    # when they log in
    log_in(page, live_server.url, "office", "Zs-office-2026")

    # and create a need through the form
    page.goto(f"{live_server.url}/needs/add/")
    page.fill("#id_enterprise", enterprise.name)
    page.select_option("#id_need_type", "technology")
    page.fill("#id_title", "可锻铸铁管件退火能耗降低")
    page.fill("#id_description", "现有退火炉单位能耗偏高，希望引入蓄热式燃烧与智能温控。")
    page.fill("#id_keywords", "退火、蓄热式燃烧、智能温控")
    page.fill("#id_budget", "80")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=可锻铸铁管件退火能耗降低")
    assert "/needs/" in page.url

    # then the list filter finds it
    page.goto(f"{live_server.url}/needs/")
    page.fill("#id_q", "退火能耗")
    assert page.locator("#results tbody tr").count() == 2
    page.click("form.yiti-filter button[type=submit]")
    page.wait_for_url("**/needs/?*q=*")  # the filter is in the address bar, so the result can be bookmarked
    page.locator("#results tbody tr", has_text="冷库保鲜").wait_for(state="detached")
    assert page.locator("#results tbody tr").count() == 1
    link = page.locator("#results a", has_text="可锻铸铁管件退火能耗降低")

    # and its detail page shows the enterprise and the change history
    link.click()
    page.wait_for_selector("h2.page-title")
    assert page.locator("h2.page-title").inner_text().strip() == "可锻铸铁管件退火能耗降低"
    body = page.locator("body").inner_text()
    assert enterprise.name in body and "变更记录" in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "need_detail.png"), full_page=True)
    assert (ARTIFACTS / "need_detail.png").stat().st_size > 10_000
