"""Issue 12 items 11 and 17: the change history speaks the user's words, and people are named."""

import pytest
from django.test import Client
from django.urls import reverse

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.agreements.models import Agreement
from yiti.agreements.testing import make_agreement
from yiti.core import testing
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.talents.testing import make_talent


def agreement_post(agreement_title, parties, division, needs=(), **changes):
    data = {"title": agreement_title, "kind": "enterprise", "parties": "\n".join(p.name for p in parties),
            "division": division.pk, "signed_date": "2025-09-01", "item_count": 2, "committed_funds": "150",
            "needs": "\n".join(n.title for n in needs)}
    data.update(changes)
    return data


@pytest.fixture
def officer():
    city = testing.county("140700")
    office = Department.objects.create(name="晋中市委人才办", kind="city", division=city)
    return make_user("city_officer", Role.STAFF, scope=Scope.CITY, department=office,
                     last_name="刘", first_name="洋")


@pytest.fixture
def leader_client():
    client = Client()
    client.force_login(make_user("leader_li", Role.LEADER, last_name="赵", first_name="立新"))
    return client


@pytest.mark.django_db
def test_history_shows_names_added_and_removed_in_form_order(officer, leader_client):
    # given: an agreement entered and then edited by a named officer
    client = Client()
    client.force_login(officer)
    uni, ent, other = (make_org(name="太原理工大学（历史）"), make_enterprise(name="榆次液压件有限公司（历史）"),
                       make_enterprise(name="太谷精工铸业有限公司（历史）"))
    need = make_need(enterprise=ent, title="液压阀体铸造缺陷")
    response = client.post(reverse("agreements:agreement_add"),
                           agreement_post("液压件校企合作协议", [uni, ent], testing.county("140702"), needs=[need]))
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="液压件校企合作协议")
    response = client.post(reverse("agreements:agreement_edit", args=[agreement.pk]),
                           agreement_post("液压件校企合作协议", [uni, other], testing.county("140703")))
    assert response.status_code == 302

    # when: a leader opens the agreement
    response = leader_client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    history = response.context["history"]

    # then: no internal values, many-to-many changes as names, related records by name
    for internal in ("type、operation", "agreements.Evidence.None", "Evidence", "None", "objects"):
        assert internal not in body.split('id="history"')[1], internal
    changes = [change for row in history for change in row["changes"]]
    assert {"label": "签约各方", "added": ["太原理工大学（历史）", "榆次液压件有限公司（历史）"]} in changes
    assert {"label": "签约各方", "removed": ["榆次液压件有限公司（历史）"]} in changes
    assert {"label": "签约各方", "added": ["太谷精工铸业有限公司（历史）"]} in changes
    assert {"label": "对接的企业需求", "added": ["液压阀体铸造缺陷"]} in changes
    assert {"label": "对接的企业需求", "removed": ["液压阀体铸造缺陷"]} in changes
    assert {"label": "所在地区", "old": "榆次区", "new": "太谷区"} in changes
    assert not [c for c in changes if c["label"] == "协议资金（万元）" and not c.get("created")
                and c.get("old")], "150 → 150.00 is no change"
    assert "新增 太原理工大学（历史）、榆次液压件有限公司（历史）" in body

    # the creation entry follows the form's order, and says nothing about bookkeeping columns
    created = next(row for row in history if row["created"])
    labels = [c["label"] for c in created["changes"]]
    form_order = ["title", "kind", "division", "signed_date", "item_count", "committed_funds", "status"]
    assert labels == [str(Agreement._meta.get_field(n).verbose_name) for n in form_order]
    assert {"label": "协议类型", "old": "", "new": "校企合作"} in created["changes"]

    # the person is named with their department; the action column does not wrap
    assert "刘洋（晋中市委人才办）" in body
    assert "city_officer" not in body
    assert '<td class="text-nowrap">创建</td>' in body


@pytest.mark.django_db
def test_history_names_a_deleted_related_record_without_a_bare_id(admin_client):
    talent = make_talent()
    org = make_org(name="已撤销的研究所")
    talent.organisation = org
    talent.save()
    talent.organisation = None
    talent.save()
    org.delete()
    changes = [c for row in admin_client.get(talent.get_absolute_url()).context["history"] for c in row["changes"]]
    from yiti.talents.models import Talent

    label = str(Talent._meta.get_field("organisation").verbose_name)
    employer = next(c for c in changes if c["label"] == label)  # the newest: employer removed
    assert employer["old"].startswith("（已删除的记录") and employer["new"] == ""


@pytest.mark.django_db
def test_people_are_named_with_their_department_everywhere(officer, admin_client):
    # given: a need entered by a named officer and its progress recorded by them
    client = Client()
    client.force_login(officer)
    enterprise = make_enterprise(name="太谷精工铸业有限公司（姓名）")
    response = client.post(reverse("needs:need_add"), {
        "enterprise": enterprise.name, "need_type": "technology", "title": "退火能耗降低", "status": "published",
        "published_date": "2026-03-01"})
    assert response.status_code == 302
    agreement = make_agreement(created_by=officer)
    from yiti.agreements import services

    services.signed_on_import([agreement], officer)
    need_url = reverse("needs:need_list")
    # then: detail page (创建人), history (操作人), the agreement's evidence (登记人), the export and the audit list
    detail = client.get(response["Location"]).content.decode()
    assert detail.count("刘洋（晋中市委人才办）") >= 2 and "city_officer" not in detail
    evidence = client.get(agreement.get_absolute_url()).content.decode()
    assert "刘洋（晋中市委人才办）" in evidence.split('id="evidence"')[1].split("</table>")[0]
    export = client.get(need_url + "export/?format=csv")
    assert "刘洋（晋中市委人才办）" in b"".join(export.streaming_content).decode("utf-8-sig")
    audit = admin_client.get(reverse("audit_changes")).content.decode()
    assert "刘洋（晋中市委人才办）" in audit


@pytest.mark.django_db
def test_a_person_without_a_name_falls_back_to_the_login_name():
    user = make_user("staff_140702", Role.STAFF, scope=Scope.CITY)
    assert str(user) == "staff_140702"
    user.last_name, user.first_name = "郭", "晓东"
    assert str(user) == "郭晓东"


@pytest.mark.django_db
def test_a_select_of_people_shows_names_without_a_query_per_person(admin_client):
    from yiti.core.testing import count_queries

    office = Department.objects.create(name="榆次区科技局", kind="office", division=testing.county())
    make_user("liaison_1", Role.STAFF, scope=Scope.CITY, department=office, last_name="郭", first_name="晓东")
    url = reverse("talents:talent_add")
    few = count_queries(admin_client, url)
    for n in range(2, 7):
        make_user(f"liaison_{n}", Role.STAFF, scope=Scope.CITY, department=office, last_name="孙", first_name=f"丽{n}")
    assert count_queries(admin_client, url) == few
    assert "郭晓东（榆次区科技局）" in admin_client.get(url).content.decode()
