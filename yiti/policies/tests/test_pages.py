"""The policy's pages: its rules and actions on the detail page, one record checked, an application, and a
screening that its granting office's staff open and confirm."""

import pytest

from yiti.accounts.testing import make_user
from yiti.core.testing import county
from yiti.orgs.testing import make_enterprise
from yiti.policies import services
from yiti.policies.models import Benefit
from yiti.policies.testing import granting_office, make_policy

pytestmark = pytest.mark.django_db

RULES = [{"field": "org_type", "op": "eq", "value": "enterprise"},
         {"field": "ladder_stage", "op": "in", "value": ["startup"]}]


def test_the_detail_page_shows_the_rules_in_chinese_and_the_screen_button_to_the_granting_office(client):
    office = granting_office(county("140702"))
    policy = make_policy(rules=RULES, granting_department=office)
    officer = make_user("renshe", "staff", scope="county", department=office)
    leader = make_user("leader", "leader")
    client.force_login(officer)
    page = client.get(policy.get_absolute_url()).content.decode()
    assert "单位类型 = 企业" in page and "培育阶段 属于 初创企业" in page and 'id="screen-form"' in page
    client.force_login(leader)
    page = client.get(policy.get_absolute_url()).content.decode()
    assert "单位类型 = 企业" in page and 'id="screen-form"' not in page


def test_checking_one_record_shows_each_condition(client):
    policy = make_policy(rules=RULES)
    org = make_enterprise(ladder_stage="", division=county("140702"))
    client.force_login(make_user("city", "staff", scope="city"))
    response = client.get(f"/policies/{policy.pk}/check/", {"organisation": org.name})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-outcome="incomplete"' in page
    assert 'data-state="passed"' in page and 'data-state="missing"' in page and "数据缺失" in page
    assert client.post(f"/policies/{policy.pk}/check/").status_code == 405


def test_an_organisation_contact_applies_through_the_page_and_sees_the_line(client):
    policy = make_policy(rules=RULES, kind="quick")
    own = make_enterprise(ladder_stage="startup", division=county("140702"))
    contact = make_user("contact", "org_contact", organisation=own)
    client.force_login(contact)
    assert 'id="apply-link"' in client.get(policy.get_absolute_url()).content.decode()
    response = client.post(f"/policies/{policy.pk}/apply/", {"organisation": own.name, "requested_amount": "-5"})
    assert response.status_code == 400 and not Benefit.objects.exists()
    response = client.post(f"/policies/{policy.pk}/apply/", {"organisation": own.name, "requested_amount": "3000"})
    line = Benefit.objects.get()
    assert response.status_code == 302 and line.organisation == own and line.created_by == contact
    assert own.name in client.get("/policies/benefits/").content.decode()


def test_any_staff_of_the_granting_office_opens_and_confirms_a_screening_others_are_refused(client):
    yuci = county("140702")
    office = granting_office(yuci)
    policy = make_policy(rules=RULES, granting_department=office, division=yuci)
    enterprise = make_enterprise(ladder_stage="startup", division=yuci)
    officer = make_user("renshe", "staff", scope="county", department=office)
    colleague = make_user("renshe2", "staff", scope="county", department=office)
    screening = services.start_screening(policy, officer)
    hit = screening.hits.get(organisation=enterprise)
    # another office of the same county (staff who may read the same enterprises), and a leader: refused, saying who may
    other_office = granting_office(yuci, name="榆次区科技局")
    for outsider in (make_user("keji", "staff", scope="county", department=other_office),
                     make_user("lingdao", "leader", scope="city")):
        client.force_login(outsider)
        page = client.get(screening.get_absolute_url())
        assert page.status_code == 403 and "兑现部门的工作人员" in page.content.decode()
        assert enterprise.name not in page.content.decode()
        refused = client.post(f"/policies/screenings/{screening.pk}/confirm/", {"hits": [hit.pk]})
        assert refused.status_code == 403
    assert not Benefit.objects.exists()
    # a colleague of the same office finds it on the policy's page, opens it and confirms its hits
    client.force_login(colleague)
    assert screening.get_absolute_url() in client.get(policy.get_absolute_url()).content.decode()
    page = client.get(screening.get_absolute_url())
    assert page.status_code == 200 and enterprise.name in page.content.decode()
    assert page.context["may_confirm"]
    response = client.post(f"/policies/screenings/{screening.pk}/confirm/", {"hits": [hit.pk]})
    assert response.status_code == 302
    line = Benefit.objects.get()
    assert line.organisation_id == enterprise.pk and line.created_by_id == colleague.pk


def test_the_granting_office_sees_the_ladders_forms_and_a_refusal_names_the_field(client):
    office = granting_office(county("140702"))
    policy = make_policy(rules=RULES, kind="quick", granting_department=office)
    from yiti.policies.models import BenefitItem

    BenefitItem.objects.create(policy=policy, name="一次性创业补贴", amount_min=1000, amount_max=5000)
    officer = make_user("renshe", "staff", scope="county", department=office)
    line = services.apply(policy, officer, organisation=make_enterprise(ladder_stage="startup",
                                                                        division=county("140702")))
    client.force_login(officer)
    page = client.get(line.get_absolute_url())
    assert page.status_code == 200 and "approve_form" in page.context and "reject_form" in page.context
    assert "资格核验说明" in page.content.decode()
    refused = client.post(f"/policies/benefits/{line.pk}/approve/", {"amount": "9000"})
    assert refused.status_code == 400 and "上限" in refused.content.decode()
    line.refresh_from_db()
    assert line.status == "applied"
    assert client.post(f"/policies/benefits/{line.pk}/approve/", {"amount": "4000"}).status_code == 302
    assert "pay_form" in client.get(line.get_absolute_url()).context
