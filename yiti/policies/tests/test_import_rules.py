"""The policy registry's spreadsheet carries the rules (资格规则), one condition a line, through the one gate."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from yiti.core.registry import registries
from yiti.imports import services as imports
from yiti.imports import write
from yiti.policies.models import Policy
from yiti.policies.testing import make_policy

pytestmark = pytest.mark.django_db

RULES = [{"field": "org_type", "op": "eq", "value": "enterprise"},
         {"field": "ladder_stage", "op": "in", "value": ["startup", "tech_sme"]},
         {"field": "founded_on", "op": "gte", "value": "2021-01-01"}]


def exported_rows(client) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse(registries()["policies"].url_name("export")) + "?format=csv")
    content = b"".join(response.streaming_content)
    return content, list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def plan_of(user, content: bytes):
    with translation.override("zh-hans"):
        return imports.build_plan(registries()["policies"], imports.read(content, "policies.csv"), user, {})


def test_export_writes_the_rules_as_text_and_importing_it_back_changes_nothing(admin_client, admin_user):
    policy = make_policy(rules=RULES)
    content, rows = exported_rows(admin_client)
    column = rows[0].index("资格规则")
    assert rows[1][column] == "单位类型 = 企业\n培育阶段 属于 初创企业，科技型中小企业\n成立日期 ≥ 2021-01-01"
    plan = plan_of(admin_user, content)
    assert plan.counts()["errors"] == 0 and plan.counts()["unchanged"] == 1
    # the rules lost in the platform come back from the file, through the same gate
    Policy.objects.filter(pk=policy.pk).update(rules=[])
    plan = plan_of(admin_user, content)
    assert plan.counts()["updated"] == 1
    write.apply(plan, admin_user)
    assert Policy.objects.get(pk=policy.pk).rules == RULES


def test_a_new_policy_is_imported_with_its_rules_by_label(admin_client, admin_user):
    template = make_policy(rules=[])
    content, rows = exported_rows(admin_client)
    header = rows[0]
    new = list(rows[1])
    new[header.index("名称")] = "晋中市返乡人才创业补贴"
    new[header.index("资格规则")] = "回国/返乡日期 ≥ 2024-01-01\n年龄 ≤ 40"
    new[header.index("适用对象")] = ""
    new[header.index("适用主体")] = "人才"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, new])
    plan = plan_of(admin_user, buffer.getvalue().encode("utf-8-sig"))
    assert plan.counts()["errors"] == 0 and plan.counts()["created"] == 1, plan.by_action("error")
    write.apply(plan, admin_user)
    created = Policy.objects.exclude(pk=template.pk).get()
    assert created.subject == "talent" and created.rules == [
        {"field": "returned_on", "op": "gte", "value": "2024-01-01"}, {"field": "age", "op": "lte", "value": 40}]


def test_a_bad_condition_refuses_its_row_naming_row_condition_and_field_and_writes_nothing(admin_client, admin_user):
    good = make_policy(rules=RULES)
    bad = make_policy(rules=RULES)
    content, rows = exported_rows(admin_client)
    header = rows[0]
    column = header.index("资格规则")
    titles = [row[header.index("名称")] for row in rows[1:]]
    bad_row = titles.index(bad.title) + 1
    rows[bad_row][column] = "单位类型 = 企业\n注册资本 ≥ 100"
    good_row = titles.index(good.title) + 1
    rows[good_row][column] = "单位类型 = 企业"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    plan = plan_of(admin_user, buffer.getvalue().encode("utf-8-sig"))
    assert plan.counts()["errors"] == 1 and plan.counts()["updated"] == 1
    [refused] = plan.by_action("error")
    assert refused.number == bad_row + 1  # the spreadsheet's row (the header is row 1)
    [(where, message)] = refused.errors
    assert where == "资格规则"
    assert "第2条条件" in message and "注册资本 ≥ 100" in message and "注册资本" in message, message
    write.apply(plan, admin_user)
    assert Policy.objects.get(pk=bad.pk).rules == RULES  # nothing half-written: not even its good first line
    assert Policy.objects.get(pk=good.pk).rules == RULES[:1]


def test_the_template_has_the_rules_column():
    from yiti.imports.columns import columns_for

    with translation.override("zh-hans"):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_superuser("tpl_admin", "a@example.cn", "x")
        columns = {c.header: c for c in columns_for(registries()["policies"], admin)}
    assert columns["资格规则"].kind == "text"
