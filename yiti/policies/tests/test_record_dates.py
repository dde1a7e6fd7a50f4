"""成立日期 and 回国/返乡日期: rules name them, a future date is refused in import, and the column round-trips."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from yiti.core.registry import registries
from yiti.imports import services as imports
from yiti.imports import write
from yiti.orgs.models import Organisation
from yiti.orgs.testing import make_enterprise
from yiti.policies import rules, services
from yiti.policies.testing import make_policy
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db

FOUNDED_SINCE_2021 = [{"field": "founded_on", "op": "gte", "value": "2021-01-01"}]


def test_a_founding_date_rule_is_passed_failed_or_missing_with_its_explanation():
    with translation.override("zh-hans"):
        conditions = rules.parse_text("organisation", "成立日期 ≥ 2021-01-01")
        assert conditions == FOUNDED_SINCE_2021
        assert rules.to_text("organisation", conditions) == "成立日期 ≥ 2021-01-01"
        policy = make_policy(rules=conditions)
        young = services.explain_record(policy, make_enterprise(founded_on=datetime.date(2022, 5, 1)))
        old = services.explain_record(policy, make_enterprise(founded_on=datetime.date(2019, 3, 1)))
        unknown = services.explain_record(policy, make_enterprise(founded_on=None))
    assert young["outcome"] == "eligible"
    assert young["lines"][0] | {"changed": ""} == {
        "field": "founded_on", "label": "成立日期", "condition": "成立日期 ≥ 2021-01-01", "value": "2022-05-01",
        "state": "passed", "changed": ""}
    assert young["lines"][0]["changed"] == datetime.date.today().isoformat()  # dated by the change history
    assert old["outcome"] == "failed" and old["lines"][0]["state"] == "failed"
    assert old["lines"][0]["value"] == "2019-03-01"
    assert unknown["outcome"] == "incomplete" and unknown["lines"][0]["state"] == "missing"
    assert unknown["lines"][0]["value"] == "—"


def test_a_return_date_rule_screens_talents():
    policy = make_policy(subject="talent", rules=[{"field": "returned_on", "op": "gte", "value": "2023-01-01"}])
    back = make_talent(returned_on=datetime.date(2024, 2, 1))
    earlier = make_talent(returned_on=datetime.date(2020, 2, 1))
    never = make_talent()
    columns = services.load_columns("talent", Talent.objects.filter(pk__in=[back.pk, earlier.pk, never.pk]),
                                    datetime.date(2026, 6, 1))
    found = rules.screen(policy.rules, columns)
    assert [columns.ids[i] for i in found.eligible] == [back.pk]
    assert [columns.ids[i] for i in found.incomplete] == [never.pk]


def test_a_date_rule_with_a_non_date_is_refused_naming_the_field():
    with translation.override("zh-hans"), pytest.raises(Exception) as caught:
        rules.check_conditions("organisation", [{"field": "founded_on", "op": "gte", "value": "去年"}])
    assert "成立日期" in caught.value.messages[0] and "去年" in caught.value.messages[0]


def _plan(user, registry_name, rows):
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    table = imports.read(buffer.getvalue().encode("utf-8-sig"), "rows.csv")
    return imports.build_plan(registries()[registry_name], table, user, {})


@pytest.mark.parametrize(("registry_name", "rows", "header"), [
    ("orgs", [["名称", "单位类型", "成立日期"], ["晋中未来科技有限公司", "企业", "2999-01-01"]], "成立日期"),
    ("talents", [["姓名", "人才类型", "回国/返乡日期"], ["王未来", "本土优秀人才", "2999年1月1日"]],
     "回国/返乡日期"),
])
def test_a_future_date_in_an_import_is_refused_naming_the_field(admin_user, registry_name, rows, header):
    with translation.override("zh-hans"):
        plan = _plan(admin_user, registry_name, rows)
    assert plan.counts()["errors"] == 1 and plan.counts()["created"] == 0
    [(column, message)] = plan.by_action("error")[0].errors
    assert column == header and message.startswith(f"{header} 2999-01-01 晚于今天"), message


def test_the_template_shows_the_new_columns_in_chinese(admin_client):
    for registry_name, header in (("orgs", "成立日期"), ("talents", "回国/返乡日期")):
        response = admin_client.get(reverse(registries()[registry_name].url_name("import_template")))
        headers = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
        assert header in headers, headers


def test_the_founding_and_return_dates_round_trip_through_export_and_import(admin_client, admin_user):
    org = make_enterprise(founded_on=datetime.date(2021, 7, 15))
    talent = make_talent(returned_on=datetime.date(2023, 9, 1), organisation=org)
    for registry_name, record, field, value in (("orgs", org, "founded_on", datetime.date(2021, 7, 15)),
                                                ("talents", talent, "returned_on", datetime.date(2023, 9, 1))):
        registry = registries()[registry_name]
        exported = admin_client.get(reverse(registry.url_name("export")) + "?format=csv")
        content = b"".join(exported.streaming_content)
        assert value.isoformat() in content.decode("utf-8-sig")
        # the date is lost in the platform, then the exported file brings it back
        type(record).objects.filter(pk=record.pk).update(**{field: None})
        plan = imports.build_plan(registry, imports.read(content, "export.csv"), admin_user, {})
        assert plan.counts()["errors"] == 0 and plan.counts()["updated"] == 1, (registry_name, plan.counts())
        write.apply(plan, admin_user)
        assert getattr(type(record).objects.get(pk=record.pk), field) == value
    assert Organisation.objects.count() == 1
