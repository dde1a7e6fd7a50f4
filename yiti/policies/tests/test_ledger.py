"""免申即享 screening → confirmation → the benefit ledger, its ladder, deadline and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yiti.accounts.testing import make_user
from yiti.core.testing import county
from yiti.orgs.testing import make_enterprise
from yiti.policies import services
from yiti.policies.models import Benefit, BenefitItem, Screening
from yiti.policies.testing import granting_office, make_policy

pytestmark = pytest.mark.django_db

RULES = [{"field": "org_type", "op": "eq", "value": "enterprise"},
         {"field": "ladder_stage", "op": "in", "value": ["startup", "tech_sme"]}]


@pytest.fixture
def office():
    return granting_office(county("140702"))


@pytest.fixture
def officer(office):
    return make_user("renshe", "staff", scope="county", department=office)


@pytest.fixture
def policy(office):
    policy = make_policy(rules=RULES, granting_department=office, division=county("140702"))
    BenefitItem.objects.create(policy=policy, name="一次性创业补贴", amount_min=1000, amount_max=5000)
    return policy


def screened(policy, officer):
    screening = services.start_screening(policy, officer)  # tasks run inline in the tests
    return Screening.objects.get(pk=screening.pk)


def test_screening_lists_the_eligible_in_scope_with_explanations(policy, officer, client):
    # given two enterprises in the officer's county, one of them eligible, and an eligible one in another county
    eligible = make_enterprise(ladder_stage="startup", division=county("140702"))
    make_enterprise(ladder_stage="high_tech", division=county("140702"))
    elsewhere = make_enterprise(ladder_stage="startup", division=county("140703"))
    # when the granting office screens
    screening = screened(policy, officer)
    # then only the county's eligible enterprise is listed, each condition explained
    assert screening.status == "done" and screening.eligible == 1
    hit = screening.hits.get()
    assert hit.organisation_id == eligible.pk and hit.organisation_id != elsewhere.pk
    assert [line["state"] for line in hit.explanation] == ["passed", "passed"]
    client.force_login(officer)
    page = client.get(screening.get_absolute_url()).content.decode()
    assert eligible.name in page and "符合" in page


def test_confirming_fills_the_ledger_once_with_a_60_working_day_deadline(policy, officer):
    make_enterprise(ladder_stage="startup", division=county("140702"))
    screening = screened(policy, officer)
    hits = list(screening.hits.values_list("pk", flat=True))
    created = services.confirm(screening, officer, hits)
    assert len(created) == 1
    line = created[0]
    assert line.status == "applied" and line.channel == "screening" and line.explanation
    assert line.due_on == services.add_working_days(line.applied_on, 60)
    # a second screening does not put the same enterprise in the ledger twice
    again = screened(policy, officer)
    assert services.confirm(again, officer, list(again.hits.values_list("pk", flat=True))) == []
    assert Benefit.objects.count() == 1


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 12, 4)
    assert services.add_working_days(friday, 1) == datetime.date(2026, 12, 7)
    assert services.add_working_days(friday, 60) == datetime.date(2027, 2, 26)


def test_only_the_granting_office_screens_confirms_approves_and_pays(policy, officer):
    make_enterprise(ladder_stage="startup", division=county("140702"))
    other_office = make_user("keji", "staff", scope="county", department=granting_office(county("140702"), "科技局"))
    leader = make_user("leader", "leader")
    for user in (other_office, leader):
        with pytest.raises(ValidationError) as caught:
            services.start_screening(policy, user)
        assert caught.value.error_list[0].code == "not_granting_office"
    screening = screened(policy, officer)
    line = services.confirm(screening, officer, screening.hits.values_list("pk", flat=True))[0]
    for user in (other_office, leader):
        with pytest.raises(ValidationError):
            services.approve(line, user, amount=3000)
    services.approve(line, officer, amount=3000)
    with pytest.raises(ValidationError):
        services.pay(line, other_office, paid_on=datetime.date.today())
    services.pay(line, officer, paid_on=datetime.date.today())
    line.refresh_from_db()
    assert line.status == "paid" and line.amount == Decimal("3000")


def test_an_amount_outside_the_item_or_a_payment_before_approval_is_refused_by_field(policy, officer):
    org = make_enterprise(ladder_stage="startup", division=county("140702"))
    policy.kind = "quick"
    policy.save()
    line = services.apply(policy, officer, organisation=org)
    with pytest.raises(ValidationError) as caught:
        services.approve(line, officer, amount=6000)
    assert caught.value.error_dict["amount"][0].code == "above_maximum"
    with pytest.raises(ValidationError) as caught:
        services.pay(line, officer, paid_on=datetime.date.today())
    assert caught.value.error_list[0].code == "not_approved"
    line.refresh_from_db()
    assert line.status == "applied" and line.amount is None


def test_ledger_visibility_by_role(policy, officer, client):
    org = make_enterprise(ladder_stage="startup", division=county("140702"))
    other = make_enterprise(ladder_stage="startup", division=county("140702"))
    policy.kind = "quick"
    policy.save()
    mine = services.apply(policy, officer, organisation=org)
    theirs = services.apply(policy, officer, organisation=other)
    contact = make_user("contact", "org_contact", organisation=org)
    leader = make_user("leader", "leader")
    outsider = make_user("outsider", "staff", scope="county", department=granting_office(county("140703")))
    assert set(services.visible_benefits(contact)) == {mine}
    assert set(services.visible_benefits(leader)) == {mine, theirs}
    assert set(services.visible_benefits(outsider)) == set()
    client.force_login(contact)
    assert client.get(f"/policies/benefits/{theirs.pk}/").status_code == 404
    page = client.get(f"/policies/benefits/{mine.pk}/")
    assert page.status_code == 200 and "approve_form" not in page.context
    # a contact cannot approve their own line by posting
    response = client.post(f"/policies/benefits/{mine.pk}/approve/", {"amount": "5000"})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == "applied"
    client.force_login(leader)
    assert client.post(f"/policies/benefits/{mine.pk}/approve/", {"amount": "5000"}).status_code == 400
    client.force_login(officer)
    assert client.post(f"/policies/benefits/{mine.pk}/approve/", {"amount": "5000"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "approved"


def test_an_organisation_contact_applies_for_their_own_organisation_only(policy):
    policy.kind = "quick"
    policy.save()
    own = make_enterprise(ladder_stage="startup", division=county("140702"))
    other = make_enterprise(ladder_stage="startup", division=county("140702"))
    contact = make_user("contact", "org_contact", organisation=own)
    with pytest.raises(ValidationError) as caught:
        services.apply(policy, contact, organisation=other)
    assert caught.value.error_list[0].code == "may_not_apply"
    line = services.apply(policy, contact, organisation=own, requested_amount="4000")
    assert line.channel == "application" and [x["state"] for x in line.explanation] == ["passed", "passed"]
    with pytest.raises(ValidationError) as caught:
        services.apply(policy, contact, organisation=own)
    assert caught.value.error_list[0].code == "already_in_ledger"


def test_overdue_lines_show_red(policy, officer):
    policy.kind = "quick"
    policy.save()
    line = services.apply(policy, officer, organisation=make_enterprise(division=county("140702")))
    Benefit.objects.filter(pk=line.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=1))
    line.refresh_from_db()
    assert services.light(line) == "red"
    assert list(services.overdue(datetime.date.today())) == [line]


def test_an_overdue_payment_raises_a_supervision_task_closed_when_paid(policy, officer):
    from yiti.accounts.models import Department
    from yiti.supervision import auto
    from yiti.supervision.models import Task

    Department.objects.create(name="晋中市人才办", kind="city", division=county("140700"))
    policy.kind = "quick"
    policy.save()
    org = make_enterprise(division=county("140702"))
    line = services.apply(policy, officer, organisation=org)
    services.approve(line, officer, amount=2000)
    today = datetime.date.today()
    Benefit.objects.filter(pk=line.pk).update(due_on=today - datetime.timedelta(days=3))
    # when the daily run looks at the records
    auto.run(today)
    task = Task.objects.get(condition="benefit_overdue")
    assert task.source_key == f"org:{org.pk}" and org.name in task.title and task.status == "assigned"
    # then paying the line closes the task
    line.refresh_from_db()
    services.pay(line, officer, paid_on=today)
    auto.run(today)
    task.refresh_from_db()
    assert task.status == "closed"
