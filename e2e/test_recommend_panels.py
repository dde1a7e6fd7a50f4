"""A need's recommendation panels in a real browser under the strict CSP: they load by htmx after the page,
filter in place, and 不合适 with a reason removes the candidate without leaving the page (issue 14 §2)."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_panels_load_filter_and_take_a_verdict(page, live_server):
    from playwright.sync_api import expect

    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.core.models import Division
    from yiti.matching import store
    from yiti.matching.models import Feedback
    from yiti.needs.testing import make_need
    from yiti.orgs.testing import make_enterprise, make_org
    from yiti.talents.testing import make_talent

    # given a need, two consenting experts in two counties and a city-wide officer
    a, b = Division.objects.get(code="140702"), Division.objects.get(code="140703")
    enterprise = make_enterprise(name="晋中精工铸造有限公司", division=a)
    need = make_need(enterprise=enterprise, title="球墨铸铁件热处理工艺优化", description="降低铸件气孔缺陷",
                     keywords="球墨铸铁;热处理")
    make_talent(name="王铸", division=a, organisation=make_org(name="晋中学院", division=a),
                expertise="球墨铸铁;热处理", consent_to_recommend=True)
    make_talent(name="李冶", division=b, organisation=make_org(name="太原理工大学晋中分院", division=b),
                expertise="球墨铸铁;铸件气孔", consent_to_recommend=True)
    store.build()
    make_user("officer", "staff", scope="city")
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "officer", PASSWORD)

    # when the officer opens the need, the panels fill in after the page
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    experts = page.locator("#rec-experts")
    experts.locator(".yiti-rec-lines").wait_for()
    assert "王铸" in experts.inner_text() and "李冶" in experts.inner_text()
    assert "共同关键词" in experts.inner_text()

    # and filtering by county narrows the panel in place
    experts.locator("select[name=county]").select_option(str(a.pk))
    expect(experts).not_to_contain_text("李冶")
    assert "王铸" in experts.inner_text()
    # the swapped-in filter form answers a change only once htmx has processed it (under load that comes later)
    page.wait_for_function("() => { const f = document.querySelector('#rec-experts form');"
                           " return f && f['htmx-internal-data'] !== undefined; }")

    # and 不合适 with a reason removes the candidate for good
    experts.locator("select[name=county]").select_option("")
    expect(experts).to_contain_text("李冶")
    line = experts.locator("li.list-group-item", has_text="李冶")
    line.locator("summary").click()
    line.locator("select[name=reason]").select_option("distance")
    line.locator("button.btn-outline-danger").click()
    expect(experts).not_to_contain_text("李冶")
    assert Feedback.objects.get().reason == "distance"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "recommend_panels.png"), full_page=True)
    page.reload()
    experts.locator(".yiti-rec-lines").wait_for()
    assert "李冶" not in experts.inner_text()
    assert violations == []
