"""全库检索 (/matching/search/): ranked by the engine, facets, highlighting, only what the user may see."""

import pytest
from django.urls import reverse

from yiti.matching import search as engine_search
from yiti.matching import store
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise
from yiti.security.tests.test_csp import inline_problems

from .recommend_world import city_fixture  # noqa: F401  (the `city` fixture)

pytestmark = pytest.mark.django_db
URL = reverse("matching:search")


def titles(page):
    return [str(h.record) for h in page.hits]


def test_more_words_and_rarer_words_rank_first(city):
    enterprise = city["enterprise"]
    make_need(enterprise=enterprise, title="智能温室大棚灌溉控制", description="水肥一体化")
    make_need(enterprise=enterprise, title="温室大棚保温材料", description="冬季保温")
    make_need(enterprise=enterprise, title="温室大棚智能灌溉与补光系统", description="灌溉 补光 温室")
    for n in range(6):
        make_need(enterprise=enterprise, title=f"温室大棚建设项目{n}", description="钢架结构")
    store.build()
    page = engine_search.search(city["city_staff"], "温室大棚 灌溉 补光")
    ranked = titles(page)
    # all three words before two, two before one
    assert ranked[0] == "温室大棚智能灌溉与补光系统"
    assert ranked[1] == "智能温室大棚灌溉控制"
    assert ranked.index("温室大棚保温材料") > 1
    # a rare word outweighs a common one: 补光 (one record) beats 温室大棚 (nine)
    rare = titles(engine_search.search(city["city_staff"], "补光 钢架"))
    assert rare[0] == "温室大棚智能灌溉与补光系统"


def test_terms_are_highlighted_and_the_page_is_escaped(client, city):
    make_need(enterprise=city["enterprise"], title="<script>球墨铸铁</script>检测", description="球墨铸铁件无损检测")
    store.build()
    client.force_login(city["city_staff"])
    html = client.get(URL, {"q": "球墨铸铁"}).content.decode()
    assert "<mark>球墨铸铁</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert inline_problems(html) == []


def test_facets_count_visible_hits_and_narrow_the_list(client, city):
    client.force_login(city["city_staff"])
    response = client.get(URL, {"q": "球墨铸铁 热处理"})
    facets = response.context["result"].facets
    types = {label: n for _v, label, n in facets["type"]}
    assert types["企业需求"] == 2 and types["科研成果"] >= 1 and types["人才"] >= 1
    counties = {label: n for _v, label, n in facets["county"]}
    assert counties["榆次区"] >= 2 and counties["太谷区"] >= 1
    assert "机械工程" in {label for _v, label, _n in facets["discipline"]}
    narrowed = client.get(URL, {"q": "球墨铸铁 热处理", "type": "need"}).context["result"]
    assert {h.kind for h in narrowed.hits} == {"need"} and narrowed.total == 2
    by_county = client.get(URL, {"q": "球墨铸铁 热处理", "county": city["b"].pk}).context["result"]
    assert by_county.hits and all(h.county == city["b"] for h in by_county.hits)
    # the facet links keep the query and set the facet
    links = response.context["facet_links"][0]["links"]
    assert any("type=need" in link["query"] and "q=" in link["query"] for link in links)


def test_only_records_the_user_may_see(client, city):
    client.force_login(city["staff_a"])
    result = client.get(URL, {"q": "球墨铸铁 热处理"}).context["result"]
    kinds = {h.key for h in result.hits}
    assert f"need:{city['need'].pk}" in kinds and f"need:{city['need_b'].pk}" not in kinds
    for hit in result.hits:
        assert type(hit.record).objects.restrict(city["staff_a"]).filter(pk=hit.record.pk).exists()
    counts = {label: n for _v, label, n in result.facets["type"]}
    assert counts["企业需求"] == 1  # facets count only what is visible
    client.force_login(city["enterprise_contact"])
    html = client.get(URL, {"q": "球墨铸铁"}).content.decode()
    assert "太谷球墨铸铁制品厂" not in html


def test_the_search_resolves_hits_in_bulk(client, city, django_assert_max_num_queries, settings):
    settings.YITI_MATCHING_REFRESH_SECONDS = 60  # as in production: the index looks for changes every few seconds
    enterprise = make_enterprise(division=city["a"])
    for n in range(30):
        make_need(enterprise=enterprise, title=f"球墨铸铁热处理需求{n}")
    store.build()
    client.force_login(city["city_staff"])
    client.get(URL, {"q": "球墨铸铁"})  # warm the session and the menu
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"q": "球墨铸铁"})
    assert response.context["result"].total > 30


def test_empty_long_and_odd_queries(client, city):
    client.force_login(city["city_staff"])
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"q": "   "}).status_code == 200
    response = client.get(URL, {"q": "铸" * 500})
    assert response.status_code == 200 and "已截为 200 个字" in response.content.decode()
    for params in [{"q": "球墨铸铁", "page": "x"}, {"q": "球墨铸铁", "page": "99999"}, {"q": "球墨铸铁", "county": "abc"},
                   {"q": "球墨铸铁", "type": "bogus"}, {"q": "\x00球墨"}]:
        assert client.get(URL, params).status_code == 200, params
    assert "没有与这些词相符" in client.get(URL, {"q": "量子纠缠"}).content.decode()


def test_no_index_yet(client, city, monkeypatch):
    monkeypatch.setattr(store, "current", lambda: None)
    client.force_login(city["city_staff"])
    assert "正在建立索引" in client.get(URL, {"q": "球墨铸铁"}).content.decode()
