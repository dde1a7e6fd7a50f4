"""Matching lists, the pages: who reaches which page, 我的对接 answered only by the addressees, the run
through its job page, review and publish by form, follow-up to the agreement, the funnel's links, the export
and the menu."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from yiti.agreements.models import Agreement
from yiti.matching import lists
from yiti.matching.choices import Answer, ItemState, ListStatus, Stage
from yiti.matching.documents import key
from yiti.matching.models import MatchingItem, MatchingList, MatchingRun
from yiti.matching.testing import fake_candidates, make_matching_list, make_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(monkeypatch):
    monkeypatch.setattr(lists, "candidates", fake_candidates)
    return make_places()


def text(response) -> str:
    return response.content.decode()


# ---- the run -----------------------------------------------------------------------------------------------

def test_a_run_started_on_its_page_builds_a_list_for_review(client, places):
    a = places.a
    client.force_login(a.officer)
    page = client.get(reverse("matching:list_new"))
    assert page.status_code == 200
    assert [c[1] for c in page.context["form"].fields["division"].choices] == [a.division.name]
    response = client.post(reverse("matching:list_new"), {"kind": "needs", "division": a.division.pk,
                                                          "statuses": ["published"]})
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("matching:run", args=[run.pk])
    page = client.get(response["Location"])
    assert run.matching_list.status == ListStatus.REVIEW and "审核清单" in text(page)
    detail = client.get(reverse("matching:list_detail", args=[run.matching_list.pk]))
    assert a.expert.name in text(detail) and "共同关键词" in text(detail)


def test_a_run_over_zero_records_shows_a_chinese_message_and_keeps_no_list(client, places):
    client.force_login(places.a.officer)
    response = client.post(reverse("matching:list_new"), {"kind": "needs", "division": places.a.division.pk,
                                                          "need_types": ["platform"]})
    assert response.status_code == 200
    assert "该范围内没有符合条件的记录" in text(response)
    assert not MatchingList.objects.exists()


def test_a_county_officer_cannot_run_over_another_county(client, places):
    client.force_login(places.a.officer)
    response = client.post(reverse("matching:list_new"), {"kind": "needs", "division": places.b.division.pk})
    assert response.status_code == 200 and not MatchingRun.objects.exists()
    assert "division" in response.context["form"].errors


def test_contacts_and_leaders_cannot_start_runs(client, places):
    for user in (places.leader, places.a.university_contact):
        client.force_login(user)
        assert client.get(reverse("matching:list_new")).status_code == 403
        assert client.post(reverse("matching:list_new"), {"kind": "needs"}).status_code == 403


def test_another_users_run_is_a_404(client, places):
    run = lists.start_run(places.a.officer, lists.Scope(kind="needs", division_id=places.a.division.pk))
    client.force_login(places.city_staff)
    assert client.get(reverse("matching:run", args=[run.pk])).status_code == 404


# ---- review and publish ------------------------------------------------------------------------------------------

@pytest.fixture
def review_list(places):
    run = lists.start_run(places.a.officer, lists.Scope(kind="needs", division_id=places.a.division.pk))
    lists.build(run)
    return MatchingList.objects.get()


def test_review_and_publish_through_the_page(client, places, review_list):
    a = places.a
    client.force_login(a.officer)
    first, second = review_list.items.order_by("position")
    client.post(reverse("matching:item_review", args=[first.pk]), {"action": "accept"})
    response = client.post(reverse("matching:item_review", args=[second.pk]), {"action": "reject"}, follow=True)
    assert "请选择不合适的原因" in text(response)  # no reason: refused, in Chinese
    client.post(reverse("matching:item_review", args=[second.pk]), {"action": "reject", "reason": "level"})
    client.post(reverse("matching:item_review", args=[second.pk]), {"action": "up"})
    assert list(review_list.items.order_by("position")) == [second, first]
    response = client.post(reverse("matching:list_publish", args=[review_list.pk]), {"officer": a.officer.pk},
                           follow=True)
    assert "已向双方推送 1 条对接项" in text(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.published_at and first.stage == Stage.PUSHED and first.officer == a.officer
    assert second.state == ItemState.REJECTED and second.published_at is None


def test_add_a_candidate_by_hand_through_the_page(client, places, review_list):
    a = places.a
    client.force_login(a.officer)
    response = client.post(reverse("matching:list_add", args=[review_list.pk]),
                           {"record": a.need.title, "expert": "", "organisation": ""}, follow=True)
    assert "二选一" in text(response)
    before = review_list.items.count()
    # an organisation already on the list for this need: refused as a duplicate
    response = client.post(reverse("matching:list_add", args=[review_list.pk]),
                           {"record": a.need.title, "organisation": a.university.name}, follow=True)
    assert "已在清单中" in text(response) and review_list.items.count() == before
    # another county's expert is not among the officer's choices
    response = client.post(reverse("matching:list_add", args=[review_list.pk]),
                           {"record": a.need.title, "expert": places.b.expert.name}, follow=True)
    assert review_list.items.count() == before


def test_adopt_puts_a_recommendation_on_a_list_and_returns_to_the_record(client, places):
    a = places.a
    client.force_login(a.officer)
    response = client.post(reverse("matching:list_adopt"), {"source": key(a.need), "candidate": key(a.expert),
                                                             "next": f"/needs/{a.need.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/needs/{a.need.pk}/"
    assert MatchingItem.objects.get().candidate == key(a.expert)
    response = client.post(reverse("matching:list_adopt"), {"source": key(places.b.need), "candidate": key(a.expert),
                                                            "next": "//evil.example/"}, follow=True)
    assert "记录不存在" in text(response) and MatchingItem.objects.count() == 1


def test_lists_of_another_county_are_404_and_leaders_only_read(client, places, review_list):
    item = review_list.items.first()
    client.force_login(places.b.officer)
    for url in (reverse("matching:list_detail", args=[review_list.pk]),
                reverse("matching:list_export", args=[review_list.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("matching:item_review", args=[item.pk]), {"action": "accept"}).status_code == 404
    assert client.post(reverse("matching:list_publish", args=[review_list.pk])).status_code == 404
    client.force_login(places.leader)
    page = client.get(reverse("matching:list_detail", args=[review_list.pk]))
    assert page.status_code == 200 and 'action="/matching/items/' not in text(page)
    assert client.post(reverse("matching:item_review", args=[item.pk]), {"action": "accept"}).status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.PROPOSED
    client.force_login(places.a.university_contact)
    assert client.get(reverse("matching:lists")).status_code == 403
    assert client.get(reverse("matching:list_detail", args=[review_list.pk])).status_code in (403, 404)


# ---- 我的对接 ----------------------------------------------------------------------------------------------------

def test_my_matching_shows_the_items_addressed_to_the_contacts_organisation(client, places):
    item_a = make_matching_list(places.a)
    make_matching_list(places.b)
    unpublished = make_matching_list(places.a, published=False)
    client.force_login(places.a.university_contact)
    page = text(client.get(reverse("matching:mine")))
    assert places.a.need.title in page and places.b.need.title not in page
    assert f'id="item-{item_a.pk}"' in page and f'id="item-{unpublished.pk}"' not in page
    client.force_login(places.a.enterprise_contact)
    assert f'id="item-{item_a.pk}"' in text(client.get(reverse("matching:mine")))


def test_only_the_addressee_answers_and_others_get_a_chinese_404(client, places):
    item = make_matching_list(places.a)
    url = reverse("matching:item_answer", args=[item.pk])
    client.force_login(places.b.university_contact)
    response = client.post(url, {"answer": "interested"})
    assert response.status_code == 404 and "不存在" in text(response)
    client.force_login(places.a.officer)
    assert client.post(url, {"answer": "interested"}).status_code == 404
    item.refresh_from_db()
    assert item.addressee_answer == ""
    client.force_login(places.a.university_contact)
    response = client.post(url, {"answer": "declined", "note": ""}, follow=True)
    assert "请说明无意向的原因" in text(response)
    client.post(url, {"answer": "interested"})
    item.refresh_from_db()
    assert item.addressee_answer == Answer.INTERESTED


def test_my_matching_is_for_contacts(client, places):
    client.force_login(places.a.officer)
    response = client.get(reverse("matching:mine"))
    assert response.status_code == 403


# ---- follow-up -----------------------------------------------------------------------------------------------------

def test_follow_up_from_contact_to_agreement(client, places):
    a = places.a
    item = make_matching_list(a)
    client.force_login(a.officer)
    url = reverse("matching:item_detail", args=[item.pk])
    assert "登记联系" in text(client.get(url))
    response = client.post(reverse("matching:item_contact", args=[item.pk]),
                           {"date": "2999-01-01", "channel": "phone", "summary": "x"}, follow=True)
    assert "不能晚于今天" in text(response)
    client.post(reverse("matching:item_contact", args=[item.pk]),
                {"date": timezone.localdate().isoformat(), "channel": "wechat", "summary": "微信沟通技术方案。"})
    page = text(client.get(url))
    assert "微信" in page and "微信沟通技术方案" in page
    client.post(reverse("matching:item_stage", args=[item.pk]), {"stage": "talking"})
    response = client.post(reverse("matching:item_sign", args=[item.pk]), {
        "title": "退火节能校企合作协议", "kind": "enterprise", "signed_date": timezone.localdate().isoformat()})
    agreement = Agreement.objects.get()
    assert response["Location"] == reverse("agreements:agreement_detail", args=[agreement.pk])
    item.refresh_from_db()
    assert item.stage == Stage.SIGNED and item.agreement == agreement
    assert set(agreement.parties.all()) == {a.enterprise, a.university} and list(agreement.needs.all()) == [a.need]


def test_the_overdue_page_lists_items_past_their_deadline(client, places):
    item = make_matching_list(places.a)
    MatchingItem.objects.filter(pk=item.pk).update(contact_deadline=timezone.localdate().replace(year=2020))
    client.force_login(places.a.officer)
    assert places.a.need.title in text(client.get(reverse("matching:overdue")))
    client.force_login(places.b.officer)
    assert places.a.need.title not in text(client.get(reverse("matching:overdue")))


# ---- funnel and export ----------------------------------------------------------------------------------------------

def test_every_funnel_figure_links_to_its_items(client, places):
    make_matching_list(places.a)
    make_matching_list(places.b)
    client.force_login(places.city_staff)
    for group in ("list", "county", "university"):
        page = text(client.get(reverse("matching:funnel") + f"?by={group}"))
        links = re.findall(r'href="(/matching/items/\?[^"]+)"', page)
        assert len(links) == 3 * 7  # the total and two groups, seven steps each
        for link in links:
            assert client.get(link.replace("&amp;", "&")).status_code == 200
    county_a = text(client.get(f"/matching/items/?county={places.a.division.pk}&step=published"))
    assert places.a.need.title in county_a and places.b.need.title not in county_a
    client.force_login(places.a.officer)  # a county officer's funnel counts their own county only
    page = text(client.get(reverse("matching:funnel") + "?by=county"))
    assert places.b.division.name not in page


def test_the_export_is_a_workbook_and_is_audited(client, places):
    from auditlog.models import LogEntry
    from openpyxl import load_workbook

    item = make_matching_list(places.a)
    client.force_login(places.a.officer)
    response = client.get(reverse("matching:list_export", args=[item.matching_list_id]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 1).value == "序号" and sheet.cell(3, 3).value == places.a.need.title
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__export="xlsx").exists()


# ---- menu ------------------------------------------------------------------------------------------------------------

def test_the_matching_menu_shows_each_role_its_entries(client, places):
    def entries(user):
        client.force_login(user)
        menu = client.get("/").context["menu"]
        return {str(i["label"]) for g in menu if str(g["title"]) == "供需对接" for i in g["items"]}

    assert entries(places.a.officer) >= {"对接清单", "逾期未联系"} and "我的对接" not in entries(places.a.officer)
    assert "对接清单" in entries(places.leader)
    assert entries(places.a.university_contact) == {"我的对接"}
