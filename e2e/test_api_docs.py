"""The API documentation (Swagger UI) in a real browser under the strict CSP: it renders every operation
from local files, and nothing is fetched from another host (issue 12, item 3)."""

from urllib.parse import urlsplit

import pytest

from e2e.conftest import ARTIFACTS, log_in
from yiti.core.registry import registries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_every_operation_from_local_files(page, live_server):
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.orgs.testing import make_org

    # given a logged-in staff user and an organisation to list
    make_org(name="太原理工大学")
    make_user("api_reader", "staff", scope="city")
    requests, violations = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "api_reader", PASSWORD)

    # when they open the API documentation
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary")

    # then every operation renders, named in Chinese, with its distinct id in the deep link
    summaries = page.locator(".opblock-summary-description").all_inner_texts()
    # the index, list and detail of each registry, a need's recommendations (matching), create and change of the
    # registries other systems write to
    writable = sum(registry.api_writable for registry in registries().values())
    assert len(summaries) == 2 + 2 * len(registries()) + 2 * writable
    assert "企业需求：新建一条" in summaries
    assert "单位列表" in summaries and "人才详情" in summaries
    assert page.locator("#operations-单位-orgs_organisation_list").count() == 1

    # and "Try it out" calls the API with the session and shows the answer
    page.click("#operations-单位-orgs_organisation_list .opblock-summary")
    page.click("#operations-单位-orgs_organisation_list .try-out__btn")
    page.click("#operations-单位-orgs_organisation_list .execute")
    page.wait_for_selector("#operations-单位-orgs_organisation_list .live-responses-table .response-col_status")
    answer = page.locator("#operations-单位-orgs_organisation_list .live-responses-table").inner_text()
    assert "200" in answer and "太原理工大学" in answer
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api_docs.png"), full_page=True)

    # and nothing came from, or points to, another host; the CSP blocked nothing
    local = urlsplit(live_server.url).netloc
    assert [url for url in requests if urlsplit(url).scheme != "data" and urlsplit(url).netloc != local] == []
    links = page.eval_on_selector_all("[src], [href]", "els => els.map(e => e.src || e.href)")
    assert [url for url in links if url and urlsplit(url).netloc not in ("", local)] == []
    assert violations == []
