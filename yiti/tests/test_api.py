"""The REST API's paging, parameter bounds, operation ids, index and documentation page."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

from yiti.core.api import MAX_PAGE, MAX_PER_PAGE
from yiti.core.paging import DeepPagingMixin
from yiti.core.registry import registries
from yiti.orgs.models import Organisation
from yiti.orgs.testing import make_org

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def staff(admin_client):
    make_org(name="甲单位")
    make_org(name="乙单位")
    return admin_client


# ---- paging (item 29) -----------------------------------------------------------------------------


def test_deep_slice_past_the_end_is_empty():
    # given three records; when a deep page (offset ≥ 1,000) is sliced, then it is empty, not an error
    for n in range(3):
        make_org(name=f"单位{n}")
    qs = Organisation.objects.order_by("pk")
    assert isinstance(qs, DeepPagingMixin)
    assert list(qs[1000:1100]) == []
    assert list(qs[5000:5001]) == []


def test_api_page_past_the_end_is_an_empty_page(staff):
    response = staff.get("/api/orgs/?page=11&per_page=100")
    assert response.status_code == 200
    assert response.json() == {"count": 2, "page": 11, "per_page": 100, "results": []}
    assert staff.get(f"/api/orgs/?page={MAX_PAGE}&per_page={MAX_PER_PAGE}").json()["results"] == []


@pytest.mark.parametrize(
    ("query", "param", "reason"),
    [
        ("page=999999999", "page", f"不能大于 {MAX_PAGE}"),
        ("page=0", "page", "不能小于 1"),
        ("page=-1", "page", "不能小于 1"),
        ("page=abc", "page", "须为整数"),
        ("per_page=0", "per_page", "不能小于 1"),
        ("per_page=-1", "per_page", "不能小于 1"),
        ("per_page=1000", "per_page", f"不能大于 {MAX_PER_PAGE}"),
        ("per_page=1e3", "per_page", "须为整数"),
        ("q=" + "技" * 201, "q", "不能超过 200 个字符"),
        ("q=%00", "q", "控制字符"),
    ],
)
def test_out_of_range_parameters_are_refused_in_chinese(staff, query, param, reason):
    response = staff.get(f"/api/orgs/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert [e["param"] for e in body["errors"]] == [param]
    assert reason in body["detail"] and CJK.search(body["detail"])


def test_detail_id_beyond_any_record_is_refused_not_a_500(staff):
    assert staff.get("/api/orgs/99999999999999999999999").status_code == 400
    response = staff.get("/api/orgs/9223372036854775807")
    assert response.status_code == 404 and CJK.search(response.json()["detail"])


def test_anonymous_caller_is_told_in_chinese(client):
    response = client.get("/api/orgs/")
    detail = response.json()["detail"]
    assert response.status_code == 401 and "先登录平台" in detail and "API 密钥" in detail


# ---- schema ----------------------------------------------------------------------------------------


def operations(schema):
    return [(path, op) for path, item in schema["paths"].items() for op in item.values()]


def test_every_operation_has_its_own_operation_id(client):
    schema = client.get("/api/openapi.json").json()
    ids = [op["operationId"] for _, op in operations(schema)]
    assert len(ids) == len(set(ids)) == sum(len(item) for item in schema["paths"].values())  # each its own id
    assert "orgs_organisation_list" in ids and "talents_talent_detail" in ids


def test_paging_bounds_and_error_responses_are_in_the_schema(client):
    schema = client.get("/api/openapi.json").json()
    lists = [op for path, op in operations(schema) if op["operationId"].endswith("_list")]
    assert len(lists) == len(registries())  # one list per registry (supervision tasks the eighth)
    for op in lists:
        params = {p["name"]: p["schema"] for p in op["parameters"]}
        assert (params["page"]["minimum"], params["page"]["maximum"]) == (1, MAX_PAGE)
        assert (params["per_page"]["minimum"], params["per_page"]["maximum"]) == (1, MAX_PER_PAGE)
        assert params["q"]["maxLength"] == 200
        assert {"200", "400", "401", "403", "404"} <= set(op["responses"])


# ---- index and documentation (item 3) ----------------------------------------------------------------


def test_api_root_is_an_index_of_docs_schema_and_endpoints(client):
    response = client.get("/api/")
    assert response.status_code == 200
    index = response.json()
    assert index["docs"] == "/api/docs" and index["schema_url"] == "/api/openapi.json"
    lists = {e["list"] for e in index["endpoints"]}
    assert {"/api/orgs/", "/api/talents/", "/api/agreements/", "/api/supervision/"} <= lists
    assert len(lists) == len(registries())
    for endpoint in index["endpoints"]:
        assert CJK.search(endpoint["name"])
        assert client.get(endpoint["list"]).status_code == 401  # a real endpoint, behind the login


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.inline_scripts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href", "action", "data-openapi-url") and v]
        if tag == "script" and "src" not in attrs:
            self.inline_scripts += 1


def test_no_page_of_the_api_docs_references_an_external_host(client):
    html = client.get("/api/docs").content.decode()
    refs = References()
    refs.feed(html)
    assert refs.inline_scripts == 0
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in refs.urls
    assert "/static/vendor/swagger-ui/swagger-ui.css" in refs.urls
    for url in refs.urls:
        assert not urlsplit(url).netloc and not url.startswith("//"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"
    # the other pages of the API docs: the schema, the index and our starter script name no other host
    local_script = open(finders.find("yiti/api-docs.js"), encoding="utf-8").read()
    for text in [client.get("/api/openapi.json").content.decode(), client.get("/api/").content.decode(),
                 local_script]:
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text)
    assert "validatorUrl: null" in local_script  # Swagger's default validator badge is an image from swagger.io
