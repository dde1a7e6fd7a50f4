"""Issue 12, forms: related records by name, lookups limited to the accepted kinds, dates that
cannot lie ahead, messages that name the field, and forms that keep what was typed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from yiti.agreements.testing import make_agreement
from yiti.core import testing
from yiti.experts.testing import make_expert_role
from yiti.needs.models import Need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.results.testing import make_result
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent
from yiti.tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def resubmit_data(form) -> dict:
    """POST data of a form exactly as it was shown: what a user sends who changes nothing."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


# ---- item 5: names, never ids; an out-of-scope related record is kept when unchanged -------------

def test_county_officer_resaves_a_talent_employed_in_another_county(world, client):
    # given a talent of county A whose employer is an enterprise of county B
    employer = make_enterprise(name="乙县某电力科技有限公司", division=world.b.division)
    talent = world.a.records["talents.talent"]
    Talent.objects.filter(pk=talent.pk).update(organisation=employer)
    client.force_login(world.users["county_staff_a"])
    # when the county officer opens the edit form
    page = client.get(reverse("talents:talent_edit", args=[talent.pk]))
    html = page.content.decode()
    # then the employer shows by name, and no internal id appears in any input
    employer_input = re.search(r'<input type="text" name="organisation"[^>]*>', html).group(0)
    assert 'value="乙县某电力科技有限公司"' in employer_input
    assert not re.search(r'value="[^"]*#\d+', html), "an input shows an internal #id"
    # and saving it unchanged works and keeps the employer
    response = client.post(reverse("talents:talent_edit", args=[talent.pk]), resubmit_data(page.context["form"]))
    assert response.status_code == 302, response.context["form"].errors
    talent.refresh_from_db()
    assert talent.organisation_id == employer.pk


def test_county_officer_cannot_pick_an_employer_outside_their_scope(world, client):
    employer = make_enterprise(name="乙县另一家机械有限公司", division=world.b.division)
    talent = world.a.records["talents.talent"]
    client.force_login(world.users["county_staff_a"])
    page = client.get(reverse("talents:talent_edit", args=[talent.pk]))
    data = {**resubmit_data(page.context["form"]), "organisation": employer.name}
    response = client.post(reverse("talents:talent_edit", args=[talent.pk]), data)
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    talent.refresh_from_db()
    assert talent.organisation_id == world.a.university.pk


def test_edit_forms_show_related_records_by_name(admin_client, db):
    leader = make_talent(name="赵谷丰", organisation=make_org(name="太原理工大学"))
    result = make_result(leader=leader, owner=make_org(name="清华大学"))
    result.team_members.set([leader])
    html = admin_client.get(reverse("results:result_edit", args=[result.pk])).content.decode()
    assert 'value="清华大学"' in html
    assert 'value="赵谷丰（太原理工大学）"' in html
    assert "赵谷丰（太原理工大学）</textarea>" in html
    assert not re.search(r"#\d+", html.split("<form", 1)[1].split("</form>", 1)[0])


def test_a_suggestion_label_resolves_among_namesakes(admin_client, db):
    # two talents of the same name at different organisations: the label tells them apart
    wanted = make_talent(name="王伟", organisation=make_org(name="山西农业大学"))
    make_talent(name="王伟", organisation=make_org(name="中北大学"))
    options = admin_client.get(reverse("lookup", args=["talents.talent"]), {"q": "王伟"}).content.decode()
    assert "王伟（山西农业大学）" in options and "#" not in options
    owner = make_org(name="山西农业大学测试所")
    response = admin_client.post(reverse("results:result_add"), {
        "title": "一种谷子抗旱品种", "result_type": "patent", "owner": owner.name, "leader": "王伟（山西农业大学）",
        "team_members": "王伟（山西农业大学）", "status": "available"})
    assert response.status_code == 302, response.context["form"].errors
    from yiti.results.models import Result

    result = Result.objects.get(title="一种谷子抗旱品种")
    assert result.leader_id == wanted.pk and list(result.team_members.values_list("pk", flat=True)) == [wanted.pk]


# ---- item 6: lookups offer only the kinds the field accepts -------------------------------------

def test_need_enterprise_suggestions_offer_only_enterprises(admin_client, db):
    make_org(name="晋中测试大学", org_type="university")
    make_enterprise(name="晋中测试机械有限公司甲")
    page = admin_client.get(reverse("needs:need_add")).content.decode()
    # the enterprise input's suggestions (the header's bell has an hx-get of its own, before the form)
    url = re.search(r'hx-get="([^"]*field=needs\.need\.enterprise[^"]*)"', page).group(1).replace("&amp;", "&")
    # htmx appends the input's own name and value to the URL, as the browser test of needs does
    options = admin_client.get(url + "&enterprise=" + "晋中测试").content.decode()
    assert "晋中测试机械有限公司甲" in options
    assert "晋中测试大学" not in options
    # without the field's limit the same text finds both (other fields accept any organisation)
    everything = admin_client.get(reverse("lookup", args=["orgs.organisation"]), {"q": "晋中测试"}).content.decode()
    assert "晋中测试大学" in everything


def test_choosing_a_non_enterprise_says_the_kind_is_wrong(admin_client, db):
    make_org(name="晋中市卫生健康委员会", org_type="government")
    response = admin_client.post(reverse("needs:need_add"), {
        "enterprise": "晋中市卫生健康委员会", "need_type": "technology", "title": "检测需求",
        "published_date": "2026-01-05", "status": "published"})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["enterprise"])
    assert "“晋中市卫生健康委员会”是政府部门，本栏只能选择企业" in message
    assert "未找到" not in message
    assert not Need.objects.filter(title="检测需求").exists()


def test_lookup_refuses_a_field_that_does_not_point_at_the_model(admin_client, db):
    url = reverse("lookup", args=["orgs.organisation"])
    assert admin_client.get(url, {"field": "talents.talent.division", "q": "x"}).status_code == 404
    assert admin_client.get(url, {"field": "nonsense", "q": "x"}).status_code == 404


# ---- item 7: a date that records something that happened cannot lie ahead ------------------------

FUTURE = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(("model", "field"), [
    ("needs.need", "published_date"), ("platforms.platform", "applied_date"),
    ("platforms.platform", "listed_date"), ("platforms.platform", "accredited_date"),
    ("agreements.agreement", "signed_date"), ("agreements.evidence", "date"), ("talents.contactlog", "date"),
])
def test_past_only_dates_refuse_the_future(model, field):
    from django.apps import apps
    from django.core.exceptions import ValidationError

    model_field = apps.get_model(model)._meta.get_field(field)
    model_field.run_validators(timezone.localdate())  # today is fine
    with pytest.raises(ValidationError) as refused:
        model_field.run_validators(datetime.date(9999, 12, 31))
    assert refused.value.error_list[0].code == "future"


@pytest.mark.parametrize(("model", "field"), [
    ("needs.need", "deadline"), ("platforms.platform", "renewal_due"), ("experts.expertrole", "start_date"),
    ("experts.expertrole", "end_date"), ("experts.assignment", "start_date"), ("experts.assignment", "end_date"),
])
def test_dates_that_may_lie_ahead_accept_the_future(model, field):
    from django.apps import apps

    apps.get_model(model)._meta.get_field(field).run_validators(datetime.date(2099, 1, 1))


def test_need_form_refuses_a_future_publication_date_naming_the_field(admin_client, db):
    enterprise = make_enterprise()
    response = admin_client.post(reverse("needs:need_add"), {
        "enterprise": enterprise.name, "need_type": "technology", "title": "未来发布的需求",
        "published_date": "9999-12-31", "deadline": "9999-12-31", "status": "published"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "发布日期" in " ".join(errors["published_date"]) and "今天" in " ".join(errors["published_date"])
    assert "deadline" not in errors
    assert not Need.objects.filter(title="未来发布的需求").exists()


def test_platform_form_refuses_a_future_accreditation_date(admin_client, db):
    host = make_org()
    response = admin_client.post(reverse("platforms:platform_add"), {
        "name": "未来认定的平台", "platform_type": "engineering_centre", "level": "municipal", "status": "accredited",
        "host": host.name, "applied_date": "2025-01-01", "accredited_date": "2030-01-01", "renewal_due": "2033-01-01"})
    assert response.status_code == 200
    assert "认定日期" in " ".join(response.context["form"].errors["accredited_date"])
    assert "renewal_due" not in response.context["form"].errors


def test_import_applies_the_same_date_rule_and_message(admin_client, db):
    from yiti.imports.tests.test_import import csv_bytes, job_of, upload

    enterprise = make_enterprise()
    content = csv_bytes([["企业", "需求类型", "名称", "发布日期", "截止日期"],
                         [enterprise.name, "技术需求", "未来发布的需求", "9999-12-31", ""],
                         [enterprise.name, "技术需求", "明年截止的需求", "2026-01-05", "2099-01-01"]])
    job = job_of(upload(admin_client, "needs:need", "needs.csv", content))
    errors = {e["row"]: e["errors"] for e in job.report["errors"]}
    assert list(errors) == [2]
    assert errors[2][0][0] == "发布日期" and "发布日期" in errors[2][0][1] and "今天" in errors[2][0][1]


# ---- item 8: messages name the field; a duplicate names and links the record ------------------------

def test_too_long_text_names_the_field_and_both_lengths(admin_client, db):
    response = admin_client.post(reverse("orgs:organisation_add"), {"name": "长" * 10000, "org_type": "enterprise"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["名称最多 200 个字，现在有 10000 个字。"]


def test_import_gives_the_same_too_long_message(admin_client, db):
    from yiti.imports.tests.test_import import csv_bytes, job_of, upload

    job = job_of(upload(admin_client, "orgs:organisation", "orgs.csv", csv_bytes([
        ["名称", "单位类型", "简称"], ["晋中长简称有限公司", "企业", "简" * 60]])))
    errors = {e["row"]: e["errors"] for e in job.report["errors"]}
    assert errors[2] == [["简称", "简称最多 50 个字，现在有 60 个字。"]]


def test_duplicate_credit_code_names_and_links_the_existing_record(admin_client, db):
    code = testing.valid_credit_code()
    existing = make_enterprise(name="晋中已登记机械有限公司", credit_code=code)
    response = admin_client.post(reverse("orgs:organisation_add"), {
        "name": "晋中新登记机械有限公司", "org_type": "enterprise", "credit_code": code})
    assert response.status_code == 200
    html = response.content.decode()
    message = " ".join(response.context["form"].errors["credit_code"])
    assert "统一社会信用代码" in message and "晋中已登记机械有限公司" in message
    assert f'href="{existing.get_absolute_url()}"' in html
    assert "具有" not in message


def test_duplicate_outside_the_scope_is_not_named(world, client):
    code = testing.valid_credit_code()
    make_enterprise(name="乙县已登记有限公司", credit_code=code, division=world.b.division)
    client.force_login(world.users["county_staff_a"])
    response = client.post(reverse("orgs:organisation_add"), {
        "name": "甲县新登记有限公司", "org_type": "enterprise", "credit_code": code, "division": world.a.division.pk})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["credit_code"])
    assert "统一社会信用代码" in message and "乙县已登记有限公司" not in response.content.decode()


def test_builtin_messages_name_their_field(admin_client, db):
    response = admin_client.post(reverse("needs:need_add"), {
        "enterprise": "", "need_type": "nonsense", "title": "", "published_date": "2026-13-45",
        "budget": "abc", "status": "published"})
    errors = response.context["form"].errors
    assert "企业" in errors["enterprise"][0] and "必填" in errors["enterprise"][0]
    assert "名称" in errors["title"][0] and "必填" in errors["title"][0]
    assert "需求类型" in errors["need_type"][0]
    assert "发布日期" in errors["published_date"][0]
    assert "预算" in errors["budget"][0]


# ---- item 9: a form that fails keeps what was typed ---------------------------------------------------

def test_agreement_progress_form_keeps_evidence_and_date_when_the_date_is_refused(admin_client, db):
    agreement = make_agreement()
    response = admin_client.post(reverse("agreements:agreement_record_step", args=[agreement.pk]), {
        "started_date": "2099-01-01", "started_note": "启动会纪要：双方确认实施方案",
        "started_reference": "晋中科〔2026〕7号"})
    html = response.content.decode()
    assert "启动会纪要：双方确认实施方案</textarea>" in html
    assert 'value="2099-01-01"' in html and 'value="晋中科〔2026〕7号"' in html
    agreement.refresh_from_db()
    assert not agreement.evidence.filter(step="started").exists() and agreement.status == "signed"


def test_contact_log_form_keeps_input_when_refused(admin_client, db):
    talent = make_talent()
    response = admin_client.post(reverse("talents:talent_add_contact", args=[talent.pk]), {
        "date": "2099-01-01", "channel": "wechat", "summary": "微信联系，了解回乡意向"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "微信联系，了解回乡意向</textarea>" in html and 'value="2099-01-01"' in html
    assert '<option value="wechat" selected>' in html
    assert talent.contacts.count() == 0


def test_assignment_form_keeps_input_when_refused(admin_client, db):
    role = make_expert_role(capacity=2)
    enterprise = make_enterprise(name="晋中被服务机械有限公司")
    response = admin_client.post(reverse("experts:expertrole_add_assignment", args=[role.pk]), {
        "organisation": enterprise.name, "start_date": "2026-03-01", "end_date": "2026-01-01", "notes": "驻企三个月"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="晋中被服务机械有限公司"' in html and 'value="驻企三个月"' in html
    assert 'value="2026-03-01"' in html and 'value="2026-01-01"' in html
    assert not role.assignments.exists()


def test_edit_form_keeps_input_when_refused(admin_client, db):
    from yiti.talents.models import Programme

    programme = Programme.objects.order_by("pk").first()
    org = make_org(name="晋中学院测试")
    response = admin_client.post(reverse("talents:talent_add"), {
        "name": "李四", "population": "local", "organisation": org.name, "programmes": [programme.pk],
        "id_number": "12345", "notes": "备注内容保留"})
    html = response.content.decode()
    assert response.status_code == 200 and "id_number" in response.context["form"].errors
    assert 'value="李四"' in html and 'value="晋中学院测试"' in html and "备注内容保留</textarea>" in html
    assert re.search(rf'value="{programme.pk}"[^>]*checked', html)


def test_refused_merge_keeps_the_chosen_values(admin_client, db, monkeypatch):
    from django.core.exceptions import ValidationError

    from yiti.imports import merge

    def refuse(*args, **kwargs):
        raise ValidationError("合并被拒绝")

    monkeypatch.setattr(merge, "merge", refuse)
    org = make_org(name="山西大学测试")
    survivor = make_talent(name="李明", organisation=org, position="教授")
    other = make_talent(name="李明", organisation=make_org(name="山西大学分校"), position="副教授",
                                expertise="晋商史")
    response = admin_client.post(reverse("talents:talent_merge", args=[survivor.pk]),
                                 {"other": "李明（山西大学分校）", "take": ["expertise"]})
    html = response.content.decode()
    assert response.status_code == 200 and "合并被拒绝" in html
    assert re.search(r'name="take" value="expertise" checked', html)
    assert not re.search(r'name="take" value="position" checked', html)
    assert 'value="李明（山西大学分校）"' in html
    assert Talent.objects.filter(pk=other.pk).exists()


def test_the_message_above_a_small_form_names_each_field_once(admin_client, db):
    response = admin_client.post(reverse("talents:talent_add_contact", args=[make_talent().pk]), {
        "date": "2099-01-01", "channel": "phone", "summary": ""})
    banner = [str(m) for m in response.context["messages"]][0]
    assert "日期 2099-01-01 晚于今天" in banner and "日期：" not in banner and "内容摘要为必填项" in banner
    response = admin_client.post(reverse("experts:expertrole_add_assignment", args=[make_expert_role().pk]), {
        "organisation": make_enterprise().name, "start_date": "2026-03-01", "end_date": "2026-01-01"})
    banner = [str(m) for m in response.context["messages"]][0]
    assert "结束日期" in banner  # the service's message about the end date


@pytest.mark.django_db
def test_a_county_officers_new_record_starts_in_their_county_and_others_start_empty(client):
    # given a county officer and the city office

    world = build_world()
    officer, city = world.users["county_staff_a"], world.users["city_staff"]
    # when each opens the add forms that have a division
    for user, expected in ((officer, world.a.division.pk), (city, None)):
        client.force_login(user)
        for url in ("/talents/add/", "/orgs/add/", "/platforms/add/"):
            html = client.get(url).content.decode()
            selected = re.search(r'<select[^>]*name="division"[^>]*>.*?</select>', html, re.S).group(0)
            # then the officer's county is chosen for them; the city office chooses
            if expected:
                assert f'value="{expected}" selected' in selected, url
            else:
                assert " selected" not in selected.replace('value="" selected', ""), url
