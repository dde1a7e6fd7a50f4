"""The recommendation panels on record pages, the 采纳 / 不合适 buttons and the reasons page, for each role."""

import pytest
from django.urls import reverse

from yiti.matching import recommend as rec
from yiti.matching import store
from yiti.matching.choices import ItemState, ListKind, ListStatus, Verdict
from yiti.matching.models import Feedback, MatchingItem, MatchingList
from yiti.needs.testing import make_need
from yiti.security.tests.test_csp import inline_problems

from .recommend_world import city_fixture  # noqa: F401  (the `city` fixture)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def panel_url(record, kind, **params):
    name = {"Need": "needs:need", "Result": "results:result", "Talent": "talents:talent",
            "Organisation": "orgs:organisation", "ExpertRole": "experts:expertrole"}[type(record).__name__]
    query = "&".join(f"{k}={v}" for k, v in {"kind": kind, **params}.items())
    return f"{reverse(name + '_recommendations', args=[record.pk])}?{query}"


def feedback_url(record):
    return reverse("needs:need_recommendation_feedback", args=[record.pk])


def test_the_need_page_holds_three_placeholders_loaded_by_htmx(client, city):
    client.force_login(city["city_staff"])
    html = client.get(city["need"].get_absolute_url()).content.decode()
    for kind, title in [("experts", "推荐专家"), ("results", "推荐成果"), ("orgs", "推荐单位（高校/院所/平台）")]:
        assert f'hx-get="{panel_url(city["need"], kind)}" hx-trigger="load"' in html
        assert title in html
    assert "王铸" not in html  # the page itself does not wait for the index
    assert inline_problems(html) == []


@pytest.mark.parametrize("record, titles", [
    ("result", ["推荐企业", "匹配需求"]), ("expert", ["可对接需求"]), ("role", ["可对接需求"]),
    ("uni_a", ["匹配需求"])])
def test_other_pages_have_their_panels(client, city, record, titles):
    client.force_login(city["city_staff"])
    obj = city[record]
    html = client.get(obj.get_absolute_url()).content.decode()
    for title in titles:
        assert title in html
    assert 'hx-trigger="load"' in html


def test_an_enterprise_page_has_no_recommendations(client, city):
    client.force_login(city["city_staff"])
    assert 'id="recommendations"' not in client.get(city["enterprise"].get_absolute_url()).content.decode()


def test_a_panel_lists_candidates_with_score_bar_reasons_and_links(client, city):
    client.force_login(city["city_staff"])
    response = client.get(panel_url(city["need"], "experts"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment
    assert f'href="{city["expert"].get_absolute_url()}"' in html
    assert "<progress" in html and "共同关键词：" in html
    assert "采纳" in html and "不合适" in html
    assert "13912345678" not in html  # never personal data
    assert inline_problems(html) == []
    # without htmx the same address is a page of its own
    page = client.get(panel_url(city["need"], "experts")).content.decode()
    assert "<html" in page and "王铸" in page


def test_each_role_gets_the_panels_of_what_it_may_see(client, city):
    for who, record, kind in [
            ("staff_a", "need", "experts"), ("enterprise_contact", "need", "results"), ("leader", "need", "orgs"),
            ("city_staff", "result", "enterprises"), ("city_staff", "result", "needs"), ("staff_a", "expert", "needs"),
            ("staff_a", "role", "needs"), ("university_contact", "uni_a", "needs")]:
        client.force_login(city[who])
        response = client.get(panel_url(city[record], kind), **HTMX)
        assert response.status_code == 200, (who, record, kind, response.content.decode()[:500])
        html = response.content.decode()
        assert "alert" not in html and "list-group-item px-0" in html, (who, record, kind)


def test_a_leader_reads_but_gives_no_verdicts(client, city):
    client.force_login(city["leader"])
    html = client.get(panel_url(city["need"], "experts"), **HTMX).content.decode()
    assert "王铸" in html and "采纳" not in html
    response = client.post(feedback_url(city["need"]), {"kind": "experts", "candidate": f"talent:{city['expert'].pk}",
                                                         "verdict": "rejected", "reason": "level"})
    assert response.status_code == 403 and not Feedback.objects.exists()


def test_a_record_the_user_may_not_see_is_a_404(client, city):
    for who in ["staff_a", "enterprise_contact", "university_contact"]:
        client.force_login(city[who])
        assert client.get(panel_url(city["need_b"], "experts"), **HTMX).status_code == 404, who
        assert client.get(panel_url(city["enterprise_b"], "needs"), **HTMX).status_code == 404, who
        response = client.post(feedback_url(city["need_b"]), {"kind": "experts", "verdict": "rejected",
                                                              "reason": "level", "candidate": f"talent:{city['expert'].pk}"})
        assert response.status_code == 404 and not Feedback.objects.exists(), who


def test_filters_in_the_panel(client, city):
    client.force_login(city["city_staff"])
    html = client.get(panel_url(city["need"], "experts", county=city["a"].pk), **HTMX).content.decode()
    assert "王铸" in html and "李冶" not in html
    html = client.get(panel_url(city["need"], "experts", capacity="on"), **HTMX).content.decode()
    assert "王铸" in html and "李冶" not in html
    assert 'name="trl_min"' in client.get(panel_url(city["need"], "results"), **HTMX).content.decode()
    response = client.get(panel_url(city["need"], "results", trl_min="99"), **HTMX)
    assert response.status_code == 400 and "技术就绪度不低于：" in response.content.decode()
    response = client.get(panel_url(city["need"], "colours"), **HTMX)
    assert response.status_code == 400 and "未知的推荐类型" in response.content.decode()


def test_more_on_request(client, city):
    client.force_login(city["city_staff"])
    html = client.get(panel_url(city["need"], "experts", top=1), **HTMX).content.decode()
    assert html.count('class="list-group-item px-0"') == 1
    assert "top=11" in html  # the 更多 button asks for ten more


def test_a_need_too_short_says_so_in_the_panel(client, city):
    short = make_need(enterprise=city["enterprise"], title="铸件")
    client.force_login(city["city_staff"])
    response = client.get(panel_url(short, "experts"), **HTMX)
    assert response.status_code == 200 and "文字太少" in response.content.decode()


def test_no_index_yet_says_it_is_being_built_and_queues_it(client, city, monkeypatch):
    queued = []
    monkeypatch.setattr(store, "current", lambda: None)
    monkeypatch.setattr(store, "queue_build", lambda: queued.append(1), raising=False)
    client.force_login(city["city_staff"])
    response = client.get(panel_url(city["need"], "experts"), **HTMX)
    assert response.status_code == 200 and "正在建立索引" in response.content.decode()
    assert queued == [1]


def test_not_suitable_removes_the_candidate_for_good(client, city):
    client.force_login(city["city_staff"])
    candidate = f"talent:{city['expert'].pk}"
    response = client.post(feedback_url(city["need"]), {"kind": "experts", "candidate": candidate,
                                                        "verdict": "rejected"}, **HTMX)
    assert response.status_code == 400 and "请选择推荐不合适的原因" in response.content.decode()
    response = client.post(feedback_url(city["need"]), {"kind": "experts", "candidate": candidate,
                                                        "verdict": "rejected", "reason": "other"}, **HTMX)
    assert response.status_code == 400 and "请写明理由" in response.content.decode()
    response = client.post(feedback_url(city["need"]), {"kind": "experts", "candidate": candidate,
                                                        "verdict": "rejected", "reason": "distance"}, **HTMX)
    assert response.status_code == 200 and "王铸" not in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.candidate, feedback.verdict, feedback.reason, feedback.division) == (
        f"need:{city['need'].pk}", candidate, Verdict.REJECTED, "distance", city["a"])
    assert "王铸" not in client.get(panel_url(city["need"], "experts"), **HTMX).content.decode()


def test_a_candidate_outside_the_scope_cannot_be_judged(client, city):
    client.force_login(city["staff_a"])
    response = client.post(feedback_url(city["need"]), {"kind": "orgs", "candidate": f"need:{city['need_b'].pk}",
                                                        "verdict": "accepted"}, **HTMX)
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_adopt_puts_the_candidate_on_a_list_under_review(client, city):
    matching_list = MatchingList.objects.create(title="榆次区四需对接清单", kind=ListKind.NEEDS, division=city["a"],
                                                status=ListStatus.REVIEW, created_by=city["staff_a"])
    client.force_login(city["staff_a"])
    html = client.get(panel_url(city["need"], "orgs"), **HTMX).content.decode()
    assert "榆次区四需对接清单" in html
    candidate = f"org:{city['uni_a'].pk}"
    response = client.post(feedback_url(city["need"]), {"kind": "orgs", "candidate": candidate, "verdict": "accepted",
                                                        "matching_list": matching_list.pk}, **HTMX)
    assert response.status_code == 200 and "已采纳" in response.content.decode()
    item = MatchingItem.objects.get()
    assert (item.matching_list, item.source, item.candidate, item.need, item.enterprise, item.addressee, item.state) == (
        matching_list, f"need:{city['need'].pk}", candidate, city["need"], city["enterprise"], city["uni_a"],
        ItemState.ACCEPTED)
    assert 0 < item.score <= 1 and item.reasons
    # another officer's list is not offered, nor a published one
    other = MatchingList.objects.create(title="他人清单", kind=ListKind.NEEDS, division=city["a"],
                                        status=ListStatus.REVIEW, created_by=city["city_staff"])
    response = client.post(feedback_url(city["need"]), {"kind": "orgs", "candidate": candidate, "verdict": "accepted",
                                                        "matching_list": other.pk}, **HTMX)
    assert response.status_code == 400 and MatchingItem.objects.count() == 1


def test_the_reasons_page_counts_by_reason_kind_and_county(client, city):
    from yiti.matching.feedback import give_feedback

    give_feedback(city["need"], user=city["staff_a"], candidate=f"talent:{city['expert'].pk}", verdict="rejected",
                  reason="distance")
    give_feedback(city["need"], user=city["staff_a"], candidate=f"result:{city['result'].pk}", verdict="rejected",
                  reason="level")
    give_feedback(city["need_b"], user=city["staff_b"], candidate=f"talent:{city['other'].pk}", verdict="rejected",
                  reason="distance")
    give_feedback(city["need"], user=city["staff_a"], candidate=f"org:{city['uni_a'].pk}", verdict="accepted")
    url = reverse("matching:reasons")
    client.force_login(city["city_staff"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["by_reason"][2] == ("距离太远", 2)
    by_county = {row["label"]: row["total"] for row in response.context["by_county"]}
    assert by_county == {"榆次区": 2, "太谷区": 1}
    by_kind = {row["label"]: row["total"] for row in response.context["by_kind"]}
    assert by_kind == {"人才": 2, "科研成果": 1}
    assert "共 4 条意见：采纳 1 条，不合适 3 条。" in response.content.decode()
    client.force_login(city["staff_a"])  # a county officer counts their county's
    assert {row["label"] for row in client.get(url).context["by_county"]} == {"榆次区"}
    client.force_login(city["enterprise_contact"])
    assert client.get(url).status_code == 403


def test_the_header_has_the_search_box(client, city):
    client.force_login(city["staff_a"])
    html = client.get("/").content.decode()
    assert f'action="{reverse("matching:search")}"' in html and 'name="q"' in html


def test_recommend_is_not_called_for_the_page_itself(client, city, monkeypatch):
    def boom(*a, **kw):
        raise AssertionError("the detail page must not wait for recommendations")

    monkeypatch.setattr(rec, "recommend", boom)
    client.force_login(city["city_staff"])
    assert client.get(city["need"].get_absolute_url()).status_code == 200
