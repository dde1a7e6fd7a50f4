"""Rules as data: the one gate refuses bad rules naming the field; evaluation explains each condition."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from yiti.core.testing import county, industry
from yiti.orgs.testing import make_enterprise, make_org
from yiti.policies import rules, services
from yiti.policies.models import Policy
from yiti.policies.testing import make_policy
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db

STARTUP_RULES = [{"field": "org_type", "op": "eq", "value": "enterprise"},
                 {"field": "ladder_stage", "op": "in", "value": ["startup", "tech_sme"]},
                 {"field": "county", "op": "in", "value": ["140702"]}]


def refusal(subject, conditions):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        rules.check_conditions(subject, conditions)
    return caught.value


@pytest.mark.parametrize(("condition", "code", "fragment"), [
    ({"field": "capital", "op": "gte", "value": 100}, "unknown_field", "“capital”"),
    ({"field": "ladder_stage", "op": "gte", "value": "startup"}, "bad_operator", "培育阶段"),
    ({"field": "ladder_stage", "op": "in", "value": ["unicorn"]}, "bad_value", "培育阶段"),
    ({"field": "in_reserve_pool", "op": "eq", "value": "maybe"}, "bad_value_type", "入选后备培育库"),
    ({"field": "county", "op": "eq", "value": ["140702", "140703"]}, "one_value", "所在县区"),
    ({"field": "ladder_stage", "op": "in", "value": []}, "no_value", "培育阶段"),
])
def test_a_bad_condition_is_refused_in_chinese_naming_the_field(condition, code, fragment):
    # given a valid condition followed by a bad one
    error = refusal("organisation", [STARTUP_RULES[0], condition])
    # then the refusal says which condition, names the field, and carries the code
    assert [e.code for e in error.error_list] == [code]
    assert "第2条条件" in error.messages[0] and fragment in error.messages[0], error.messages


def test_a_talents_age_must_be_a_number():
    error = refusal("talent", [{"field": "age", "op": "lte", "value": "三十五"}])
    assert "年龄" in error.messages[0] and "数字" in error.messages[0]


def test_the_forms_text_reads_labels_and_codes_and_writes_back_the_same_rules():
    with translation.override("zh-hans"):
        parsed = rules.parse_text("organisation", "单位类型 = 企业\n培育阶段 属于 初创企业、tech_sme\ncounty in 140702")
        assert parsed == STARTUP_RULES
        assert rules.parse_text("organisation", rules.to_text("organisation", parsed)) == parsed


def test_a_bad_rule_in_the_edit_form_writes_nothing(admin_client):
    # given a policy with valid rules
    policy = make_policy(rules=STARTUP_RULES)
    before = Policy.objects.get(pk=policy.pk).rules
    # when the form posts an unknown field
    response = admin_client.post(f"/policies/{policy.pk}/edit/", {
        "title": policy.title, "issuing_department": "晋中市人社局", "division": policy.division_id,
        "granting_department": policy.granting_department_id, "kind": "automatic", "subject": "organisation",
        "effective_from": "2025-01-01", "rules": "单位类型 = 企业\n注册资本 ≥ 100"})
    # then the page names the field and the stored rules are untouched
    assert response.status_code == 200
    assert "注册资本" in " ".join(response.context["form"].errors["rules"])
    assert Policy.objects.get(pk=policy.pk).rules == before


def test_passed_failed_and_missing_each_explained_with_value_and_date():
    policy = make_policy(rules=STARTUP_RULES + [{"field": "industry", "op": "in", "value": ["C"]}])
    startup = make_enterprise(ladder_stage="startup", division=county("140702"), industry=industry("36"))
    elsewhere = make_enterprise(ladder_stage="startup", division=county("140703"))
    unknown_stage = make_enterprise(ladder_stage="", division=county("140702"))
    with translation.override("zh-hans"):
        ok = services.explain_record(policy, startup)
        failed = services.explain_record(policy, elsewhere)
        missing = services.explain_record(policy, unknown_stage)
    assert ok["outcome"] == "eligible" and {line["state"] for line in ok["lines"]} == {"passed"}
    # 36 汽车制造业 lies in section C 制造业: the code's parent matches
    assert ok["lines"][3]["value"].startswith("36")
    assert failed["outcome"] == "failed"
    county_line = failed["lines"][2]
    assert county_line["state"] == "failed" and county_line["label"] == "所在县区"
    assert county_line["value"] == county("140703").name
    assert county_line["changed"] == datetime.date.today().isoformat()  # from the change history of its creation
    assert missing["outcome"] == "incomplete"
    assert [line["state"] for line in missing["lines"]][:2] == ["passed", "missing"]
    assert missing["lines"][1]["value"] == "—" and missing["lines"][1]["label"] == "培育阶段"


def test_the_date_is_the_last_change_of_that_field(django_capture_on_commit_callbacks):
    from auditlog.models import LogEntry

    policy = make_policy(rules=[{"field": "ladder_stage", "op": "eq", "value": "high_tech"}])
    org = make_enterprise(ladder_stage="tech_sme")
    org.ladder_stage = "high_tech"
    org.save()
    LogEntry.objects.get_for_object(org).filter(changes__has_key="ladder_stage").update(
        timestamp=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC))
    newest = LogEntry.objects.get_for_object(org).order_by("-pk").first()
    LogEntry.objects.filter(pk=newest.pk).update(timestamp=datetime.datetime(2026, 5, 6, 10, tzinfo=datetime.UTC))
    line = services.explain_record(policy, org)["lines"][0]
    assert line["state"] == "passed" and line["changed"] == "2026-05-06"


def test_a_talents_age_is_counted_on_the_day():
    policy = make_policy(subject="talent", rules=[{"field": "age", "op": "lte", "value": 35},
                                                  {"field": "degree", "op": "in", "value": ["master", "doctorate"]}])
    young = make_talent(birth_year=1995, degree="master")
    older = make_talent(birth_year=1980, degree="doctorate")
    day = datetime.date(2026, 6, 1)
    assert services.explain_record(policy, young, day)["outcome"] == "eligible"
    lines = services.explain_record(policy, older, day)["lines"]
    assert lines[0]["state"] == "failed" and lines[0]["value"] == "46"


def test_screening_splits_eligible_incomplete_and_failed_in_one_pass():
    make_org(org_type="university")  # fails org_type
    eligible = make_enterprise(ladder_stage="tech_sme", division=county("140702"))
    incomplete = make_enterprise(ladder_stage="", division=county("140702"))
    from yiti.orgs.models import Organisation

    columns = services.load_columns("organisation", Organisation.objects.all(), datetime.date(2026, 6, 1))
    found = rules.screen(STARTUP_RULES, columns)
    assert [columns.ids[i] for i in found.eligible] == [eligible.pk]
    assert [columns.ids[i] for i in found.incomplete] == [incomplete.pk]
