"""GET /api/needs/{id}/recommendations: fields, scope (404), bad kind/top (422, Chinese), login, no index."""

import pytest

from yiti.matching import store
from yiti.needs.testing import make_need

from .recommend_world import city_fixture  # noqa: F401  (the `city` fixture)

pytestmark = pytest.mark.django_db


def url(need, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/needs/{need.pk}/recommendations" + (f"?{query}" if query else "")


def test_recommended_experts_with_reasons(client, city):
    client.force_login(city["city_staff"])
    response = client.get(url(city["need"], kind="experts", top=2))
    assert response.status_code == 200
    rows = response.json()
    assert 1 <= len(rows) <= 2
    first = rows[0]
    assert first["id"] == city["expert"].pk and first["key"] == f"talent:{city['expert'].pk}"
    assert first["name"] == "王铸" and first["organisation"] == "晋中学院"
    assert 0 < first["score"] <= 1 and first["reasons"][0].startswith("共同关键词：")
    assert "13912345678" not in response.content.decode()


def test_results_and_orgs(client, city):
    client.force_login(city["city_staff"])
    for kind, expected in [("results", "result"), ("orgs", "org")]:
        rows = client.get(url(city["need"], kind=kind)).json()
        assert rows and all(r["key"].startswith(expected + ":") for r in rows), kind


def test_a_need_the_user_may_not_see_is_a_404(client, city):
    for who in ["staff_a", "enterprise_contact", "university_contact"]:
        client.force_login(city[who])
        response = client.get(url(city["need_b"]))
        assert response.status_code == 404 and "数据范围" in response.json()["detail"], who
        assert client.get("/api/needs/999999/recommendations").status_code == 404


def test_bad_kind_or_top_is_a_400_in_chinese_like_every_route(client, city):
    # The schema declares kind as an enum and top as 1–100, so a refusal is the API's parameter error (400).
    client.force_login(city["city_staff"])
    for params, words in [({"kind": "colours"}, "推荐类型（kind）"), ({"kind": "enterprises"}, "推荐类型（kind）"),
                          ({"top": "0"}, "推荐条数（top）不能小于 1"), ({"top": "101"}, "推荐条数（top）不能大于 100"),
                          ({"top": "ten"}, "推荐条数（top）")]:
        response = client.get(url(city["need"], **params))
        assert response.status_code == 400, params
        detail = response.json()["detail"]
        assert words in detail, detail


def test_too_short_is_a_422_and_no_index_a_503(client, city, monkeypatch):
    client.force_login(city["city_staff"])
    short = make_need(enterprise=city["enterprise"], title="铸件")
    response = client.get(url(short))
    assert response.status_code == 422 and "文字太少" in response.json()["detail"]
    monkeypatch.setattr(store, "current", lambda: None)
    response = client.get(url(city["need"]))
    assert response.status_code == 503 and "正在建立匹配索引" in response.json()["detail"]


def test_login_and_role(client, city):
    assert client.get(url(city["need"])).status_code == 401
    from yiti.accounts.testing import make_user

    client.force_login(make_user("sys", "sysadmin"))
    assert client.get(url(city["need"])).status_code == 403


def test_the_route_is_in_the_schema(client, city):
    client.force_login(city["city_staff"])
    schema = client.get("/api/openapi.json").json()
    op = schema["paths"]["/api/needs/{pk}/recommendations"]["get"]
    assert op["operationId"] == "needs_need_recommendations"
    assert {"200", "401", "403", "404", "422"} <= set(op["responses"])
